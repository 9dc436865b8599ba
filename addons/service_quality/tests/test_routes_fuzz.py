import json
from urllib.parse import urlencode

from odoo.http import _generate_routing_rules
from odoo.tests import HttpCase, new_test_user, tagged

ADDONS = ("service_quality", "equipment_care", "service_training")

# Values no form of ours expects: empty, wrong type, out of range, oversized,
# markup, NUL bytes.
JUNK = [
    "",
    " ",
    "abc",
    "-1",
    "0",
    "1.5",
    "9" * 30,
    "1e309",
    "[1, 2]",
    "{}",
    "<script>alert(1)</script>",
    "nul\x00byte",
    "x" * 200_000,
]

# Every route of the addons, with the form fields it reads (POST) or the
# query arguments it takes (GET).
ROUTES = {
    "/my/complaints": {"GET": ["page", "sortby"]},
    "/my/complaints/page/<int:page>": {"GET": []},
    "/my/complaints/<int:complaint_id>": {"GET": ["access_token"]},
    "/my/complaints/new": {"GET": [], "POST": ["service_order_id", "category_id", "description"]},
    "/my/service_orders": {"GET": ["sortby", "page"]},
    "/my/service_orders/page/<int:page>": {"GET": ["sortby"]},
    "/my/service_orders/<int:order_id>": {
        "GET": ["access_token", "report_type", "download", "message"]
    },
    "/my/service_orders/<int:order_id>/sign": {"JSON": ["access_token", "name", "signature"]},
    "/my/service_orders/new": {
        "GET": [],
        "POST": [
            "appliance",
            "serial_number",
            "phone",
            "address",
            "description",
            "category_id",
            "slot_date_1",
            "slot_period_1",
            "slot_date_2",
            "slot_period_2",
        ],
    },
    "/service/rate/<int:order_id>/<string:token>": {
        "GET": [],
        "POST": ["score", "quality", "timeliness", "attitude", "comment"],
    },
}


SIGNATURE = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8"
    "AAAAASUVORK5CYII="
)


@tagged("post_install", "-at_install")
class TestRoutesSurviveAnyInput(HttpCase):
    """Malformed, missing, oversized and wrong-type values sent to every web
    route of the addons get a page or a 4xx, never a server error."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create(
            {"name": "Gao Jing", "email": "gao.jing@example.com"}
        )
        cls.portal_user = new_test_user(
            cls.env, "sq_portal_fuzz", groups="base.group_portal", partner_id=cls.customer.id
        )
        Order = cls.env["service.order"]
        cls.order = Order.create({"partner_id": cls.customer.id})
        cls.to_sign = Order.create({"partner_id": cls.customer.id})
        cls.to_sign._workflow_write({"state": "in_progress"})
        cls.to_rate = Order.create({"partner_id": cls.customer.id})
        cls.to_rate._workflow_write({"state": "done"})
        for order in cls.order | cls.to_sign | cls.to_rate:
            order._portal_ensure_token()
        cls.complaint = cls.env["service.complaint"].create({"partner_id": cls.customer.id})

    def _cases(self, rule):
        """(real URL, bad URLs, valid values the fuzzed field replaces)."""
        order, base = self.order, {}
        if rule.endswith("/sign"):
            order, base = self.to_sign, {"name": "Gao Jing", "signature": SIGNATURE}
        elif rule.startswith("/service/rate"):
            order, base = self.to_rate, {"score": "4"}
        elif rule == "/my/complaints/new":
            base = {"description": "The technician came late."}
        elif rule == "/my/service_orders/new":
            base = {"appliance": "Washer", "address": "1 Road", "description": "It leaks."}

        def url(record_id, token):
            return (
                rule.replace("<int:order_id>", str(record_id))
                .replace("<int:complaint_id>", str(record_id))
                .replace("<int:page>", str(record_id))
                .replace("<string:token>", token)
            )

        real_id = self.complaint.id if "<int:complaint_id>" in rule else order.id
        if "<int:page>" in rule:
            real_id = 1
        bad = {url(i, "x" * n) for i in (0, "9" * 30) for n in (1, 5000)} - {rule}
        if "<string:token>" in rule:
            bad.add(url(real_id, "x"))
        # the rating link carries the rating's own token, the others the order's
        token = (
            order._rating_access_token() if rule.startswith("/service/rate") else order.access_token
        )
        return url(real_id, token), sorted(bad), base

    def assertSurvives(self, response, what):
        self.assertLess(response.status_code, 500, f"{what}: HTTP {response.status_code}")
        self.assertNotIn("Traceback", response.text, what)
        self.assertNotIn("Odoo Server Error", response.text, what)

    def test_every_route_is_listed(self):
        """A new route is added here, so that it is fuzzed too."""
        installed = self.env["ir.module.module"].search([("state", "=", "installed")])
        ours = {
            url
            for url, endpoint in _generate_routing_rules(installed.mapped("name"), nodb_only=False)
            if endpoint.__module__.startswith(tuple(f"odoo.addons.{addon}." for addon in ADDONS))
        }
        self.assertTrue(ours)
        self.assertEqual(ours, set(ROUTES))

    def _json(self, path, params):
        return self.url_open(
            path,
            data=json.dumps({"jsonrpc": "2.0", "id": 1, "params": params}),
            headers={"Content-Type": "application/json"},
        )

    def _fuzz(self, login):
        self.authenticate(login, login)
        page = self.url_open("/my/service_orders/new" if login else "/web/login")
        csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
        for rule, methods in ROUTES.items():
            path, bad_paths, base = self._cases(rule)
            for method, names in methods.items():
                if method == "GET":
                    for url in (path, *bad_paths):
                        self.assertSurvives(self.url_open(url), f"GET {url[:80]}")
                    for name in names:
                        for value in JUNK[:-1]:  # an oversized URL is refused by any server
                            response = self.url_open(f"{path}?{urlencode({name: value})}")
                            self.assertSurvives(response, f"GET {path} {name}={value[:20]!r}")
                elif method == "POST":
                    for url in (path, *bad_paths):
                        response = self.url_open(url, data={"csrf_token": csrf})
                        self.assertSurvives(response, f"POST {url[:80]} empty")
                    for name in names:
                        # valid values come last: once accepted, the rest is refused
                        for value in reversed(JUNK):
                            data = dict(base, csrf_token=csrf, **{name: value})
                            response = self.url_open(path, data=data)
                            self.assertSurvives(response, f"POST {path} {name}={value[:20]!r}")
                        # a repeated field and a file where text is expected
                        response = self.url_open(
                            path,
                            data=dict(base, csrf_token=csrf, **{name: ["1", "2"]}),
                            files={name: ("x.bin", b"\x00\xff", "application/octet-stream")},
                        )
                        self.assertSurvives(response, f"POST {path} {name} as a file")
                else:
                    for url in (path, *bad_paths):
                        self.assertSurvives(self._json(url, {}), f"JSON {url[:80]} empty")
                    for name in names:
                        for value in [*reversed(JUNK), 12, None, [1, 2], {"a": 1}, True]:
                            params = dict(base, access_token=self.to_sign.access_token)
                            params[name] = value
                            response = self._json(path, params)
                            self.assertSurvives(response, f"JSON {path} {name}={str(value)[:20]!r}")

    def test_portal_customer_fuzzes_every_route(self):
        self._fuzz("sq_portal_fuzz")
        self.assertFalse(self.order.customer_signature)
        # what was valid went through: the order signed, the service rated
        self.assertEqual(self.to_sign.signed_by, "Gao Jing")
        self.assertEqual(len(self.to_rate.feedback_ids), 1)

    def test_anonymous_visitor_fuzzes_every_route(self):
        self._fuzz(None)
        self.assertFalse(self.order.customer_signature)
