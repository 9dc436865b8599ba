"""Tokenised and portal pages tried with the wrong credentials.

The rating link (``/service/rate/<order>/<token>``, no login), the portal
order pages (``/my/service_orders``, ``/my/service_orders/<id>`` and its PDF,
the signature endpoint) are tried with a wrong token, another customer's token
or order, and as an anonymous visitor where a login is required. Each attempt
must be refused (404, redirect to the login or to ``/my``, or a JSON error)
and write nothing; the right token still works.
"""

import re
from urllib.parse import urlparse

from odoo.tests import HttpCase, new_test_user, tagged

SIGNATURE = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


@tagged("post_install", "-at_install")
class TestPortalTokens(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        Partner = cls.env["res.partner"]
        cls.customer = Partner.create({"name": "Chen Jing", "email": "chen.jing@example.com"})
        cls.other_customer = Partner.create({"name": "Sun Hao", "email": "sun.hao@example.com"})
        cls.portal_user = new_test_user(
            cls.env,
            "tok_portal",
            groups="base.group_portal",
            partner_id=cls.customer.id,
            password="tok_portal_pw",
        )
        cls.other_portal_user = new_test_user(
            cls.env,
            "tok_portal_other",
            groups="base.group_portal",
            partner_id=cls.other_customer.id,
            password="tok_portal_other_pw",
        )
        Order = cls.env["service.order"]
        cls.order = Order.create(
            {"partner_id": cls.customer.id, "appliance": "Haier washing machine"}
        )
        cls.other_order = Order.create(
            {"partner_id": cls.other_customer.id, "appliance": "Siemens dishwasher"}
        )
        # Both finished (ready to be rated); set directly, the path is not the point here.
        (cls.order | cls.other_order).sudo().write(
            {"state": "done", "resolution": "Drain pump replaced"}
        )
        cls.to_sign = Order.create({"partner_id": cls.customer.id, "appliance": "Midea oven"})
        cls.to_sign.sudo().write({"state": "to_accept", "resolution": "Thermostat replaced"})
        for order in cls.order | cls.other_order | cls.to_sign:
            order._portal_ensure_token()

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def _state(self):
        """What an attempt could change: feedback, signatures, messages."""
        orders = self.order | self.other_order | self.to_sign
        self.env.invalidate_all()
        return {
            "feedback": self.env["service.feedback"].search_count(
                [("service_order_id", "in", orders.ids)]
            ),
            "complaints": self.env["service.complaint"].search_count(
                [("service_order_id", "in", orders.ids)]
            ),
            "orders": orders.read(["state", "signed_by", "customer_signature", "signed_on"]),
            "messages": self.env["mail.message"].search_count(
                [("model", "=", "service.order"), ("res_id", "in", orders.ids)]
            ),
        }

    def _rate_url(self, order, token):
        return f"/service/rate/{order.id}/{token}"

    def _csrf(self):
        """A CSRF token of the current session, read from a page it can open."""
        page = self.url_open(self._rate_url(self.order, self.order._rating_access_token()))
        self.assertEqual(page.status_code, 200)
        return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)

    def _get(self, url):
        return self.url_open(url, allow_redirects=False)

    def assertRedirectsTo(self, response, path, msg=None):
        self.assertIn(response.status_code, (301, 302, 303), msg or response.text[:200])
        self.assertEqual(urlparse(response.headers["Location"]).path, path, msg)

    def _sign(self, order, access_token):
        return self.make_jsonrpc_request(
            f"/my/service_orders/{order.id}/sign",
            {"access_token": access_token, "name": "Chen Jing", "signature": SIGNATURE},
        )

    # ------------------------------------------------------------------
    # rating link (no login needed, the token is the credential)
    # ------------------------------------------------------------------
    def test_rating_page_refuses_wrong_and_foreign_tokens(self):
        before = self._state()
        for token, why in (
            ("not-the-token", "a made-up token"),
            (self.other_order._rating_access_token(), "another customer's token"),
            (self.order._rating_access_token()[:-1], "a truncated token"),
            ("", "an empty token"),
            (self.order.access_token, "the order's portal token (it opens, signs, downloads)"),
        ):
            response = self._get(self._rate_url(self.order, token) if token else
                                 f"/service/rate/{self.order.id}/")  # fmt: skip
            self.assertEqual(response.status_code, 404, f"{why} must not open the rating page")
            self.assertNotIn("Haier washing machine", response.text)
        # another customer's order with my token
        response = self._get(self._rate_url(self.other_order, self.order._rating_access_token()))
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("Siemens dishwasher", response.text)
        # an order that does not exist
        response = self._get(
            self._rate_url(self.order.browse(999999999), self.order._rating_access_token())
        )
        self.assertEqual(response.status_code, 404)
        self.assertEqual(self._state(), before)

    def test_rating_submit_with_wrong_token_writes_nothing(self):
        csrf = self._csrf()
        before = self._state()
        for order, token in (
            (self.order, "not-the-token"),
            (self.order, self.other_order._rating_access_token()),
            (self.other_order, self.order._rating_access_token()),
        ):
            response = self.url_open(
                self._rate_url(order, token),
                data={"csrf_token": csrf, "score": "1", "comment": "Forged rating"},
                allow_redirects=False,
            )
            self.assertEqual(response.status_code, 404)
        self.assertEqual(self._state(), before, "a refused rating must write nothing")
        self.assertFalse(
            self.env["service.feedback"].search([("comment", "=", "Forged rating")]),
        )

    def test_rating_submit_without_csrf_writes_nothing(self):
        before = self._state()
        response = self.url_open(
            self._rate_url(self.order, self.order._rating_access_token()),
            data={"score": "1", "comment": "No CSRF"},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self._state(), before)

    def test_rating_with_the_right_token_works(self):
        csrf = self._csrf()
        response = self.url_open(
            self._rate_url(self.order, self.order._rating_access_token()),
            data={"csrf_token": csrf, "score": "5", "comment": "Quick and tidy"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Thank you for your feedback", response.text)
        feedback = self.env["service.feedback"].search([("service_order_id", "=", self.order.id)])
        self.assertEqual(len(feedback), 1)
        self.assertEqual(feedback.score, 5)
        self.assertEqual(feedback.comment, "Quick and tidy")
        self.assertEqual(feedback.channel, "email")
        # the other customer's order was not touched
        self.assertFalse(self.other_order.feedback_ids)

    def test_rating_an_unfinished_order_writes_nothing(self):
        csrf = self._csrf()
        before = self._state()
        url = self._rate_url(self.to_sign, self.to_sign._rating_access_token())
        page = self.url_open(url)
        self.assertEqual(page.status_code, 200)
        self.assertIn("not finished yet", page.text)
        response = self.url_open(url, data={"csrf_token": csrf, "score": "5"})
        self.assertIn("not finished yet", response.text)
        self.assertEqual(self._state(), before)

    # ------------------------------------------------------------------
    # portal pages
    # ------------------------------------------------------------------
    def test_anonymous_visitor_is_sent_to_the_login(self):
        before = self._state()
        response = self._get("/my/service_orders")
        self.assertRedirectsTo(response, "/web/login")
        response = self._get("/my/service_orders/page/2")
        self.assertRedirectsTo(response, "/web/login")
        # the order page without a token: refused, back to /my (itself behind the login)
        for order in (self.order, self.other_order):
            response = self._get(f"/my/service_orders/{order.id}")
            self.assertRedirectsTo(response, "/my")
            self.assertRedirectsTo(self._get("/my"), "/web/login")
            response = self._get(f"/my/service_orders/{order.id}?report_type=pdf")
            self.assertRedirectsTo(response, "/my")
        self.assertEqual(self._state(), before)

    def test_order_page_refuses_wrong_and_foreign_tokens(self):
        before = self._state()
        attempts = (
            (self.order, "not-the-token"),
            (self.order, self.other_order.access_token),
            (self.other_order, self.order.access_token),
        )
        for order, token in attempts:
            for suffix in ("", "&report_type=pdf", "&report_type=html"):
                response = self._get(f"/my/service_orders/{order.id}?access_token={token}{suffix}")
                self.assertRedirectsTo(response, "/my", f"{order.name} with {token}{suffix}")
                self.assertNotIn(order.appliance, response.text)
        self.assertEqual(self._state(), before)

    def test_order_page_with_the_right_token_works(self):
        response = self._get(
            f"/my/service_orders/{self.order.id}?access_token={self.order.access_token}"
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.order.name, response.text)
        self.assertIn("Drain pump replaced", response.text)

    def test_order_pdf_with_the_right_token_works(self):
        pdf = self._get(
            f"/my/service_orders/{self.order.id}?access_token={self.order.access_token}"
            "&report_type=pdf"
        )
        self.assertEqual(pdf.status_code, 200)
        self.assertEqual(pdf.headers["Content-Type"], "application/pdf")

    def test_portal_customer_cannot_open_another_customers_order(self):
        self.authenticate("tok_portal", "tok_portal_pw")
        before = self._state()
        listing = self._get("/my/service_orders")
        self.assertEqual(listing.status_code, 200)
        self.assertIn(self.order.name, listing.text)
        self.assertNotIn(self.other_order.name, listing.text)
        for suffix in ("", "?report_type=pdf", "?access_token=not-the-token",
                       f"?access_token={self.order.access_token}"):  # fmt: skip
            response = self._get(f"/my/service_orders/{self.other_order.id}{suffix}")
            self.assertRedirectsTo(response, "/my", suffix)
            self.assertNotIn("Siemens dishwasher", response.text)
        own = self._get(f"/my/service_orders/{self.order.id}")
        self.assertEqual(own.status_code, 200)
        self.assertIn("Haier washing machine", own.text)
        self.assertEqual(self._state(), before)

    # ------------------------------------------------------------------
    # signature endpoint (JSON)
    # ------------------------------------------------------------------
    def test_signature_refused_with_wrong_or_foreign_token(self):
        before = self._state()
        for token in ("not-the-token", self.order.access_token, self.other_order.access_token, ""):
            result = self._sign(self.to_sign, token)
            self.assertIn("error", result, f"signing with {token!r} must be refused")
            self.assertNotIn("force_refresh", result)
        self.assertEqual(self._state(), before)
        self.assertFalse(self.to_sign.customer_signature)

    def test_signature_refused_for_another_customers_portal_user(self):
        self.authenticate("tok_portal_other", "tok_portal_other_pw")
        before = self._state()
        result = self._sign(self.to_sign, None)
        self.assertIn("error", result)
        self.assertEqual(self._state(), before)

    def test_signature_with_the_right_token_works(self):
        result = self._sign(self.to_sign, self.to_sign.access_token)
        self.assertTrue(result.get("force_refresh"), result)
        self.to_sign.invalidate_recordset()
        self.assertEqual(self.to_sign.signed_by, "Chen Jing")
        self.assertTrue(self.to_sign.customer_signature)
        # the other orders are untouched
        self.assertFalse(self.order.customer_signature)
        self.assertFalse(self.other_order.customer_signature)
