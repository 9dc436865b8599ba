import base64
import re
from datetime import datetime

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import TransactionCase

# 1x1 PNG: a customer's photo of the appliance
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8"
    "AAAAASUVORK5CYII="
)


WEEKDAYS = range(5)


def calendar(env, name, tz, days=WEEKDAYS, hours=((8, 12), (13, 17))):
    return env["resource.calendar"].create(
        {
            "name": name,
            "tz": tz,
            "attendance_ids": [Command.clear()]
            + [
                Command.create(
                    {
                        "name": f"{day} {start}",
                        "dayofweek": str(day),
                        "hour_from": start,
                        "hour_to": stop,
                        "day_period": "morning" if start < 12 else "afternoon",
                    }
                )
                for day in days
                for start, stop in hours
            ],
        }
    )


class DispatcherRoster:
    """Two dispatchers on the roster: Dana works mornings (08-12 Shanghai),
    Dan afternoons (13-17); both Monday to Friday."""

    @classmethod
    def _roster(cls, dana_always=False):
        env = cls.env
        cls.dispatcher_am = new_test_user(
            env, "sr_dana", groups="service_quality.group_service_dispatcher", name="Dana Morning"
        )
        cls.dispatcher_pm = new_test_user(
            env, "sr_dan", groups="service_quality.group_service_dispatcher", name="Dan Afternoon"
        )
        cls.technician = new_test_user(
            env, "sr_tess", groups="service_quality.group_service_user", name="Tess Technician"
        )
        mornings = (
            calendar(env, "Around the clock", "Asia/Shanghai", days=range(7), hours=((0, 24),))
            if dana_always
            else calendar(env, "Mornings", "Asia/Shanghai", hours=((8, 12),))
        )
        afternoons = calendar(env, "Afternoons", "Asia/Shanghai", hours=((13, 17),))
        Employee = env["hr.employee"]
        Employee.create(
            {
                "name": "Dana Morning",
                "user_id": cls.dispatcher_am.id,
                "resource_calendar_id": mornings.id,
            }
        )
        Employee.create(
            {
                "name": "Dan Afternoon",
                "user_id": cls.dispatcher_pm.id,
                "resource_calendar_id": afternoons.id,
            }
        )
        cls.team = env["service.team"].create(
            {
                "name": "Portal requests",
                "sequence": 1,
                "dispatcher_ids": [Command.set((cls.dispatcher_am | cls.dispatcher_pm).ids)],
                "member_ids": [Command.set(cls.technician.ids)],
            }
        )
        # other teams' rosters must not interfere
        env["service.team"].search([("id", "!=", cls.team.id)]).write(
            {"dispatcher_ids": [Command.clear()]}
        )


@tagged("post_install", "-at_install")
class TestDispatcherOnDuty(DispatcherRoster, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._roster()
        cls.customer = cls.env["res.partner"].create({"name": "Chen Wei"})

    def _on_duty(self, when):
        return self.env["service.team"]._dispatcher_on_duty(self.env.company, when)

    def test_working_hours_decide(self):
        # Wednesday 2026-03-04, 10:00 and 15:00 in Shanghai (UTC+8)
        self.assertEqual(self._on_duty(datetime(2026, 3, 4, 2, 0)), (self.dispatcher_am, self.team))
        self.assertEqual(self._on_duty(datetime(2026, 3, 4, 7, 0)), (self.dispatcher_pm, self.team))

    def test_nobody_on_duty_goes_to_the_next_one(self):
        # Wednesday 12:30 (lunch): Dan starts first, at 13:00
        self.assertEqual(self._on_duty(datetime(2026, 3, 4, 4, 30))[0], self.dispatcher_pm)
        # Friday 20:00: Dana on Monday morning
        self.assertEqual(self._on_duty(datetime(2026, 3, 6, 12, 0))[0], self.dispatcher_am)

    def test_leave_takes_the_dispatcher_off_duty(self):
        employee = self.dispatcher_am.employee_ids
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Dentist",
                "calendar_id": employee.resource_calendar_id.id,
                "resource_id": employee.resource_id.id,
                "date_from": datetime(2026, 3, 4, 0, 0),
                "date_to": datetime(2026, 3, 4, 4, 0),
            }
        )
        # Wednesday 10:00: Dana is away, Dan comes at 13:00
        self.assertEqual(self._on_duty(datetime(2026, 3, 4, 2, 0))[0], self.dispatcher_pm)

    def test_two_on_duty_share_by_open_orders(self):
        both = calendar(self.env, "Full days", "Asia/Shanghai")
        (self.dispatcher_am | self.dispatcher_pm).employee_ids.resource_calendar_id = both
        self.env["service.order"].create(
            {"partner_id": self.customer.id, "intake_user_id": self.dispatcher_am.id}
        )
        self.assertEqual(self._on_duty(datetime(2026, 3, 4, 2, 0))[0], self.dispatcher_pm)

    def test_without_roster_any_dispatcher(self):
        self.team.dispatcher_ids = False
        user, team = self._on_duty(datetime(2026, 3, 4, 2, 0))
        self.assertTrue(user.has_group("service_quality.group_service_dispatcher"))
        self.assertFalse(team)


@tagged("post_install", "-at_install")
class TestServiceRequestPortal(DispatcherRoster, HttpCase):
    """Dana is on duty around the clock here, so the request goes to her
    whatever the time the test runs (the on-duty rule has its own tests)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._roster(dana_always=True)
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Wang Fang",
                "email": "wang.fang@example.com",
                "phone": "+86 21 5555 0199",
                "street": "18 Nanjing Road",
                "city": "Shanghai",
                "tz": "Asia/Shanghai",
            }
        )
        cls.portal_user = new_test_user(
            cls.env,
            "sr_portal",
            groups="base.group_portal",
            partner_id=cls.customer.id,
            password="sr_portal_pw",
            name="Wang Fang",
            email="wang.fang@example.com",
        )
        cls.category = cls.env["service.category"].create({"name": "Dishwasher repair (req)"})

    def _csrf(self, html):
        return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)

    def _form(self):
        page = self.url_open("/my/service_orders/new")
        self.assertEqual(page.status_code, 200)
        return page

    def _post(self, data, files=None):
        csrf = self._csrf(self._form().text)
        return self.url_open(
            "/my/service_orders/new", data=dict(data, csrf_token=csrf), files=files
        )

    def test_request_creates_the_order_and_confirms(self):
        # the request arrives at the real time of the run: whoever of the two
        # dispatchers the roster puts on duty at that moment owns it
        on_duty, _team = self.env["service.team"]._dispatcher_on_duty(self.env.company)
        self.assertIn(on_duty, self.dispatcher_am | self.dispatcher_pm)
        self.authenticate("sr_portal", "sr_portal_pw")
        form = self._form()
        self.assertIn("18 Nanjing Road", form.text, "the address is prefilled")
        self.assertIn(self.category.name, form.text)
        response = self._post(
            {
                "appliance": "Siemens SN23 dishwasher",
                "serial_number": "SN23-0042",
                "category_id": str(self.category.id),
                "address": "18 Nanjing Road, Shanghai, flat 1203",
                "description": "Water stays at the bottom after the cycle.",
                "slot_date_1": "2030-03-06",
                "slot_period_1": "morning",
                "slot_date_2": "2030-03-07",
                "slot_period_2": "evening",
            },
            files=[("photos", ("plate.png", PNG, "image/png"))],
        )
        self.assertEqual(response.status_code, 200)
        order = self.env["service.order"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(
            len(order),
            1,
            re.findall(r"(?:invalid-feedback|o_sq_request_error)[^>]*>([^<]+)<", response.text),
        )
        self.assertIn(f"/my/service_orders/{order.id}", response.url)
        self.assertIn("your request is received", response.text)
        self.assertTrue(order.name.startswith("SO"), order.name)
        self.assertEqual(order.channel, "portal")
        self.assertEqual(order.intake_user_id, on_duty)
        self.assertEqual(order.team_id, self.team)
        self.assertEqual(order.category_id, self.category)
        self.assertEqual(order.serial_number, "SN23-0042")
        self.assertIn("flat 1203", order.address)
        self.assertTrue(order.response_deadline and order.resolve_deadline, "SLA clock started")
        self.assertFalse(order.responded_at, "the confirmation is not a response")
        self.assertEqual(
            order.preferred_slots.splitlines(),
            ["2030-03-06 · Morning (08:00-12:00)", "2030-03-07 · Evening (17:00-20:00)"],
        )
        photos = self.env["ir.attachment"].search(
            [("res_model", "=", "service.order"), ("res_id", "=", order.id)]
        )
        self.assertEqual(photos.mapped("name"), ["plate.png"])
        self.assertIn(self.customer, order.message_partner_ids)
        # confirmation: a public message in the history and a queued email
        message = order.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertEqual(len(message), 1)
        self.assertFalse(message.subtype_id.internal)
        self.assertEqual(message.author_id, on_duty.partner_id)
        self.assertIn(order.name, message.body)
        mail = self.env["mail.mail"].search([("mail_message_id", "=", message.id)])
        self.assertTrue(mail, "confirmation email queued")
        self.assertIn(self.customer, mail.recipient_ids)
        self.assertIn("is received", mail.subject)
        self.assertIn(on_duty.name, message.body)
        # the customer sees it in the order's history on the portal
        page = self.url_open(order.get_portal_url())
        self.assertIn("Siemens SN23 dishwasher", page.text)
        self.assertIn("Water stays at the bottom", page.text)

    def test_bad_input_shows_the_form_again(self):
        self.authenticate("sr_portal", "sr_portal_pw")
        cases = [
            ({"appliance": "Oven", "address": "Here"}, "Describe the problem."),
            (
                {"appliance": "Oven", "address": "Here", "description": "x" * 10001},
                "At most 10000 characters.",
            ),
            (
                {
                    "appliance": "Oven",
                    "address": "Here",
                    "description": "Hot",
                    "category_id": "abc",
                },
                "Choose a service from the list.",
            ),
            (
                {
                    "appliance": "Oven",
                    "address": "Here",
                    "description": "Hot",
                    "category_id": "99999999999999",
                },
                "Choose a service from the list.",
            ),
            (
                {
                    "appliance": "Oven",
                    "address": "Here",
                    "description": "Hot",
                    "slot_date_1": "2026-13-45",
                    "slot_period_1": "morning",
                },
                "Give a valid date and a part of the day.",
            ),
            (
                {
                    "appliance": "Oven",
                    "address": "Here",
                    "description": "Hot",
                    "slot_date_1": "2030-01-01",
                    "slot_period_1": "midnight",
                },
                "Give a valid date and a part of the day.",
            ),
        ]
        for data, message in cases:
            response = self._post(data)
            self.assertEqual(response.status_code, 200, data)
            self.assertIn(message, response.text, data)
        # a file that is not a photo
        response = self._post(
            {"appliance": "Oven", "address": "Here", "description": "Hot"},
            files=[("photos", ("virus.exe", b"MZ\x90\x00binary", "application/octet-stream"))],
        )
        self.assertIn("is not a photo", response.text)
        self.assertFalse(self.env["service.order"].search([("partner_id", "=", self.customer.id)]))

    def test_visitors_are_sent_to_log_in(self):
        response = self.url_open("/my/service_orders/new", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])


@tagged("post_install", "-at_install")
class TestPortalHome(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create(
            {"name": "Li Hua", "email": "li.hua@example.com"}
        )
        new_test_user(
            cls.env,
            "sr_home",
            groups="base.group_portal",
            partner_id=cls.customer.id,
            password="sr_home_pw",
            name="Li Hua",
            email="li.hua@example.com",
        )
        Order = cls.env["service.order"]
        cls.orders = Order.create(
            [{"partner_id": cls.customer.id, "appliance": f"Fridge {i}"} for i in range(3)]
        )
        Order.create({"partner_id": cls.env["res.partner"].create({"name": "Other"}).id})
        cls.complaint = cls.env["service.complaint"].create(
            {
                "partner_id": cls.customer.id,
                "service_order_id": cls.orders[0].id,
                "description": "<p>Late</p>",
                "received_at": datetime(2026, 3, 2, 9, 0),
            }
        )

    def test_tiles_with_counts_and_small_icons(self):
        self.authenticate("sr_home", "sr_home_pw")
        html = self.url_open("/my").text
        counts = dict(re.findall(r'data-counter="(\w+)"[^>]*>(\d+)<', html))
        self.assertEqual(counts, {"service_order": "3", "complaint": "1"})
        for icon in ("service_request.svg", "service_order.svg", "complaint.svg"):
            self.assertIn(f"/service_quality/static/src/img/{icon}", html)
        self.assertNotIn("/service_quality/static/description/icon.png", html)
        svg = self.url_open("/service_quality/static/src/img/service_order.svg").text
        self.assertIn('width="64" height="64"', svg)
        self.assertIn('href="/my/service_orders/new"', html)

    def test_complaint_pages_have_breadcrumbs(self):
        self.authenticate("sr_home", "sr_home_pw")
        for url, current in (
            ("/my/complaints", "Complaints"),
            (f"/my/complaints/{self.complaint.id}", self.complaint.name),
            ("/my/complaints/new", "File a Complaint"),
        ):
            html = self.url_open(url).text
            crumbs = re.search(
                r'<ol class="o_portal_submenu breadcrumb[^"]*"[^>]*>(.*?)</ol>', html, re.S
            )
            self.assertTrue(crumbs, url)
            self.assertIn(current, crumbs.group(1), url)
            if url != "/my/complaints":
                self.assertIn('href="/my/complaints"', crumbs.group(1), url)

    def test_acceptance_is_in_the_customers_history(self):
        order = self.orders[0]
        order.sudo().write({"state": "in_progress", "resolution": "Relay replaced"})
        self.authenticate("sr_home", "sr_home_pw")
        self.make_jsonrpc_request(
            f"/my/service_orders/{order.id}/sign",
            {
                "access_token": order._portal_ensure_token(),
                "name": "Li Hua",
                "signature": base64.b64encode(PNG).decode(),
            },
        )
        message = order.message_ids.filtered(lambda m: "signed by Li Hua" in (m.body or ""))
        self.assertTrue(message)
        self.assertFalse(message.subtype_id.internal, "the customer sees it in the history")
        messages = self.make_jsonrpc_request(
            "/mail/thread/messages",
            {"thread_model": "service.order", "thread_id": order.id, "limit": 30},
        )
        bodies = [m["body"] for m in messages["data"]["mail.message"]]
        self.assertTrue(any("signed by Li Hua" in body for body in bodies), bodies)


@tagged("post_install", "-at_install")
class TestRatingPage(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write(
            {
                "name": "Huamei Service",
                "phone": "+86 400 800 1234",
                "logo": base64.b64encode(PNG),
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Sun Li", "email": "sun.li@example.com", "tz": "Asia/Shanghai"}
        )
        cls.order = cls.env["service.order"].create(
            {"partner_id": cls.customer.id, "appliance": "Gree AC"}
        )
        cls.order.sudo().write({"state": "done", "resolved_at": "2026-03-02 10:00:00"})
        cls.order._portal_ensure_token()

    def _url(self):
        return f"/service/rate/{self.order.id}/{self.order._rating_access_token()}"

    def test_company_and_what_happens_after_a_low_score(self):
        page = self.url_open(self._url())
        self.assertIn("Huamei Service", page.text)
        self.assertIn(f"/logo.png?company={self.env.company.id}", page.text)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        answer = self.url_open(self._url(), data={"csrf_token": csrf, "score": "1"})
        self.assertIn("Thank you for your feedback!", answer.text)
        complaint = self.order.feedback_ids.complaint_id
        self.assertTrue(complaint, "the automated action opened a complaint")
        self.assertIn("What happens next", answer.text)
        self.assertIn(complaint.name, answer.text)
        self.assertIn("+86 400 800 1234", answer.text)

    def test_no_next_steps_after_a_good_score(self):
        page = self.url_open(self._url())
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        answer = self.url_open(self._url(), data={"csrf_token": csrf, "score": "5"})
        self.assertIn("Thank you for your feedback!", answer.text)
        self.assertNotIn("What happens next", answer.text)
