import json
import re

from odoo.tests import HttpCase, tagged

from .common import ServiceSaleCommon


@tagged("post_install", "-at_install")
class TestQuotePortal(ServiceSaleCommon, HttpCase):
    def _json(self, url, params):
        response = self.url_open(
            url,
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}),
            headers={"Content-Type": "application/json"},
        )
        return response.json().get("result", {})

    def test_signed_link_shows_quote_and_accepts_without_login(self):
        order, quote = self._quoted_order()
        page = self.url_open(order.get_portal_url())
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_sq_portal_quote", page.text)
        self.assertIn(quote.name, page.text)
        url = f"/my/service_orders/{order.id}/quote/accept?access_token={order.access_token}"
        refused = self._json(url, {"name": "Chen Wei"})
        self.assertIn("error", refused)
        self.assertEqual(quote.state, "sent")
        result = self._json(url, {"name": "Chen Wei", "signature": self.signature})
        self.assertTrue(result.get("force_refresh"), result)
        quote.invalidate_recordset()
        self.assertEqual(quote.state, "accepted")
        self.assertEqual(quote.signed_by, "Chen Wei")

    def test_wrong_token_is_refused(self):
        order, quote = self._quoted_order()
        url = f"/my/service_orders/{order.id}/quote/accept?access_token=wrong"
        result = self._json(url, {"name": "X", "signature": self.signature})
        self.assertIn("error", result)
        quote.invalidate_recordset()
        self.assertEqual(quote.state, "sent")

    def test_portal_user_rejects(self):
        order, quote = self._quoted_order()
        self.authenticate("sq_portal", "sq_portal")
        page = self.url_open(f"/my/service_orders/{order.id}")
        self.assertIn("o_sq_quote_reject", page.text)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        self.url_open(
            f"/my/service_orders/{order.id}/quote/reject",
            data={
                "csrf_token": csrf,
                "quote_id": quote.id,
                "reason": "Too expensive",
            },
        )
        quote.invalidate_recordset()
        order.invalidate_recordset()
        self.assertEqual(quote.state, "rejected")
        self.assertEqual(order.state, "cancelled")
        self.assertIn("Too expensive", order.cancel_reason)

    def _accept_url(self, order, quote=None):
        url = f"/my/service_orders/{order.id}/quote/accept?access_token={order.access_token}"
        return f"{url}&quote_id={quote.id}" if quote else url

    def test_no_answer_on_a_cancelled_order(self):
        order, quote = self._quoted_order()
        # the customer opened the page before the order was cancelled
        page = self.url_open(order.get_portal_url())
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        order.with_user(self.dispatcher).action_cancel(reason="The customer moved away")
        page = self.url_open(order.get_portal_url())
        self.assertIn("o_sq_quote_closed", page.text)
        self.assertNotIn("o_sq_quote_accept", page.text)
        self.assertNotIn("o_sq_quote_reject", page.text)
        result = self._json(
            self._accept_url(order), {"name": "Chen Wei", "signature": self.signature}
        )
        self.assertNotIn("force_refresh", result)
        self.assertIn(f"Order {order.name} is Cancelled", result.get("error", ""))
        response = self.url_open(
            f"/my/service_orders/{order.id}/quote/reject",
            data={
                "csrf_token": csrf,
                "access_token": order.access_token,
                "quote_id": quote.id,
                "reason": "Too expensive",
            },
        )
        self.assertIn("message=quote_refused", response.url)
        self.assertIn("Your answer was not recorded", response.text)
        self.env.invalidate_all()
        self.assertEqual(quote.state, "sent")
        self.assertFalse(quote.signed_by)
        self.assertFalse(
            order.message_ids.filtered(lambda m: "on the portal" in (m.body or "")),
            "nothing logged for a refused answer",
        )

    def test_page_read_before_a_new_version_answers_nothing(self):
        order, v1 = self._quoted_order()
        page = self.url_open(order.get_portal_url())
        self.assertIn(f"quote_id={v1.id}", page.text, "the signature posts the quote read")
        v2 = self.env["service.quote"].browse(
            v1.with_user(self.dispatcher).action_new_version()["res_id"]
        )
        v2.with_user(self.dispatcher).action_send()
        result = self._json(
            self._accept_url(order, v1), {"name": "Chen Wei", "signature": self.signature}
        )
        self.assertIn(f"replaced by {v2.name}", result.get("error", ""))
        self.env.invalidate_all()
        self.assertEqual((v1.state, v2.state), ("superseded", "sent"))
        result = self._json(
            self._accept_url(order, v2), {"name": "Chen Wei", "signature": "!!!notbase64"}
        )
        self.assertIn("signature is not a valid image", result.get("error", ""))
        self.env.invalidate_all()
        self.assertEqual(v2.state, "sent")
        result = self._json(
            self._accept_url(order, v2), {"name": "Chen Wei", "signature": self.signature}
        )
        self.assertTrue(result.get("force_refresh"), result)
        self.env.invalidate_all()
        self.assertEqual(v2.state, "accepted")
