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
