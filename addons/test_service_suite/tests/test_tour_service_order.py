"""Browser tour: one service order from intake to closed in the web client."""

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestTourServiceOrder(HttpCase):
    def test_service_order_intake_to_closed(self):
        self.env["res.partner"].create(
            {"name": "Tour Customer", "email": "tour.customer@example.com"}
        )
        new_test_user(
            self.env,
            "sq_tour_tech",
            groups="service_quality.group_service_user",
            name="Tour Technician",
        )
        self.start_tour(
            "/odoo/action-service_quality.service_order_action",
            "service_order_intake_to_closed",
            login="admin",
            timeout=240,
        )
        order = self.env["service.order"].search([("partner_id.name", "=", "Tour Customer")])
        self.assertEqual(len(order), 1)
        self.assertEqual(order.state, "closed")
        self.assertEqual(order.user_id.name, "Tour Technician")
        self.assertEqual(order.signed_by, "Tour Customer")
        self.assertTrue(order.customer_signature)
        self.assertTrue(order.return_visit_done_on)
