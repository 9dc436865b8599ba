"""Archived records are read by archivists only; anyone else through an
approved borrowing until its end date.

On a fresh install (no setting to switch on) every role outside the
archivists is refused an archived service order, complaint, tool file and
certificate through every path: a search with ``active_test=False``,
``read()`` by id, the web form (``web_read``) and the PDF report. An
approved borrowing (decided by an archivist or a manager other than the
requester) opens that one record to its requester until the end date; the
day after, the read rule refuses again before the daily job marks it ended.
"""

from contextlib import contextmanager
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.sql_db import Cursor
from odoo.tests import new_test_user, tagged
from odoo.tests.common import TransactionCase

from odoo.addons.service_quality.tests.common import create_role_users

# model -> xml id of its PDF report (models without one print through another file)
REPORTS = {
    "service.order": "service_quality.report_service_order",
    "maintenance.equipment": "equipment_care.action_report_equipment_file",
}


@tagged("post_install", "-at_install")
class TestArchivedBorrowing(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        create_role_users(
            cls,
            {
                "technician": ("brw_tech", "technician", "Tao Technician"),
                "dispatcher": ("brw_dispatch", "dispatcher", "Dai Dispatcher"),
                "inspector": ("brw_inspect", "inspector", "Ina Inspector"),
                "manager": ("brw_manager", "manager", "Ma Manager"),
                "archivist": ("brw_archivist", "archivist", "Ai Archivist"),
                "keeper": ("brw_keeper", "equipment_care.group_equipment_keeper", "Ke Keeper"),
                "officer": (
                    "brw_officer",
                    "service_training.group_training_officer",
                    "Ou Officer",
                ),
            },
        )
        cls.hr_officer = new_test_user(
            cls.env,
            "brw_hr",
            groups="hr.group_hr_user,service_quality.group_service_user",
            name="He HR Officer",
        )
        customer = cls.env["res.partner"].create({"name": "Zhou Min"})
        cls.order = cls.env["service.order"].create(
            {"partner_id": customer.id, "user_id": cls.technician.id}
        )
        cls.complaint = cls.env["service.complaint"].create(
            {"partner_id": customer.id, "service_order_id": cls.order.id}
        )
        cls.tool = cls.env["maintenance.equipment"].create({"name": "Torque wrench TW-9"})
        employee = cls.env["hr.employee"].create(
            {"name": "Tao Technician", "user_id": cls.technician.id}
        )
        cert_type = cls.env["training.certification.type"].create(
            {"name": "Refrigerant (borrowing)", "code": "B-REF", "validity_months": 36}
        )
        cls.certificate = cls.env["training.certification"].create(
            {"employee_id": employee.id, "type_id": cert_type.id, "issue_date": "2020-01-10"}
        )
        # Who reads each record while it is active (their job), outside the archivists.
        cls.readers = {
            cls.order: (cls.technician, cls.dispatcher, cls.inspector, cls.manager),
            cls.complaint: (cls.dispatcher, cls.inspector, cls.manager),
            cls.tool: (cls.technician, cls.keeper, cls.hr_officer, cls.dispatcher),
            cls.certificate: (cls.technician, cls.officer, cls.dispatcher),
        }
        cls.Borrowing = cls.env["service.records.borrowing"]

    def _archive(self):
        # sudo + write: how the retention job archives (service.retention.policy)
        for record in self.readers:
            record.sudo().write({"active": False})

    # ------------------------------------------------------------------
    # the paths
    # ------------------------------------------------------------------
    def _searched(self, user, record):
        Model = self.env[record._name].with_user(user).with_context(active_test=False)
        return Model.search_read([("id", "=", record.id)], ["display_name"])

    def _print(self, user, record):
        report = self.env.ref(REPORTS[record._name])
        return (
            self.env["ir.actions.report"]
            .with_user(user)
            ._render_qweb_pdf(report.report_name, record.ids)
        )

    def assertReadable(self, user, record):
        msg = f"{user.login} reads {record._name} {record.id}"
        self.assertEqual(len(self._searched(user, record)), 1, msg)
        self.assertEqual(record.with_user(user).read(["display_name"])[0]["id"], record.id, msg)
        self.assertEqual(
            record.with_user(user).web_read({"display_name": {}})[0]["id"], record.id, msg
        )
        if record._name in REPORTS:
            self.assertTrue(self._print(user, record)[0], msg)

    def assertRefused(self, user, record):
        msg = f"{user.login} must not read {record._name} {record.id}"
        self.assertFalse(self._searched(user, record), msg)
        record = record.with_user(user)
        with self.assertRaises(AccessError, msg=msg):
            record.read(["display_name"])
        with self.assertRaises(AccessError, msg=msg):
            record.invalidate_recordset()
            record.web_read({"display_name": {}})
        if record._name in REPORTS:
            with self.assertRaises(AccessError, msg=msg):
                self._print(user, record)

    def _borrow(self, user, record, end_date="2026-06-30"):
        return self.Borrowing.with_user(user).create(
            {
                "res_model": record._name,
                "res_id": record.id,
                "reason": "Warranty claim of the customer",
                "end_date": end_date,
            }
        )

    # ------------------------------------------------------------------
    # tests
    # ------------------------------------------------------------------
    def test_archived_read_rules_are_global_on_a_fresh_install(self):
        for xmlid in (
            "service_quality.service_order_rule_archived_read",
            "service_quality.service_complaint_rule_archived_read",
            "equipment_care.maintenance_equipment_rule_archived_read",
            "service_training.training_certification_rule_archived_read",
        ):
            rule = self.env.ref(xmlid)
            self.assertTrue(rule.active and rule.perm_read, xmlid)
            self.assertFalse(rule.groups, f"{xmlid} applies to every group")
        self.assertNotIn("borrowing_required", self.env["service.retention.policy"]._fields)

    @freeze_time("2026-06-01")
    def test_every_role_refused_every_path_without_a_borrowing(self):
        for record, users in self.readers.items():
            for user in users:
                self.assertReadable(user, record)
        self._archive()
        for record, users in self.readers.items():
            for user in users:
                self.assertRefused(user, record)
            self.assertReadable(self.archivist, record)

    @freeze_time("2026-06-01")
    def test_approved_borrowing_opens_one_record_to_its_requester_until_the_end_date(self):
        self._archive()
        running = self.Borrowing
        for record, users in self.readers.items():
            requester, *others = users
            borrowing = self._borrow(requester, record)
            running |= borrowing
            self.assertRefused(requester, record)
            # The requester does not decide; managers and archivists do.
            with self.assertRaises(AccessError):
                borrowing.with_user(requester).action_approve()
            decider = self.manager if requester != self.manager else self.archivist
            borrowing.with_user(decider).action_approve()
            self.assertReadable(requester, record)
            for other in others:
                self.assertRefused(other, record)
            # still read-only for the borrower
            with self.assertRaises(Exception) as caught:
                record.with_user(requester).write({"active": True})
            self.assertIsInstance(caught.exception, (UserError, AccessError))
            self.assertFalse(record.active)

        with freeze_time("2026-06-30"):
            for record, users in self.readers.items():
                self.assertReadable(users[0], record)
        with freeze_time("2026-07-01"):
            # the day after the end date: refused before the job runs
            for record, users in self.readers.items():
                self.assertRefused(users[0], record)
            self.assertEqual(set(running.mapped("state")), {"approved"})
            self.env.ref("service_quality.ir_cron_records_borrowing_expire").method_direct_trigger()
            self.assertEqual(set(running.mapped("state")), {"expired"})

    @freeze_time("2026-06-01")
    def test_a_manager_borrows_and_another_manager_or_archivist_approves(self):
        self._archive()
        manager_2 = new_test_user(
            self.env, "brw_manager2", groups="service_quality.group_service_manager"
        )
        borrowing = self._borrow(self.manager, self.order)
        with self.assertRaisesRegex(UserError, "someone else must decide"):
            borrowing.with_user(self.manager).action_approve()
        self.assertEqual(borrowing.state, "requested")
        self.assertRefused(self.manager, self.order)
        borrowing.with_user(manager_2).action_approve()
        self.assertEqual(borrowing.approved_by_id, manager_2)
        self.assertReadable(self.manager, self.order)
        self.assertRefused(manager_2, self.order)

    @freeze_time("2026-06-01")
    def test_refused_or_returned_borrowing_gives_no_access(self):
        self._archive()
        refused = self._borrow(self.keeper, self.tool)
        refused.with_user(self.archivist).action_refuse()
        self.assertRefused(self.keeper, self.tool)
        returned = self._borrow(self.officer, self.certificate)
        returned.with_user(self.archivist).action_approve()
        self.assertReadable(self.officer, self.certificate)
        returned.with_user(self.officer).action_return()
        self.assertRefused(self.officer, self.certificate)

    @contextmanager
    def _borrowing_queries(self):
        """The SQL queries run inside the block that read the borrowings."""
        queries = []
        execute = Cursor.execute

        def spy(cr, query, params=None, log_exceptions=True):
            text = str(getattr(query, "code", query))
            if "service_records_borrowing" in text:
                queries.append(text)
            return execute(cr, query, params, log_exceptions)

        with patch.object(Cursor, "execute", spy):
            yield queries

    @freeze_time("2026-06-01")
    def test_borrowings_cached_per_reader_and_day_cleared_on_decision(self):
        self._archive()
        orders = self.env["service.order"].with_user(self.technician)
        orders = orders.with_context(active_test=False)
        self.assertNotIn(self.order.id, orders.search([]).ids)
        # a list read of orders, cache of the records dropped as between requests
        with self._borrowing_queries() as queries:
            self.env.invalidate_all()
            rows = orders.search_read([], ["name", "state", "partner_id"])
        self.assertFalse(queries, "a list read of orders reads no borrowing")
        self.assertNotIn(self.order.id, [row["id"] for row in rows])

        borrowing = self._borrow(self.technician, self.order)
        with self._borrowing_queries() as queries:
            self.env.invalidate_all()
            self.assertNotIn(self.order.id, orders.search([]).ids)
        self.assertFalse(queries, "a request is not an approval: the cache stays")
        borrowing.with_user(self.manager).action_approve()
        with self._borrowing_queries() as queries:
            self.assertIn(self.order.id, orders.search([]).ids)
        self.assertTrue(queries, "the approval cleared the cache")
        with self._borrowing_queries() as queries:
            self.env.invalidate_all()
            self.assertIn(self.order.id, orders.search([]).ids)
        self.assertFalse(queries)
        # another reader is not given the borrower's cached rights
        self.assertNotIn(self.order.id, orders.with_user(self.dispatcher).search([]).ids)

        borrowing.with_user(self.technician).action_return()
        self.assertNotIn(self.order.id, orders.search([]).ids)
        self.assertRefused(self.technician, self.order)

        # the key holds the day: past the end date the rights end without a write
        running = self._borrow(self.technician, self.order, end_date="2026-06-02")
        running.with_user(self.manager).action_approve()
        self.assertIn(self.order.id, orders.search([]).ids)
        with freeze_time("2026-06-03"):
            self.assertNotIn(self.order.id, orders.search([]).ids)
