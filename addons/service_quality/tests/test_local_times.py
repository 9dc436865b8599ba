"""Date-times that reach people are printed in the reader's time zone: the
user's for an error shown to them, the company's for chatter posts and
escalations written by jobs."""

from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .order_common import ServiceOrderCommon


@tagged("post_install", "-at_install")
class TestLocalTimes(ServiceOrderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dispatcher.tz = "Asia/Shanghai"
        cls.company.partner_id.tz = "Asia/Shanghai"
        cls.local = cls.env["service.local.time"]

    def test_reader_time_zone_rules(self):
        value = datetime(2026, 12, 7, 9, 0)
        # the reader's own time zone first
        self.assertEqual(
            self.local._format_local_datetime(value, reader=self.dispatcher), "12/07/2026 17:00"
        )
        # a reader without one: the company's
        self.technician.tz = False
        self.assertEqual(
            self.local._format_local_datetime(value, reader=self.technician), "12/07/2026 17:00"
        )
        # the company's partner without one: its working calendar's
        self.company.partner_id.tz = False
        self.company.resource_calendar_id.tz = "Europe/Paris"
        self.assertEqual(self.local._format_local_datetime(value, reader=False), "12/07/2026 10:00")
        # in Chinese, the Chinese date format
        self.env["res.lang"]._activate_lang("zh_CN")
        zh = self.local.with_context(lang="zh_CN")
        self.assertEqual(
            zh._format_local_datetime(value, reader=self.dispatcher), "2026年12月07日 17:00"
        )
        self.assertEqual(self.local._format_local_datetime(False), "")

    def test_double_booking_error_in_user_time_zone(self):
        start, end = datetime(2030, 3, 4, 9, 0), datetime(2030, 3, 4, 11, 0)
        vals = {"user_id": self.technician.id, "appointment_start": start, "appointment_end": end}
        self._create_order(**vals)
        with self.assertRaises(ValidationError) as error:
            self._create_order(**vals)
        message = str(error.exception)
        self.assertIn("from 03/04/2030 17:00 to 03/04/2030 19:00", message)
        self.assertNotIn("09:00", message)

    def test_sla_breach_notification_in_company_time_zone(self):
        self.env["service.sla.policy"].create(
            {"name": "Two hours", "use_24x7": True, "response_hours": 2, "resolve_hours": 4}
        )
        with freeze_time("2030-03-04 01:00:00"):  # Monday 09:00 in Shanghai
            order = self._create_order()
        self.assertEqual(order.response_deadline, datetime(2030, 3, 4, 3, 0))
        with freeze_time("2030-03-04 08:00:00"):
            self.env.ref("service_quality.ir_cron_service_order_sla").method_direct_trigger()
        breach = self.env["mail.message"].search(
            [("message_type", "=", "user_notification"), ("body", "ilike", order.name)]
        )
        self.assertEqual(len(breach), 1)
        # 03:00 UTC is 11:00 in Shanghai
        self.assertIn("no response by 03/04/2030 11:00", breach.body)
        self.assertIn("not resolved by 03/04/2030 13:00", breach.body)

    def test_complaint_escalation_in_company_time_zone(self):
        with freeze_time("2030-03-04 01:00:00"):
            complaint = self.env["service.complaint"].create(
                {"partner_id": self.customer.id, "description": "Rude", "severity": "major"}
            )
            complaint._escalate_to_managers()
        local = self.local._format_local_datetime(complaint.response_deadline, reader=False)
        self.assertTrue(local.endswith(" 09:00"), local)  # 01:00 UTC + 24 h, in Shanghai
        body = complaint.message_ids.filtered(lambda m: "escalated" in (m.body or ""))[:1].body
        self.assertIn(local, body)
