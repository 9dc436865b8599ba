import re

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from .order_common import ServiceOrderCommon


@tagged("post_install", "-at_install")
class TestPortalAccess(ServiceOrderCommon):
    def test_portal_customer_sees_only_own_orders(self):
        mine = self._create_order()
        other_customer = self.env["res.partner"].create(
            {"name": "Li Na", "email": "li.na@example.com"}
        )
        other = self._create_order(partner_id=other_customer.id)
        Order = self.env["service.order"].with_user(self.portal_user)
        self.assertEqual(Order.search([]), mine)
        with self.assertRaises(AccessError):
            other.with_user(self.portal_user).read(["name"])
        with self.assertRaises(AccessError):
            mine.with_user(self.portal_user).write({"priority": "2"})


@tagged("post_install", "-at_install")
class TestPortalHttp(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create(
            {"name": "Wang Fang", "email": "wang.fang@example.com"}
        )
        cls.portal_user = new_test_user(
            cls.env,
            "sq_http_portal",
            groups="base.group_portal",
            partner_id=cls.customer.id,
            password="sq_http_portal",
        )
        cls.other = cls.env["res.partner"].create({"name": "Zhao Lei"})
        Order = cls.env["service.order"]
        cls.order = Order.create({"partner_id": cls.customer.id, "appliance": "Midea fridge"})
        cls.other_order = Order.create(
            {"partner_id": cls.other.id, "appliance": "Gree air conditioner"}
        )
        cls.order.sudo().write(
            {
                "state": "done",
                "resolution": "Compressor relay replaced",
                "resolved_at": "2026-01-05 10:00:00",
            }
        )
        cls.order._portal_ensure_token()

    def _rate_url(self, order=None, token=None):
        order = order or self.order
        return f"/service/rate/{order.id}/{token or order._rating_access_token()}"

    def _csrf(self, html):
        return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)

    def test_anonymous_visitor_rates_through_the_link_once(self):
        page = self.url_open(self._rate_url())
        self.assertEqual(page.status_code, 200)
        self.assertIn("How did we do?", page.text)
        csrf = self._csrf(page.text)
        # out of range: error, nothing written
        bad = self.url_open(self._rate_url(), data={"csrf_token": csrf, "score": "7"})
        self.assertIn("must be between 1 and 5", bad.text)
        self.assertFalse(self.order.feedback_ids)
        ok = self.url_open(
            self._rate_url(),
            data={
                "csrf_token": csrf,
                "score": "2",
                "score_quality": "3",
                "score_attitude": "1",
                "comment": "Rude on the phone",
            },
        )
        self.assertIn("Thank you for your feedback", ok.text)
        self.order.invalidate_recordset()
        feedback = self.order.feedback_ids
        self.assertEqual(len(feedback), 1)
        self.assertEqual(feedback.channel, "email")
        self.assertEqual(feedback.score_attitude, 1)
        self.assertTrue(feedback.complaint_id, "a score of 2 opens a complaint")
        self.assertEqual(self.order.state, "done", "open until its complaint is handled")
        again = self.url_open(self._rate_url(), data={"csrf_token": csrf, "score": "5"})
        self.assertIn("already been rated", again.text)
        self.order.invalidate_recordset()
        self.assertEqual(len(self.order.feedback_ids), 1)
        self.assertEqual(self.order.feedback_ids.score, 2)

    def test_wrong_token_is_not_found(self):
        response = self.url_open(self._rate_url(token="not-the-token"))
        self.assertEqual(response.status_code, 404)

    def test_portal_lists_only_own_orders(self):
        self.authenticate("sq_http_portal", "sq_http_portal")
        response = self.url_open("/my/service_orders")
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.order.name, response.text)
        self.assertNotIn(self.other_order.name, response.text)
        detail = self.url_open(f"/my/service_orders/{self.order.id}")
        self.assertIn("Compressor relay replaced", detail.text)
        forbidden = self.url_open(f"/my/service_orders/{self.other_order.id}")
        self.assertNotIn("Gree air conditioner", forbidden.text)

    def test_portal_signature(self):
        order = self.env["service.order"].create({"partner_id": self.customer.id})
        order.sudo().write({"state": "to_accept", "resolution": "Door seal replaced"})
        self.authenticate("sq_http_portal", "sq_http_portal")
        signature = (
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8"
            "AAAAASUVORK5CYII="
        )
        result = self.make_jsonrpc_request(
            f"/my/service_orders/{order.id}/sign", {"name": "Wang Fang", "signature": signature}
        )
        self.assertTrue(result.get("force_refresh"), result)
        order.invalidate_recordset()
        self.assertEqual(order.signed_by, "Wang Fang")
        self.assertTrue(order.customer_signature)
        self.assertTrue(order.signed_on)
        again = self.make_jsonrpc_request(
            f"/my/service_orders/{order.id}/sign", {"name": "Someone", "signature": signature}
        )
        self.assertIn("error", again)
        order.invalidate_recordset()
        self.assertEqual(order.signed_by, "Wang Fang")
