from freezegun import freeze_time

from odoo import SUPERUSER_ID, api
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .retention_common import RetentionCommon


@tagged("post_install", "-at_install")
class TestRetentionPolicy(RetentionCommon):
    def test_policy_on_missing_date_field_is_refused(self):
        with (
            self.assertRaisesRegex(ValidationError, "has no field archived_on"),
            self.env.cr.savepoint(),
        ):
            self._complaint_policy(name="Bad field", date_field="archived_on")
        with (
            self.assertRaisesRegex(ValidationError, "not a searchable date field"),
            self.env.cr.savepoint(),
        ):
            self._complaint_policy(name="Not a date", date_field="description")
        with (
            self.assertRaisesRegex(ValidationError, "has no field contract_end"),
            self.env.cr.savepoint(),
        ):
            self._complaint_policy(
                name="Bad second field", min_date_field="contract_end", min_years=2
            )
        self.assertFalse(
            self.Policy.search([("name", "in", ["Bad field", "Not a date", "Bad second field"])])
        )

    def test_policy_years_must_be_positive(self):
        for years in (0, -3):
            with (
                self.assertRaisesRegex(ValidationError, "at least one year"),
                self.env.cr.savepoint(),
            ):
                self._complaint_policy(name=f"Bad years {years}", years=years)
        self.assertFalse(self.Policy.search([("name", "like", "Bad years")]))
        policy = self._complaint_policy()
        with (
            self.assertRaisesRegex(ValidationError, "Complaints 3 years.*at least one year"),
            self.env.cr.savepoint(),
        ):
            policy.years = 0
        policy.invalidate_recordset()
        self.assertEqual(policy.years, 3)

    def test_policy_bad_domain_and_relation_path(self):
        with self.assertRaisesRegex(ValidationError, "filter"), self.env.cr.savepoint():
            self._complaint_policy(name="Bad domain", domain="[('no_such_field', '=', 1)]")
        # A date reached through a relation is accepted.
        policy = self._complaint_policy(name="Via order", date_field="service_order_id.closed_at")
        self.assertEqual(policy.date_field, "service_order_id.closed_at")

    def test_nothing_due_before_the_period_ends(self):
        policy = self._complaint_policy()
        complaint = self._complaints(1)
        early = self._complaints(1, closed_at="2023-03-02 10:00:00")
        open_one = self._complaints(1, state="investigating", closed_at=False)
        with freeze_time("2026-03-01 09:59:59"):
            self._apply_policies()
            self.assertFalse(policy.request_ids)
        with freeze_time("2026-03-01 10:00:00"):
            self._apply_policies()
            self.assertEqual(policy.request_ids.line_ids.mapped("res_id"), complaint.ids)
            self.assertNotIn(early.id, policy.request_ids.line_ids.mapped("res_id"))
            self.assertNotIn(open_one.id, policy.request_ids.line_ids.mapped("res_id"))
        self.assertTrue(complaint.exists(), "Proposing never deletes")

    def test_contract_end_keeps_orders_two_more_years(self):
        self.Policy.create(
            {
                "name": "Orders",
                "model_id": self.model_order.id,
                "date_field": "closed_at",
                "years": 3,
                "min_date_field": "contract_end_date",
                "min_years": 2,
                "domain": "[('state', '=', 'closed')]",
                "action": "archive",
            }
        )
        orders = self.env["service.order"].create(
            [
                {
                    "partner_id": self.customer.id,
                    "state": "closed",
                    "closed_at": "2023-01-10 08:00:00",
                },
                {
                    "partner_id": self.customer.id,
                    "state": "closed",
                    "closed_at": "2023-01-10 08:00:00",
                    "contract_end_date": "2025-06-30",
                },
            ]
        )
        with freeze_time("2026-01-10 08:00:00"):
            self._apply_policies()
        self.assertEqual(orders.mapped("active"), [False, True])
        with freeze_time("2027-06-29 12:00:00"):
            self._apply_policies()
        self.assertTrue(orders[1].active)
        with freeze_time("2027-06-30 00:00:01"):
            self._apply_policies()
        self.assertFalse(orders[1].active)

    def test_archive_policy_batches_and_is_idempotent(self):
        policy = self._complaint_policy(action="archive", batch_size=2)
        complaints = self._complaints(5)
        with freeze_time("2026-06-01"):
            self._apply_policies()
            self.assertFalse(any(complaints.mapped("active")))
            self.assertFalse(policy.request_ids, "An archive policy proposes no destruction")
            self._apply_policies()
        self.assertEqual(len(complaints.exists()), 5)

    def test_proposals_come_in_batches_once(self):
        policy = self._complaint_policy(batch_size=2)
        complaints = self._complaints(5)
        with freeze_time("2026-06-01"):
            self._apply_policies()
            self.assertEqual(len(policy.request_ids), 3)
            self.assertEqual(sorted(len(r.line_ids) for r in policy.request_ids), [1, 2, 2])
            self.assertEqual(sorted(policy.request_ids.line_ids.mapped("res_id")), complaints.ids)
            self.assertEqual(set(policy.request_ids.mapped("state")), {"proposed"})
            self._apply_policies()
            self.assertEqual(len(policy.request_ids), 3, "Running again proposes nothing twice")

    def test_a_record_proposed_before_the_run_is_not_proposed_again(self):
        """The check that a record is not already proposed looks at the
        lines after the run's position only (what this run proposed is
        before it): a record after the position proposed by an earlier run
        is still left out."""
        policy = self._complaint_policy(batch_size=2)
        complaints = self._complaints(5)
        others = complaints - complaints[3]
        others.sudo().write({"state": "investigating"})
        with freeze_time("2026-06-01"):
            self._apply_policies()
            self.assertEqual(policy.request_ids.line_ids.mapped("res_id"), complaints[3].ids)
            others.sudo()._workflow_write({"state": "closed", "closed_at": "2023-03-01 10:00:00"})
            self._apply_policies()
        lines = policy.request_ids.line_ids
        self.assertEqual(sorted(lines.mapped("res_id")), complaints.ids)
        self.assertEqual(len(lines), 5, "the record proposed first is not proposed twice")

    def test_two_runs_at_once_do_not_double_process(self):
        """A run skips a policy another run holds (its row is locked), on two
        real connections: the policy and its record are committed, then
        removed at the end."""
        registry = self.env.registry
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            partner = env["res.partner"].create({"name": "Retention lock test"})
            env.flush_all()
            cr.execute(
                "UPDATE res_partner SET write_date = '2000-01-01' WHERE id = %s", [partner.id]
            )
            policy = env["service.retention.policy"].create(
                {
                    "name": "Retention lock test",
                    "model_id": env["ir.model"]._get("res.partner").id,
                    "date_field": "write_date",
                    "years": 1,
                    "domain": f"[('id', '=', {partner.id})]",
                    "action": "archive",
                }
            )
            partner_id, policy_id = partner.id, policy.id
            cr.commit()
        try:
            with registry.cursor() as locker, registry.cursor() as runner:
                env = api.Environment(runner, SUPERUSER_ID, {})
                Policy = env["service.retention.policy"]
                # (the other policies are held by this test's transaction: skipped too)
                locker.execute(
                    "SELECT id FROM service_retention_policy WHERE id = %s FOR UPDATE", [policy_id]
                )
                Policy._cron_apply_policies()
                partner = env["res.partner"].with_context(active_test=False).browse(partner_id)
                self.assertTrue(partner.active, "The policy is left to the run holding it")
                self.assertFalse(Policy.browse(policy_id).last_run_at)
                locker.rollback()
                Policy._cron_apply_policies()
                self.assertFalse(partner.active)
                runner.rollback()
        finally:
            with registry.cursor() as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                env["service.retention.policy"].browse(policy_id).unlink()
                env["res.partner"].browse(partner_id).unlink()

    def test_cron_runs_every_active_policy_in_batches(self):
        policy = self._complaint_policy(batch_size=2)
        archive = self._complaint_policy(name="Archive", action="archive", batch_size=2)
        complaints = self._complaints(3)
        cron = self.env.ref("service_quality.ir_cron_retention_apply_policies")
        with freeze_time("2026-06-01"):
            cron.method_direct_trigger()
            # one batch per call, the rest reported to the cron runner
            self.assertEqual(len(policy.request_ids.line_ids), 2)
            progress = self.env["ir.cron.progress"].search(
                [("cron_id", "=", cron.id)], order="id desc", limit=1
            )
            self.assertEqual((progress.done, progress.remaining), (2, 2))
            self.assertEqual(self._apply_policies(), 3)
        self.assertEqual(len(policy.request_ids.line_ids), 3)
        self.assertFalse(any(complaints.with_context(active_test=False).mapped("active")))
        self.assertTrue(policy.last_run_at)
        self.assertTrue(archive.last_run_at)
        self.assertIn("3 records proposed", policy.message_ids[0].body)
        self.assertIn("3 records archived", archive.message_ids[0].body)
        self.assertFalse(policy.run_done_count)

    def test_apply_now_queues_the_job(self):
        policy = self._complaint_policy()
        complaint = self._complaints(1)
        cron = self.env.ref("service_quality.ir_cron_retention_apply_policies")
        with freeze_time("2026-06-01 08:00:00"):
            triggers = self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
            action = policy.with_user(self.archivist).action_run()
            self.assertEqual(action["tag"], "display_notification")
            self.assertEqual(
                self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]),
                triggers + 1,
            )
            # nothing done in the click: queued, done by the job
            self.assertFalse(policy.request_ids)
            self.assertEqual(str(policy.run_queued_at), "2026-06-01 08:00:00")
            self._apply_policies()
        self.assertEqual(policy.request_ids.line_ids.res_id, complaint.id)
        # requested in the name of the archivist who queued it (another approves)
        self.assertEqual(policy.request_ids.requested_by_id, self.archivist)
        self.assertFalse(policy.run_queued_at)
        self.assertIn("1 records proposed", policy.message_ids[0].body)

    def test_apply_now_refused_on_an_archived_policy(self):
        policy = self._complaint_policy(active=False)
        with self.assertRaisesRegex(UserError, "Complaints 3 years is archived"):
            policy.with_user(self.archivist).action_run()
        self.assertFalse(policy.run_queued_at)

    def test_query_count_per_batch_is_constant(self):
        policy = self._complaint_policy(batch_size=5, log_active_access=False)
        self._complaints(5)
        with freeze_time("2026-06-01"):
            self._apply_policies()  # warm caches
        # policies without the access log of active records: changing such a
        # policy empties the cached settings, refilled by the next run
        small = self._complaint_policy(
            name="Small",
            batch_size=5,
            domain="[('description', 'ilike', 'small')]",
            log_active_access=False,
        )
        large = self._complaint_policy(
            name="Large",
            batch_size=50,
            domain="[('description', 'ilike', 'large')]",
            active=False,
            log_active_access=False,
        )
        policy.active = False
        self._complaints(5, description="small")
        self._complaints(50, description="large")
        self.env.flush_all()
        self.env.invalidate_all()
        Policy = self.env["service.retention.policy"]
        with freeze_time("2026-06-01"):
            _result, small_count = self._count_queries(Policy._cron_apply_policies)
            small.active = False
            large.active = True
            _result, large_count = self._count_queries(Policy._cron_apply_policies)
        self.assertEqual(len(small.request_ids.line_ids), 5)
        self.assertEqual(len(large.request_ids.line_ids), 50)
        # One batch each (5 and 50 records): the same number of queries.
        self.assertEqual(small_count, large_count)
        self.assertLess(small_count, 40)

    def test_proposed_lines_carry_the_record_names(self):
        complaints = self._complaints(3)
        self.assertTrue(self.Policy._stored_name_column(complaints))
        # a model with its own display name: computed record by record
        self.assertIsNone(self.Policy._stored_name_column(self.env["res.partner"]))
        policy = self._complaint_policy()
        with freeze_time("2026-06-01"):
            self._run_policy(policy, self.archivist)
        lines = policy.request_ids.line_ids
        self.assertEqual(
            {line.res_id: line.res_name for line in lines},
            {complaint.id: complaint.display_name or "" for complaint in complaints},
        )

    def test_records_left_are_reported_as_one_more_call(self):
        """After a full batch the job reports one more call without counting
        what is left; the call that finds nothing closes the run."""
        policy = self._complaint_policy(batch_size=2)
        complaints = self._complaints(6)
        cron = self.env.ref("service_quality.ir_cron_retention_apply_policies")
        Progress = self.env["ir.cron.progress"]
        with freeze_time("2026-06-01"):
            self.assertEqual(len(policy._due_batch(100)), 6)
            cron.method_direct_trigger()
            progress = Progress.search([("cron_id", "=", cron.id)], order="id desc", limit=1)
            # 4 left, reported as one more call
            self.assertEqual((progress.done, progress.remaining), (2, 1))
            self.assertFalse(policy.last_run_at)
            # two full batches, then the call that finds nothing closes the run
            self.assertEqual(self._apply_policies(), 3)
            self.assertFalse(policy._due_batch(100))
            self.assertTrue(policy.last_run_at)
        self.assertEqual(sorted(policy.request_ids.line_ids.mapped("res_id")), complaints.ids)

    def test_each_batch_starts_after_the_previous_one(self):
        """A run goes through the records in id order: each batch starts after
        the last record of the previous batch (it does not read the records
        already handled again); a record before that position that becomes
        due meanwhile is handled by the next run."""
        policy = self._complaint_policy(action="archive", batch_size=2)
        complaints = self._complaints(5)
        late = complaints[0]
        late.sudo().write({"state": "investigating"})
        cron = self.env.ref("service_quality.ir_cron_retention_apply_policies")
        with freeze_time("2026-06-01"):
            cron.method_direct_trigger()
            self.assertEqual(policy.run_last_id, complaints[2].id)
            self.assertFalse(any(complaints[1:3].mapped("active")))
            # due again, but before the position of the run
            late.sudo()._workflow_write({"state": "closed", "closed_at": "2023-03-01 10:00:00"})
            # the second full batch, then the call that finds nothing after it
            self.assertEqual(self._apply_policies(), 2)
            self.assertFalse(any(complaints[1:].mapped("active")))
            self.assertTrue(late.active, "handled by the next run")
            self.assertEqual(policy.run_last_id, 0, "the run ends at its last batch")
            self._apply_policies()
        self.assertFalse(late.active)
