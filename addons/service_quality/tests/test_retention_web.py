from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestRetentionWeb(HttpCase):
    """Opening and printing an archived record through the web client's own
    routes (the read routes are flagged read-only) writes the access log."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dispatcher = new_test_user(
            cls.env,
            "ret_web_disp",
            groups="service_quality.group_service_dispatcher",
            name="Dana Web",
        )
        partner = cls.env["res.partner"].create({"name": "Zhou Min"})
        cls.order = cls.env["service.order"].create(
            {"partner_id": partner.id, "state": "closed", "closed_at": "2021-01-05 10:00:00"}
        )
        cls.order.action_archive()
        # archived: read by the dispatcher through an approved borrowing
        cls.env["service.records.borrowing"].create(
            {
                "res_model": "service.order",
                "res_id": cls.order.id,
                "requester_id": cls.dispatcher.id,
                "reason": "Customer dispute",
                "end_date": "2099-12-31",
                "state": "approved",
            }
        )
        view = cls.env["ir.ui.view"].create(
            {
                "name": "test_retention_web_print",
                "type": "qweb",
                "key": "service_quality.test_retention_web_print",
                "arch": '<t t-name="service_quality.test_retention_web_print">'
                '<t t-foreach="docs" t-as="o"><p t-out="o.name"/></t></t>',
            }
        )
        cls.env["ir.actions.report"].create(
            {
                "name": "Order web print",
                "model": "service.order",
                "report_type": "qweb-html",
                "report_name": view.key,
            }
        )

    def _logs(self, access_type):
        return self.env["service.access.log"].search(
            [
                ("res_model", "=", "service.order"),
                ("res_id", "=", self.order.id),
                ("access_type", "=", access_type),
                ("user_id", "=", self.dispatcher.id),
            ]
        )

    def test_open_and_print_over_http_are_logged(self):
        self.authenticate("ret_web_disp", "ret_web_disp")
        result = self.make_jsonrpc_request(
            "/web/dataset/call_kw/service.order/web_read",
            {
                "model": "service.order",
                "method": "web_read",
                "args": [[self.order.id]],
                "kwargs": {"specification": {"name": {}}, "context": {"active_test": False}},
            },
        )
        self.assertEqual(result[0]["name"], self.order.name)
        self.assertEqual(len(self._logs("open")), 1)
        # a read-only route: the log has a read/write cursor of its own, the
        # request is not refused and run again
        with self.assertNoLogs("odoo.http", "WARNING"), self.assertNoLogs("odoo.sql_db", "ERROR"):
            response = self.url_open(
                f"/report/html/service_quality.test_retention_web_print/{self.order.id}"
            )
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.order.name, response.text)
        self.assertEqual(len(self._logs("print")), 1)

    def test_records_menu_opens(self):
        menu = self.env.ref("service_quality.service_retention_request_menu")
        self.browser_js(
            f"/odoo/action-{menu.action.id}",
            "console.log('test successful')",
            "!!(odoo.isReady && document.querySelector('.o_action_manager .o_view_controller'))",
            login="admin",
            timeout=120,
        )
