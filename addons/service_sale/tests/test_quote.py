from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import ServiceSaleCommon


@tagged("post_install", "-at_install")
class TestQuote(ServiceSaleCommon):
    def test_prices_from_pricelist_labour_rate_and_taxes(self):
        order, quote = self._quoted_order()
        labour, part = quote.line_ids.sorted("id")
        self.assertEqual(labour.price_unit, 50.0)
        self.assertEqual(labour.price_subtotal, 100.0)
        self.assertEqual(part.price_unit, 90.0, "part priced from the customer's pricelist")
        self.assertEqual(part.tax_ids, self.tax)
        self.assertAlmostEqual(quote.amount_untaxed, 190.0)
        self.assertAlmostEqual(quote.amount_tax, 19.0)
        self.assertAlmostEqual(quote.amount_total, 209.0)
        self.assertEqual(order.quote_id, quote)
        self.assertEqual(order.quote_state, "sent")
        self.assertEqual(quote.name, f"{order.name}-V1")

    def test_labour_line_from_category_in_form(self):
        order = self._order_on(received_at=self.out_date)
        quote = self.env["service.quote"].with_user(self.dispatcher).create({"order_id": order.id})
        with Form(quote) as form, form.line_ids.new() as line:
            line.line_type = "labour"
            self.assertEqual(line.product_id, self.labour)
            line.quantity = 1.5
        self.assertAlmostEqual(quote.amount_untaxed, 75.0)

    def test_quote_email_carries_signed_link(self):
        order, quote = self._quoted_order(send=False)
        quote.with_user(self.dispatcher).action_send()
        mail = self.env["mail.mail"].search(
            [("model", "=", "service.quote"), ("res_id", "=", quote.id)]
        )
        self.assertEqual(len(mail), 1)
        self.assertIn(
            f"/my/service_orders/{order.id}?access_token={order.access_token}", mail.body_html
        )
        self.assertEqual(mail.recipient_ids, self.customer)

    def test_work_cannot_start_before_acceptance(self):
        order, quote = self._quoted_order()
        with self.assertRaisesRegex(UserError, "has not accepted"):
            order.with_user(self.technician).action_start()
        self.assertEqual(order.state, "scheduled")
        with self.assertRaisesRegex(UserError, "name and signature"):
            quote.with_user(self.technician).action_accept()
        self.assertEqual(quote.state, "sent")
        quote.with_user(self.technician).action_accept(
            signature=self.signature, signed_by="Chen Wei"
        )
        self.assertEqual(quote.state, "accepted")
        self.assertTrue(quote.signed_on)
        order.with_user(self.technician).action_start()
        self.assertEqual(order.state, "in_progress")

    def test_draft_quote_blocks_work_too(self):
        order, quote = self._quoted_order(send=False)
        with self.assertRaisesRegex(UserError, quote.name):
            order.with_user(self.technician).action_start()

    def test_change_after_acceptance_is_a_new_version(self):
        order, v1 = self._quoted_order()
        v1.action_accept(signature=self.signature, signed_by="Chen Wei")
        with self.assertRaisesRegex(UserError, "new version"):
            v1.with_user(self.dispatcher).write(
                {"line_ids": [Command.create({"product_id": self.part.id, "quantity": 1.0})]}
            )
        with self.assertRaisesRegex(UserError, "new version"):
            v1.line_ids[0].with_user(self.dispatcher).write({"quantity": 5.0})
        action = v1.with_user(self.dispatcher).action_new_version()
        v2 = self.env["service.quote"].browse(action["res_id"])
        self.assertEqual(v2.version, 2)
        self.assertEqual(v2.state, "draft")
        self.assertEqual(len(v2.line_ids), 2)
        self.assertEqual(order.quote_id, v2)
        self.assertEqual(order.quote_accepted_id, v1, "v1 stays in force until v2 is accepted")
        v2.line_ids.filtered(lambda line: line.line_type == "labour").quantity = 3.0
        self.assertAlmostEqual(v2.amount_total, 264.0)
        # the new version needs its own acceptance before work goes on
        with self.assertRaisesRegex(UserError, "has not accepted"):
            order.with_user(self.technician).action_start()
        v2.with_user(self.dispatcher).action_send()
        v2.action_accept(signature=self.signature, signed_by="Chen Wei")
        self.assertEqual(v1.state, "superseded")
        self.assertEqual(order.quote_accepted_id, v2)
        self.assertEqual(order.quote_ids, v1 | v2, "every version is kept")
        self.assertAlmostEqual(v1.amount_total, 209.0)

    def test_rejected_change_keeps_accepted_version(self):
        order, v1 = self._quoted_order()
        v1.action_accept(signature=self.signature, signed_by="Chen Wei")
        v2 = self.env["service.quote"].browse(v1.action_new_version()["res_id"])
        v2.action_send()
        v2.action_reject(reason="Too expensive")
        self.assertEqual(order.state, "scheduled")
        self.assertEqual(order.quote_accepted_id, v1)
        self.assertFalse(order.sudo().sale_order_ids)

    def test_rejection_cancels_with_diagnosis_fee(self):
        order, quote = self._quoted_order()
        quote.action_reject(reason="Too expensive")
        self.assertEqual(quote.state, "rejected")
        self.assertEqual(order.state, "cancelled")
        self.assertIn("rejected", order.cancel_reason)
        # sudo: the dispatcher who drives the order has no sales rights
        sale = order.sudo().sale_order_ids
        self.assertEqual(len(sale), 1)
        self.assertEqual(sale.order_line.product_id, self.fee)
        invoice = order.sudo().invoice_ids
        self.assertEqual(invoice.state, "posted")
        self.assertAlmostEqual(invoice.amount_untaxed, 30.0)
        self.assertAlmostEqual(invoice.amount_total, 33.0)
        self.assertEqual(order.payment_state, "not_paid")

    def test_rejection_without_fee_charges_nothing(self):
        self.category.diagnosis_fee_product_id = False
        order, quote = self._quoted_order()
        quote.action_reject()
        self.assertEqual(order.state, "cancelled")
        self.assertFalse(order.sudo().sale_order_ids)
        self.assertEqual(order.payment_state, "none")

    def test_warranty_lines_are_free_and_need_no_acceptance(self):
        order, quote = self._quoted_order(received_at="2025-06-01 09:00:00")
        self.assertEqual(order.warranty_kind, "manufacturer")
        self.assertTrue(all(quote.line_ids.mapped("warranty_covered")))
        self.assertEqual(quote.amount_total, 0.0)
        self.assertAlmostEqual(quote.warranty_value, 190.0)
        self.assertFalse(quote.has_chargeable)
        order.with_user(self.technician).action_start()
        self.assertEqual(order.state, "in_progress")

    def test_send_refuses_empty_quote(self):
        order = self._order_on(received_at=self.out_date)
        quote = self.env["service.quote"].create({"order_id": order.id})
        with self.assertRaisesRegex(UserError, "no lines"):
            quote.action_send()
        self.assertEqual(quote.state, "draft")

    def test_state_cannot_be_written_directly(self):
        order, quote = self._quoted_order()
        with self.assertRaises(UserError):
            quote.with_user(self.dispatcher).write({"state": "accepted"})
