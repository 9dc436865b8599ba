from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .retention_common import RetentionCommon


@tagged("post_install", "-at_install")
class TestRecordsBorrowing(RetentionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls.env["service.order"].create(
            {
                "partner_id": cls.customer.id,
                "user_id": cls.technician.id,
                "state": "closed",
                "closed_at": "2020-05-01 12:00:00",
                "description": "<p>Replaced the drain pump</p>",
            }
        )
        cls.other_order = cls.order.copy({"closed_at": "2020-05-01 12:00:00"})
        cls.active_order = cls.env["service.order"].create(
            {"partner_id": cls.customer.id, "user_id": cls.technician.id}
        )
        cls.policy = cls.Policy.create(
            {
                "name": "Orders archive",
                "model_id": cls.model_order.id,
                "date_field": "closed_at",
                "years": 3,
            }
        )
        (cls.order | cls.other_order).with_context(retention_destroy=True).action_archive()
        cls.Borrowing = cls.env["service.records.borrowing"]

    def _ask(self, user, record=None, end_date="2026-06-30"):
        record = record or self.order
        return self.Borrowing.with_user(user).create(
            {
                "res_model": record._name,
                "res_id": record.id,
                "reason": "Warranty claim of the customer",
                "end_date": end_date,
            }
        )

    def _readable(self, user, record=None):
        record = record or self.order
        Order = self.env["service.order"].with_user(user).with_context(active_test=False)
        return bool(Order.search([("id", "=", record.id)]))

    @freeze_time("2026-06-01")
    def test_archived_record_read_only_through_an_approved_borrowing(self):
        self.assertFalse(self._readable(self.dispatcher))
        with self.assertRaises(AccessError):
            self.order.with_user(self.dispatcher).web_read({"name": {}})
        # Archivists read archived records; active records stay readable by all.
        self.assertTrue(self._readable(self.archivist))
        self.assertTrue(self._readable(self.dispatcher, self.active_order))

        borrowing = self._ask(self.dispatcher)
        self.assertEqual(borrowing.state, "requested")
        self.assertEqual(borrowing.requester_id, self.dispatcher)
        self.assertEqual(borrowing.res_name, self.order.display_name)
        self.assertFalse(self._readable(self.dispatcher))

        borrowing.with_user(self.archivist).action_approve()
        self.assertEqual(borrowing.approved_by_id, self.archivist)
        self.assertTrue(self._readable(self.dispatcher))
        data = self.order.with_user(self.dispatcher).web_read({"name": {}})
        self.assertEqual(data[0]["name"], self.order.name)
        # Only the borrowed record, only for the requester.
        self.assertFalse(self._readable(self.dispatcher, self.other_order))
        self.assertFalse(self._readable(self.technician))
        # Still read-only for the borrower.
        with self.assertRaises(UserError):
            self.order.with_user(self.dispatcher).write({"contact_phone": "021 5555"})

    def test_access_ends_by_itself_and_the_job_ends_the_borrowing(self):
        with freeze_time("2026-06-01"):
            borrowing = self._ask(self.dispatcher)
            borrowing.with_user(self.manager).action_approve()
            self.assertTrue(self._readable(self.dispatcher))
        with freeze_time("2026-07-01"):
            # Past the end date: the read rule refuses before the job runs.
            self.assertEqual(borrowing.state, "approved")
            self.assertFalse(self._readable(self.dispatcher))
            self.env.ref("service_quality.ir_cron_records_borrowing_expire").method_direct_trigger()
            self.assertEqual(borrowing.state, "expired")

    @freeze_time("2026-06-01")
    def test_expiry_job_is_batched(self):
        borrowings = self.Borrowing.browse()
        for _index in range(3):
            borrowing = self._ask(self.dispatcher, end_date="2026-06-05")
            borrowing.with_user(self.archivist).action_approve()
            borrowings |= borrowing
        running = self._ask(self.technician, end_date="2026-12-31")
        running.with_user(self.archivist).action_approve()
        with freeze_time("2026-06-10"):
            self.assertEqual(self.Borrowing._cron_expire(batch_size=2), 2)
            self.assertEqual(self.Borrowing._cron_expire(batch_size=2), 1)
        self.assertEqual(set(borrowings.mapped("state")), {"expired"})
        self.assertEqual(running.state, "approved")

    @freeze_time("2026-06-01")
    def test_decided_by_an_archivist_or_manager_other_than_the_requester(self):
        borrowing = self._ask(self.dispatcher)
        for user in (self.dispatcher, self.technician, self.inspector):
            with self.assertRaises(AccessError):
                borrowing.with_user(user).action_approve()
        own = self._ask(self.manager)
        with self.assertRaisesRegex(UserError, "someone else must decide"):
            own.with_user(self.manager).action_approve()
        self.assertEqual(own.state, "requested")
        own.with_user(self.archivist).action_refuse()
        self.assertEqual(own.state, "refused")
        self.assertFalse(self._readable(self.manager))
        # Approval only through the button.
        with self.assertRaisesRegex(UserError, "with its buttons only"):
            borrowing.with_user(self.manager).write({"state": "approved"})
        self.assertEqual(borrowing.state, "requested")

    @freeze_time("2026-06-01")
    def test_requester_ends_it_early(self):
        borrowing = self._ask(self.dispatcher)
        borrowing.with_user(self.archivist).action_approve()
        with self.assertRaises(AccessError):
            borrowing.with_user(self.technician).action_return()
        borrowing.with_user(self.dispatcher).action_return()
        self.assertEqual(borrowing.state, "expired")
        self.assertFalse(self._readable(self.dispatcher))

    @freeze_time("2026-06-01")
    def test_bad_requests_refused(self):
        with self.assertRaisesRegex(UserError, "is not archived"):
            self._ask(self.dispatcher, self.active_order)
        with self.assertRaises(ValidationError) as caught:
            self._ask(self.dispatcher, end_date="2026-05-01")
        self.assertIn("is in the past", str(caught.exception))
        with self.assertRaisesRegex(UserError, "does not exist"):
            self.Borrowing.with_user(self.dispatcher).create(
                {
                    "res_model": "service.order",
                    "res_id": 987654321,
                    "reason": "x",
                    "end_date": "2026-06-30",
                }
            )
        self.assertFalse(self.Borrowing.search([("requester_id", "=", self.dispatcher.id)]))

    @freeze_time("2026-06-01")
    def test_borrowings_seen_by_requester_archivists_and_managers(self):
        mine = self._ask(self.dispatcher)
        theirs = self._ask(self.technician)
        self.assertEqual(self.Borrowing.with_user(self.dispatcher).search([]), mine)
        self.assertEqual(
            self.Borrowing.with_user(self.archivist).search([("id", "in", (mine | theirs).ids)]),
            mine | theirs,
        )
        self.assertEqual(
            self.Borrowing.with_user(self.manager).search([("id", "in", (mine | theirs).ids)]),
            mine | theirs,
        )
        with self.assertRaises(AccessError):
            theirs.with_user(self.dispatcher).read(["reason"])

    @freeze_time("2026-06-01")
    def test_form_as_requester(self):
        with Form(self.Borrowing.with_user(self.dispatcher)) as form:
            form.res_ref = self.order
            form.reason = "Audit of 2020 repairs"
            form.end_date = "2026-06-15"
        borrowing = form.save()
        self.assertTrue(borrowing.name.startswith("BORR"))
        self.assertEqual((borrowing.res_model, borrowing.res_id), ("service.order", self.order.id))
        self.assertEqual(borrowing.res_name, self.order.display_name)
        self.assertEqual(borrowing.res_ref, self.order)

    @freeze_time("2026-06-01")
    def test_record_picker_offers_archived_records_only(self):
        """The form's picker lists the archived records of the user's
        companies by name, although the requester cannot read them yet."""
        picker = {"retention_borrowing_picker": True, "retention_no_log": True}
        Order = self.env["service.order"].with_user(self.dispatcher)
        offered = dict(Order.with_context(**picker).name_search("", limit=100))
        self.assertIn(self.order.id, offered)
        self.assertIn(self.other_order.id, offered)
        self.assertNotIn(self.active_order.id, offered)
        self.assertEqual(offered[self.order.id], self.order.display_name)
        # by name, as typed in the picker
        found = Order.with_context(**picker).name_search(self.order.name)
        self.assertEqual([row[0] for row in found], [self.order.id])
        # without the picker the read rule still hides them
        self.assertNotIn(self.order.id, dict(Order.name_search("", limit=100)))
        self.assertFalse(self._readable(self.dispatcher))
        # archived records of another company are not offered
        company_2 = self.env["res.company"].create({"name": "Suzhou Service Co."})
        foreign = self.order.copy(
            {
                "company_id": company_2.id,
                "user_id": False,
                "received_at": "2020-04-30 09:00:00",
                "closed_at": "2020-05-01 12:00:00",
            }
        )
        foreign.with_context(retention_destroy=True).action_archive()
        offered = dict(Order.with_context(**picker).name_search("", limit=100))
        self.assertNotIn(foreign.id, offered)
        # nothing is logged: naming a record is not opening it
        logs = self.env["service.access.log"].search([("res_id", "=", self.order.id)])
        self.assertFalse(logs.filtered(lambda log: log.user_id == self.dispatcher))
        # a user with no right to ask for a borrowing gets no name
        with self.assertRaises(AccessError):
            self.env["service.order"].with_user(self.employee).with_context(**picker).name_search(
                ""
            )
        # the record cannot be swapped once requested
        borrowing = self._ask(self.dispatcher)
        with self.assertRaisesRegex(UserError, "with its buttons only"):
            borrowing.with_user(self.dispatcher).res_ref = self.other_order
        self.assertEqual(borrowing.res_id, self.order.id)
        # the picker's value goes through the same checks as a typed one
        with self.assertRaisesRegex(UserError, "is not archived"):
            self.Borrowing.with_user(self.dispatcher).create(
                {
                    "res_ref": f"service.order,{self.active_order.id}",
                    "reason": "Follow-up",
                    "end_date": "2026-06-30",
                }
            )

    @freeze_time("2026-06-01")
    def test_enforced_without_any_policy(self):
        # No setting switches it on or off: with every policy archived, the
        # archived order is still refused to anyone but archivists.
        self.policy.action_archive()
        self.assertFalse(self.Policy.search([("model_id", "=", self.model_order.id)]))
        for user in (self.dispatcher, self.technician, self.inspector, self.manager):
            self.assertFalse(self._readable(user))
        self.assertTrue(self._readable(self.archivist))
