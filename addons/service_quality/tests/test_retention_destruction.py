import hashlib
import json
from unittest.mock import patch

import psycopg2
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..models.service_retention_mixin import retention_export_fields, retention_export_rows
from ..models.service_retention_request_line import ServiceRetentionRequestLine
from .retention_common import RetentionCommon


@tagged("post_install", "-at_install")
class TestRetentionDestruction(RetentionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy = cls._complaint_policy(batch_size=2)
        cls.complaints = cls._complaints(5)
        with freeze_time("2026-06-01"):
            cls._run_policy(cls.policy, cls.archivist)
        cls.requests = cls.policy.request_ids

    def _approve_all(self):
        self.requests.with_user(self.archivist_2).action_approve()

    def test_requester_is_the_archivist_who_ran_the_policy(self):
        self.assertEqual(self.requests.requested_by_id, self.archivist)
        self.assertTrue(all(name.startswith("DEST") for name in self.requests.mapped("name")))

    def test_approval_rules(self):
        with self.assertRaisesRegex(UserError, "another archivist must approve"):
            self.requests.with_user(self.archivist).action_approve()
        with self.assertRaises(AccessError):
            self.requests.with_user(self.manager).action_approve()
        self.assertEqual(set(self.requests.mapped("state")), {"proposed"})
        self._approve_all()
        self.assertEqual(set(self.requests.mapped("state")), {"approved"})
        self.assertEqual(self.requests.approved_by_id, self.archivist_2)
        with self.assertRaisesRegex(UserError, "it must be To Approve first"):
            self.requests.with_user(self.archivist_2).action_approve()

    def test_workflow_fields_cannot_be_forged(self):
        request = self.requests[0]
        for values in (
            {"state": "approved"},
            {"approved_by_id": self.archivist_2.id},
            {"requested_by_id": self.archivist_2.id},
        ):
            with self.assertRaisesRegex(UserError, "change only through Approve"):
                request.with_user(self.archivist).write(values)
        self.assertEqual(request.state, "proposed")
        request.with_user(self.archivist).write({"note": "Checked against the contract list"})
        with self.assertRaises(AccessError):
            request.line_ids.with_user(self.archivist).write({"state": "destroyed"})
        with self.assertRaises(AccessError):
            self.Request.with_user(self.archivist).create({"policy_id": self.policy.id})

    def test_unapproved_request_cannot_be_destroyed(self):
        with self.assertRaisesRegex(UserError, "is not approved"):
            self.requests.with_user(self.archivist_2).action_destroy()
        self.assertEqual(len(self.complaints.exists()), 5)
        self.assertFalse(self.Register.search([("model", "=", "service.complaint")]))
        # Even the job leaves proposed requests alone.
        self.env.ref("service_quality.ir_cron_retention_destroy_approved").method_direct_trigger()
        self.assertEqual(len(self.complaints.exists()), 5)

    def test_rejected_request_keeps_the_records(self):
        request = self.requests[0]
        request.with_user(self.archivist_2).action_reject()
        self.assertEqual(request.state, "rejected")
        self.assertEqual(set(request.line_ids.mapped("state")), {"rejected"})
        with self.assertRaisesRegex(UserError, "is not approved"):
            request.with_user(self.archivist_2).action_destroy()
        self.assertEqual(len(self.complaints.exists()), 5)

    def test_destruction_writes_the_register(self):
        expected = {c.id: (c.display_name,) for c in self.complaints}
        fingerprints = self.complaints._retention_fingerprints()
        self._approve_all()
        with freeze_time("2026-06-02 09:00:00"):
            self.requests.with_user(self.archivist_2).action_destroy()
            self._destroy_approved()
        self.assertFalse(self.complaints.exists())
        rows = self.Register.search(
            [("model", "=", "service.complaint"), ("res_id", "in", self.complaints.ids)]
        )
        self.assertEqual(len(rows), 5)
        for row in rows:
            self.assertEqual(row.display_name, expected[row.res_id][0])
            self.assertEqual(row.fingerprint, fingerprints[row.res_id])
            self.assertEqual(row.policy_id, self.policy)
            self.assertEqual(row.requested_by, self.archivist)
            self.assertEqual(row.approved_by, self.archivist_2)
            self.assertEqual(row.destroyed_by_id, self.archivist_2)
            self.assertEqual(str(row.destroyed_at), "2026-06-02 09:00:00")
        self.assertEqual(set(self.requests.mapped("state")), {"done"})
        self.assertEqual(sum(self.requests.mapped("destroyed_count")), 5)

    def test_register_pdf(self):
        self._approve_all()
        self.requests.with_user(self.archivist_2).action_destroy()
        self._destroy_approved()
        rows = self.Register.search([("request_id", "in", self.requests.ids)])
        html = (
            self.env["ir.actions.report"]
            .with_user(self.archivist)
            ._render_qweb_html("service_quality.report_retention_register", rows.ids)[0]
            .decode()
        )
        self.assertIn("Destruction Register", html)
        for row in rows:
            self.assertIn(row.fingerprint, html)
            self.assertIn(row.display_name, html)
        action = rows.with_user(self.archivist).action_print_register()
        self.assertEqual(action["report_name"], "service_quality.report_retention_register")

    def test_destroy_now_queues_the_job(self):
        self._approve_all()
        cron = self.env.ref("service_quality.ir_cron_retention_destroy_approved")
        triggers = self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
        with freeze_time("2026-06-02 09:00:00"):
            action = self.requests.with_user(self.archivist_2).action_destroy()
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]), triggers + 1
        )
        # nothing destroyed in the click: the request shows it is queued
        self.assertEqual(len(self.complaints.exists()), 5)
        self.assertEqual(set(self.requests.mapped("state")), {"approved"})
        self.assertEqual(self.requests.destroy_queued_by_id, self.archivist_2)
        self.assertEqual(str(self.requests[0].destroy_queued_at), "2026-06-02 09:00:00")
        with freeze_time("2026-06-02 09:05:00"):
            cron.method_direct_trigger()
            # one batch (the policy's 2 lines) per call; after a full batch
            # one more call is reported, without counting the 3 left
            progress = self.env["ir.cron.progress"].search(
                [("cron_id", "=", cron.id)], order="id desc", limit=1
            )
            self.assertEqual((progress.done, progress.remaining), (2, 1))
            self.assertEqual(len(self.complaints.exists()), 3)
            self._destroy_approved()
        self.assertFalse(self.complaints.exists())
        self.assertEqual(set(self.requests.mapped("state")), {"done"})
        for request in self.requests:
            self.assertEqual(str(request.destroyed_at), "2026-06-02 09:05:00")
            self.assertIn(
                "Destruction done: Destroyed", "".join(request.message_ids.mapped("body"))
            )

    def test_export_rows_are_odoo_export(self):
        """The fingerprint export is Odoo's own export, cell by cell: empty
        and set relations, selections as labels, date-times in UTC, HTML,
        numbers."""
        order = self.env["service.order"].create(
            {
                "partner_id": self.customer.id,
                "description": "<p>Drum bearing</p>",
                "closed_at": "2024-02-03 04:05:06",
            }
        )
        complaints = self.complaints | self._complaints(1, closed_at=False, state="new")
        for batch in (complaints, order):
            names = retention_export_fields(batch)
            batch = batch.with_context(lang="en_US", tz="UTC", retention_no_log=True)  # noqa: PLW2901
            self.assertEqual(retention_export_rows(batch, names), batch.export_data(names)["datas"])

    def test_fingerprint_is_reproducible_from_exported_data(self):
        complaint = self.complaints[0]
        field_names = complaint._retention_export_fields()
        self.assertIn("description", field_names)
        self.assertIn("partner_id", field_names)
        row = complaint.with_context(lang="en_US", tz="UTC").export_data(field_names)["datas"][0]
        payload = json.dumps(
            {"model": "service.complaint", "data": dict(zip(field_names, row, strict=True))},
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
            default=str,
        )
        expected = hashlib.sha256(payload.encode("utf-8")).hexdigest()
        self.assertEqual(complaint._retention_fingerprints()[complaint.id], expected)
        self.assertEqual(
            complaint._retention_fingerprints()[complaint.id], expected, "Same data, same hash"
        )
        # (the description of a closed complaint is locked: the workflow writes it here)
        complaint._workflow_write({"description": "<p>Changed</p>"})
        self.assertNotEqual(complaint._retention_fingerprints()[complaint.id], expected)

    def test_register_is_immutable(self):
        self._approve_all()
        self.requests.with_user(self.archivist_2).action_destroy()
        self._destroy_approved()
        row = self.Register.search(
            [("res_id", "=", self.complaints[0].id), ("model", "=", "service.complaint")]
        )
        self.assertTrue(row)
        for register in (row, row.sudo(), row.with_user(self.archivist)):
            with self.assertRaisesRegex(UserError, "cannot be changed"):
                register.write({"display_name": "forged"})
            with self.assertRaisesRegex(UserError, "cannot be deleted"):
                register.unlink()
        with self.assertRaisesRegex(UserError, "only by the destruction"):
            self.Register.sudo().create({"model": "x", "res_id": 1})
        # Under the ORM, the table itself refuses changes.
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.errors.RaiseException):
            with self.env.cr.savepoint():
                self.env.cr.execute(
                    "UPDATE service_retention_register SET display_name = 'x' WHERE id = %s",
                    [row.id],
                )
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.errors.RaiseException):
            with self.env.cr.savepoint():
                self.env.cr.execute(
                    "DELETE FROM service_retention_register WHERE id = %s", [row.id]
                )
        row.invalidate_recordset()
        self.assertEqual(
            row.display_name,
            self.requests.line_ids.filtered(lambda line: line.res_id == row.res_id).res_name,
        )

    def test_crash_in_a_batch_then_resume(self):
        self._approve_all()
        original = ServiceRetentionRequestLine._destroy_records
        calls = []

        def crash_on_second_batch(lines, policy, rows):
            calls.append(lines.ids)
            if len(calls) == 2:
                original(lines, policy, rows)  # deleted and registered, then the crash
                raise RuntimeError("power cut")
            return original(lines, policy, rows)

        self.requests.with_user(self.archivist_2).action_destroy()
        cron = self.env.ref("service_quality.ir_cron_retention_destroy_approved")
        # each call of the job is a transaction of its own (the cron runner commits it)
        with patch.object(ServiceRetentionRequestLine, "_destroy_records", crash_on_second_batch):
            with self.env.cr.savepoint():
                cron.method_direct_trigger()
            # (the server action of the job reports the error as a ValueError)
            with self.assertRaisesRegex(ValueError, "power cut"), self.env.cr.savepoint():
                cron.method_direct_trigger()
        self.env.invalidate_all()
        registered = set(
            self.Register.search([("model", "=", "service.complaint")]).mapped("res_id")
        )
        present = set(self.complaints.exists().ids)
        # Every record is either present or gone with its register row.
        self.assertEqual(len(registered), 2)
        self.assertEqual(present | registered, set(self.complaints.ids))
        self.assertFalse(present & registered)
        lines = self.requests.line_ids
        self.assertEqual(
            set(lines.filtered(lambda line: line.res_id in present).mapped("state")), {"pending"}
        )
        self.assertEqual(
            set(lines.filtered(lambda line: line.res_id in registered).mapped("state")),
            {"destroyed"},
        )
        # Running again resumes where it stopped.
        self._destroy_approved()
        self.env.invalidate_all()
        self.assertFalse(self.complaints.exists())
        self.assertEqual(self.Register.search_count([("model", "=", "service.complaint")]), 5)
        self.assertEqual(set(self.requests.mapped("state")), {"done"})

    def test_running_twice_processes_nothing_twice(self):
        self._approve_all()
        self.requests.with_user(self.archivist_2).action_destroy()
        self._destroy_approved()
        self._destroy_approved()
        self.assertEqual(self.Register.search_count([("model", "=", "service.complaint")]), 5)
        self.assertEqual(
            self.env["service.retention.request.line"]._destroy_batch(10, self.requests.ids), 0
        )

    def test_batches_take_the_next_pending_lines(self):
        """Each batch takes the first pending lines, request by request in id
        order, through the partial index of pending lines by request, so a
        long run does not rescan the lines of the requests it destroyed;
        each call reports its progress."""
        self._approve_all()
        Line = self.env["service.retention.request.line"].sudo()
        lines = self.requests.line_ids.sorted("id")
        self.assertEqual(Line._destroy_batch(2, self.requests.ids), 2)
        self.assertEqual(lines[:2].mapped("state"), ["destroyed", "destroyed"])
        self.assertEqual(set(lines[2:].mapped("state")), {"pending"})
        self.assertEqual(Line._cron_count(Line._destroy_condition()), 3)
        self.assertEqual(Line._destroy_batch(10, self.requests.ids), 3)
        self.assertEqual(Line._destroy_batch(10, self.requests.ids), 0)
        self.env.cr.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = "
            "'service_retention_request_line_request_pending_idx'"
        )
        self.assertIn("(request_id, id) WHERE", self.env.cr.fetchone()[0])

    def test_record_no_longer_due_is_kept(self):
        self._approve_all()
        reopened = self.complaints[0]
        reopened.sudo().write({"state": "investigating"})
        self.requests.with_user(self.archivist_2).action_destroy()
        self._destroy_approved()
        self.assertTrue(reopened.exists())
        line = self.requests.line_ids.filtered(lambda line: line.res_id == reopened.id)
        self.assertEqual(line.state, "not_due")
        self.assertEqual(len(self.complaints.exists()), 1)

    def test_destruction_query_count_is_constant(self):
        self._approve_all()
        line_model = self.env["service.retention.request.line"].sudo()
        self.env.flush_all()
        self.env.invalidate_all()
        line_model._destroy_batch(1, self.requests.ids)  # warm the caches
        processed, one = self._count_queries(line_model._destroy_batch, 1, self.requests.ids)
        self.assertEqual(processed, 1)
        processed, three = self._count_queries(line_model._destroy_batch, 3, self.requests.ids)
        self.assertEqual(processed, 3)
        # The three lines span two requests of the same policy: at most one query more
        # than one line (measured 23 against 22 since records carry a legal hold).
        self.assertLessEqual(three, one + 1)
        self.assertLess(one, 60)

    def test_policy_on_a_model_outside_the_mixin(self):
        """Any model may have a policy: records of a model without the
        retention mixin are destroyed alone; one still referred to by another
        table is kept and its line names the referring model."""
        partners = self.env["res.partner"].create(
            [{"name": f"Retention lead {index}", "ref": "RETENTION-LEAD"} for index in range(2)]
        )
        self.env["service.complaint"].create(
            {"partner_id": partners[1].id, "description": "Door hinge squeaks"}
        )
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE res_partner SET write_date = '2020-01-01' WHERE id IN %s", [tuple(partners.ids)]
        )
        partners.invalidate_recordset()
        policy = self.Policy.create(
            {
                "name": "Unanswered leads 5 years",
                "model_id": self.env["ir.model"]._get("res.partner").id,
                "date_field": "write_date",
                "years": 5,
                "domain": "[('ref', '=', 'RETENTION-LEAD')]",
                "action": "destroy",
            }
        )
        with freeze_time("2026-06-01"):
            self._run_policy(policy, self.archivist)
        request = policy.request_ids
        self.assertEqual(sorted(request.line_ids.mapped("res_id")), sorted(partners.ids))
        request.with_user(self.archivist_2).action_approve()
        with (
            freeze_time("2026-06-02"),
            mute_logger("odoo.sql_db"),
            self.assertLogs("odoo.addons.service_quality", "WARNING"),
        ):
            request.with_user(self.archivist_2).action_destroy()
            self._destroy_approved()
        self.assertFalse(partners[0].exists())
        self.assertTrue(partners[1].exists())
        lines = {line.res_id: line for line in request.line_ids}
        self.assertEqual(lines[partners[0].id].state, "destroyed")
        failed = lines[partners[1].id]
        self.assertEqual(failed.state, "error")
        self.assertIn("Retention lead 1 cannot be destroyed", failed.message)
        self.assertIn("Service Complaint records still refer to it", failed.message)
        rows = self.Register.search([("model", "=", "res.partner"), ("res_id", "in", partners.ids)])
        self.assertEqual(rows.mapped("res_id"), partners[0].ids, "no row for the kept record")
