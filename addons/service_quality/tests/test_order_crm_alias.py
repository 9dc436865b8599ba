from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .order_common import ServiceOrderCommon

INCOMING = """Return-Path: <zhou.min@example.com>
To: service@example.com
From: Zhou Min <zhou.min@example.com>
Subject: Dishwasher leaking
Message-ID: <dishwasher-1@example.com>
Content-Type: text/plain; charset="utf-8"

Water under the dishwasher since yesterday evening.
"""


@tagged("post_install", "-at_install")
class TestOrderCrmAlias(ServiceOrderCommon):
    def test_email_alias_creates_order(self):
        alias = self.env.ref("service_quality.mail_alias_service_order")
        self.assertEqual(alias.alias_model_id.model, "service.order")
        order_id = self.env["mail.thread"].message_process("service.order", INCOMING)
        order = self.env["service.order"].browse(order_id)
        self.assertEqual(order.channel, "email")
        self.assertEqual(order.partner_id.email, "zhou.min@example.com")
        self.assertIn("Dishwasher leaking", order.description)
        self.assertIn("Water under the dishwasher", order.description)
        self.assertTrue(order.response_deadline)
        self.assertTrue(order.name.startswith("SO"))

    def test_lead_to_order_and_smart_buttons(self):
        sales = new_test_user(
            self.env,
            "sq_sales",
            groups="sales_team.group_sale_salesman,service_quality.group_service_dispatcher",
        )
        lead = (
            self.env["crm.lead"]
            .with_user(sales)
            .create(
                {
                    "name": "Maintenance contract",
                    "partner_id": self.customer.id,
                    "description": "Yearly check",
                }
            )
        )
        action = lead.action_create_service_order()
        order = self.env["service.order"].browse(action["res_id"])
        self.assertEqual(order.lead_id, lead)
        self.assertEqual(order.partner_id, self.customer)
        self.assertEqual(lead.service_order_count, 1)
        self.assertEqual(self.customer.service_order_count, 1)
        self._walk_to(order, "done")
        feedback = self.env["service.feedback"].create({"service_order_id": order.id, "score": 2})
        self.assertTrue(feedback.complaint_id)
        self.customer.invalidate_recordset()
        lead.invalidate_recordset()
        self.assertEqual(self.customer.service_complaint_count, 1)
        self.assertEqual(self.customer.service_feedback_avg, 2.0)
        self.assertEqual(lead.service_complaint_count, 1)
        domain = self.customer.action_view_service_orders()["domain"]
        self.assertEqual(self.env["service.order"].search(domain), order)

    def test_lead_without_customer_refused(self):
        lead = self.env["crm.lead"].create({"name": "Anonymous call"})
        with self.assertRaisesRegex(UserError, "has no customer"):
            lead.action_create_service_order()
        self.assertFalse(lead.service_order_ids)
