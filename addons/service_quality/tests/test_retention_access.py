from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .retention_common import RetentionCommon


@tagged("post_install", "-at_install")
class TestRetentionAccess(RetentionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.order = cls.env["service.order"].create(
            {
                "partner_id": cls.customer.id,
                "user_id": cls.technician.id,
                "state": "closed",
                "closed_at": "2022-05-01 12:00:00",
                "description": "<p>Replaced the drain pump</p>",
            }
        )
        cls.active_order = cls.env["service.order"].create(
            {"partner_id": cls.customer.id, "user_id": cls.technician.id}
        )
        cls.archive_policy = cls.Policy.create(
            {
                "name": "Orders archive",
                "model_id": cls.model_order.id,
                "date_field": "closed_at",
                "years": 3,
                "action": "archive",
                # archived records only: the log of active ones is tested apart
                "log_active_access": False,
            }
        )
        with freeze_time("2025-06-01"):
            cls._apply_policies()
        cls.Log = cls.env["service.access.log"]

    def test_closing_stamps_the_closure_date(self):
        with freeze_time("2026-02-03 04:05:06"):
            self.active_order.write({"state": "closed"})
        self.assertEqual(str(self.active_order.closed_at), "2026-02-03 04:05:06")

    def test_archived_by_the_job(self):
        self.assertFalse(self.order.active)
        self.assertTrue(self.active_order.active)

    def test_archived_record_read_only_except_archivists(self):
        for user in (self.technician, self.dispatcher, self.manager):
            # not even read without a borrowing
            with self.assertRaises(AccessError):
                self.order.with_user(user).write({"description": "<p>rewritten</p>"})
            self._lend(self.order, user)
            # read through the borrowing, still not changed
            self.order.with_user(user).invalidate_recordset()
            self.assertEqual(self.order.with_user(user).name, self.order.name)
            with self.assertRaisesRegex(UserError, "only an archivist can change it"):
                self.order.with_user(user).write({"contact_phone": "021 0000"})
            with self.assertRaisesRegex(UserError, "only an archivist can change it"):
                self.order.with_user(user).action_unarchive()
        self.assertIn("drain pump", self.order.description)
        # Active records stay editable as usual.
        self.active_order.with_user(self.dispatcher).write({"contact_phone": "021 5555"})
        # The archivist may correct and restore.
        self.order.with_user(self.archivist).write({"contact_phone": "021 6666"})
        self.order.with_user(self.archivist).action_unarchive()
        self.assertTrue(self.order.active)

    def test_archived_record_never_deleted_outside_a_request(self):
        with self.assertRaisesRegex(UserError, "approved retention request"):
            self.order.with_user(self.manager).unlink()
        with self.assertRaisesRegex(UserError, "approved retention request"):
            self.order.sudo().unlink()
        with self.assertRaises(AccessError):
            self.order.with_user(self.archivist).unlink()
        self.assertTrue(self.order.exists())

    def test_open_export_print_are_logged(self):
        self.dispatcher.groups_id += self.env.ref("base.group_allow_export")
        self._lend(self.order, self.dispatcher)
        self.order.with_user(self.dispatcher).web_read({"name": {}})
        self.active_order.with_user(self.dispatcher).web_read({"name": {}})
        self.order.with_user(self.dispatcher).export_data(["name", "partner_id"])
        view = self.env["ir.ui.view"].create(
            {
                "name": "test_retention_print",
                "type": "qweb",
                "key": "service_quality.test_retention_print",
                "arch": '<t t-name="service_quality.test_retention_print">'
                '<t t-foreach="docs" t-as="o"><p t-out="o.name"/></t></t>',
            }
        )
        report = self.env["ir.actions.report"].create(
            {
                "name": "Order test print",
                "model": "service.order",
                "report_type": "qweb-html",
                "report_name": view.key,
            }
        )
        html = (
            self.env["ir.actions.report"]
            .with_user(self.dispatcher)
            ._render_qweb_html(report.id, self.order.ids)[0]
        )
        self.assertIn(self.order.name, html.decode())
        logs = self.Log.search(
            [("res_model", "=", "service.order"), ("res_id", "=", self.order.id)]
        )
        self.assertEqual(sorted(logs.mapped("access_type")), ["export", "open", "print"])
        self.assertEqual(logs.user_id, self.dispatcher)
        self.assertFalse(
            self.Log.search(
                [("res_id", "=", self.active_order.id), ("res_model", "=", "service.order")]
            )
        )
        with self.assertRaises(UserError):
            logs[0].sudo().write({"access_type": "open"})
        with self.assertRaises(UserError):
            logs[0].sudo().unlink()

    def test_web_read_is_not_a_readonly_call(self):
        # The access log is written while reading: the RPC must get a read/write cursor.
        method = type(self.env["service.order"]).web_read
        self.assertFalse(getattr(method, "_readonly", True))
        # A list does not open its records: no log, a read-only call.
        self.assertTrue(type(self.env["service.order"]).web_search_read._readonly)
        result = (
            self.env["service.order"]
            .with_user(self.archivist)
            .with_context(active_test=False)
            .web_search_read([("id", "=", self.order.id)], {"name": {}})
        )
        self.assertEqual(result["records"][0]["name"], self.order.name)
        self.assertFalse(
            self.env["service.access.log"].search(
                [("res_model", "=", "service.order"), ("res_id", "=", self.order.id)]
            )
        )

    def test_policy_access_per_role(self):
        Policy = self.Policy
        self.assertTrue(
            Policy.with_user(self.technician).search([("id", "=", self.archive_policy.id)])
        )
        for user in (self.technician, self.dispatcher, self.manager):
            with self.assertRaises(AccessError):
                Policy.with_user(user).create(
                    {"name": "x", "model_id": self.model_order.id, "date_field": "closed_at"}
                )
            with self.assertRaises(AccessError):
                self.archive_policy.with_user(user).write({"years": 10})
        self.archive_policy.with_user(self.archivist).write({"years": 10})
        self.assertEqual(self.archive_policy.years, 10)
        with self.assertRaisesRegex(UserError, "Only archivists"):
            self.archive_policy.with_user(self.manager).action_run()
        with self.assertRaises(AccessError):
            self.archive_policy.with_user(self.portal_user).read(["name"])

    def test_register_request_log_access_per_role(self):
        for model in (
            "service.retention.register",
            "service.retention.request",
            "service.access.log",
        ):
            for user in (
                self.technician,
                self.dispatcher,
                self.inspector,
                self.employee,
                self.portal_user,
            ):
                with self.assertRaises(AccessError, msg=f"{user.login} must not read {model}"):
                    self.env[model].with_user(user).search([])
            for user in (self.archivist, self.manager):
                self.env[model].with_user(user).search([])
        for user in (self.manager, self.archivist):
            with self.assertRaises(AccessError):
                self.env["service.retention.register"].with_user(user).create(
                    {"model": "x", "res_id": 1}
                )
            with self.assertRaises(AccessError):
                self.env["service.access.log"].with_user(user).create(
                    {"res_model": "x", "res_id": 1, "user_id": user.id, "access_type": "open"}
                )
