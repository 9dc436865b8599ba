"""The demo data a newcomer logs in with: one user per role with the
documented password, and orders that look like a real company's."""

from odoo.tests import HttpCase, tagged

DEMO_LOGINS = {
    "service_quality.user_liu_demo": "service_quality.group_service_user",
    "service_quality.user_guo_demo": "service_quality.group_service_dispatcher",
    "service_quality.user_xu_demo": "service_quality.group_quality_inspector",
    "service_quality.user_lin_demo": "service_quality.group_service_manager",
    "service_quality.user_zhao_demo": "service_quality.group_archivist",
}


@tagged("post_install", "-at_install")
class TestDemoLogins(HttpCase):
    def test_each_role_logs_in_with_the_documented_password(self):
        for xmlid, group in DEMO_LOGINS.items():
            user = self.env.ref(xmlid)
            self.assertTrue(user.has_group(group), xmlid)
            self.authenticate(user.login, "demo")
            self.assertEqual(self.session.uid, user.id, xmlid)
            response = self.url_open("/odoo/action-service_quality.service_order_action")
            self.assertEqual(response.status_code, 200)
        portal = self.env.ref("base.demo_user0")
        self.authenticate(portal.login, "portal")
        self.assertEqual(self.session.uid, portal.id)
        self.assertTrue(
            self.env["service.order"].search([("partner_id", "=", portal.partner_id.id)]),
            "the demo portal customer has service orders to look at",
        )

    def test_demo_orders_look_real(self):
        orders = (
            self.env["service.order"]
            .search([("name", "!=", False)])
            .filtered(lambda o: o.get_external_id().get(o.id, "").endswith("_demo"))
        )
        self.assertGreaterEqual(len(orders), 30)
        bots = self.env.ref("base.user_root") | self.env.ref("base.user_admin")
        self.assertFalse(orders.filtered(lambda o: o.intake_user_id in bots).mapped("name"))
        self.assertFalse(orders.filtered(lambda o: o.user_id in bots).mapped("name"))
        self.assertFalse(orders.filtered(lambda o: o.approved_by_id in bots).mapped("name"))
        self.assertFalse(orders.filtered(lambda o: o.accepted_by_id in bots).mapped("name"))
        self.assertFalse(
            orders.user_id.filtered(lambda u: u == self.env.ref("base.user_demo")),
            "Marc Demo is not a technician of the demo company",
        )
        # no two different people with the same name among customers and staff
        people = (
            orders.partner_id | self.env["res.users"].search([("share", "=", False)]).partner_id
        )
        names = people.mapped("name")
        duplicates = {name for name in names if names.count(name) > 1}
        self.assertFalse(duplicates)
