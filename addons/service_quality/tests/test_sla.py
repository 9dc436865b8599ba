from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .order_common import ServiceOrderCommon


@tagged("post_install", "-at_install")
class TestSlaDeadlines(ServiceOrderCommon):
    def test_default_deadlines_on_team_calendar_across_weekend(self):
        # Friday 15:00: 2 h on Friday, then Monday...
        with freeze_time("2026-01-09 15:00:00"):
            order = self._create_order()
        self.assertFalse(order.sla_policy_id)
        self.assertEqual(order.response_deadline, datetime(2026, 1, 14, 15, 0))  # 24 h -> Wed 15:00
        self.assertEqual(order.resolve_deadline, datetime(2026, 1, 19, 15, 0))  # 48 h -> Mon 15:00

    def test_public_holiday_extends_deadline(self):
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Public holiday",
                "calendar_id": self.calendar.id,
                "date_from": datetime(2026, 1, 12, 0, 0),
                "date_to": datetime(2026, 1, 12, 23, 59, 59),
                "time_type": "leave",
            }
        )
        with freeze_time("2026-01-09 15:00:00"):
            order = self._create_order()
        self.assertEqual(order.response_deadline, datetime(2026, 1, 15, 15, 0))  # Thu 15:00

    def test_company_calendar_when_team_has_none(self):
        self.team.calendar_id = False
        self.env.company.resource_calendar_id = self.calendar
        with freeze_time("2026-01-09 15:00:00"):
            order = self._create_order()
        self.assertEqual(order.response_deadline, datetime(2026, 1, 14, 15, 0))

    def test_24x7_policy_uses_plain_hours(self):
        policy = self.env["service.sla.policy"].create(
            {"name": "Round the clock", "use_24x7": True, "response_hours": 4, "resolve_hours": 10}
        )
        with freeze_time("2026-01-09 15:00:00"):
            order = self._create_order()
        self.assertEqual(order.sla_policy_id, policy)
        self.assertEqual(order.response_deadline, datetime(2026, 1, 9, 19, 0))
        self.assertEqual(order.resolve_deadline, datetime(2026, 1, 10, 1, 0))
        self.assertEqual(order.response_warning_at, datetime(2026, 1, 9, 18, 12))

    def test_most_specific_policy_wins(self):
        Policy = self.env["service.sla.policy"]
        generic = Policy.create({"name": "Any", "sequence": 1})
        by_priority = Policy.create(
            {"name": "Critical", "priority": "2", "response_hours": 2, "resolve_hours": 8}
        )
        by_both = Policy.create(
            {
                "name": "Critical washing machines",
                "priority": "2",
                "category_ids": [Command.set(self.category.ids)],
                "response_hours": 1,
                "resolve_hours": 4,
            }
        )
        self.assertEqual(self._create_order().sla_policy_id, generic)
        self.assertEqual(
            self._create_order(priority="2", category_id=self.category_approval.id).sla_policy_id,
            by_priority,
        )
        order = self._create_order(priority="2")
        self.assertEqual(order.sla_policy_id, by_both)
        # changing the category re-selects the policy
        order.write({"category_id": self.category_approval.id})
        self.assertEqual(order.sla_policy_id, by_priority)

    def test_customer_tag_policy(self):
        tag = self.env["res.partner.category"].create({"name": "VIP"})
        policy = self.env["service.sla.policy"].create(
            {"name": "VIP", "partner_category_ids": [Command.set(tag.ids)], "response_hours": 4}
        )
        self.assertFalse(self._create_order().sla_policy_id)
        self.customer.category_id = tag
        self.assertEqual(self._create_order().sla_policy_id, policy)

    def test_policy_hours_must_be_positive(self):
        for vals in ({"response_hours": 0}, {"resolve_hours": -4}, {"warning_percent": 0}):
            with self.assertRaises(ValidationError):
                self.env["service.sla.policy"].create(dict({"name": "Bad"}, **vals))
        self.assertFalse(self.env["service.sla.policy"].search([("name", "=", "Bad")]))

    def test_waiting_on_customer_pauses_the_clock(self):
        self.env["service.sla.policy"].create(
            {"name": "24x7", "use_24x7": True, "response_hours": 24, "resolve_hours": 48}
        )
        with freeze_time("2026-01-05 10:00:00"):
            order = self._create_order()
        self.assertEqual(order.resolve_deadline, datetime(2026, 1, 7, 10, 0))
        with freeze_time("2026-01-05 12:00:00"):
            order.with_user(self.dispatcher).action_wait_customer()
        self.assertTrue(order.waiting)
        with freeze_time("2026-01-05 15:30:00"):
            order.with_user(self.dispatcher).action_resume()
        self.assertFalse(order.waiting)
        self.assertAlmostEqual(order.paused_hours, 3.5)
        self.assertEqual(order.response_deadline, datetime(2026, 1, 6, 13, 30))
        self.assertEqual(order.resolve_deadline, datetime(2026, 1, 7, 13, 30))

    def test_pause_counts_working_hours_only(self):
        with freeze_time("2026-01-09 09:00:00"):  # Friday
            order = self._create_order()
        deadline = order.resolve_deadline
        with freeze_time("2026-01-09 16:00:00"):
            order.action_wait_customer()
        with freeze_time("2026-01-12 09:00:00"):  # Monday: 1 h Friday + 1 h Monday paused
            order.action_resume()
        self.assertAlmostEqual(order.paused_hours, 2.0)
        self.assertEqual(
            order.resolve_deadline,
            self.env["service.order"]._sla_add_hours(self.calendar, [(deadline, 2.0)])[0],
        )

    def test_late_response_is_recorded_as_breach(self):
        self.env["service.sla.policy"].create(
            {"name": "Fast", "use_24x7": True, "response_hours": 1, "resolve_hours": 48}
        )
        with freeze_time("2026-01-05 10:00:00"):
            order = self._create_order()
        with freeze_time("2026-01-05 12:00:00"):
            order.write({"diagnosis": "x", "plan": "y"})
            order.with_user(self.dispatcher).action_assess()
        self.assertEqual(order.responded_at, datetime(2026, 1, 5, 12, 0))
        self.assertTrue(order.sla_breached)
        self.assertEqual(order.sla_status, "breached")
        self.assertTrue(
            self.env["service.order"].search(
                [("id", "=", order.id), ("sla_status", "=", "breached")]
            )
        )

    def test_message_to_customer_counts_as_response(self):
        with freeze_time("2026-01-05 10:00:00"):
            order = self._create_order()
        with freeze_time("2026-01-05 10:30:00"):
            order.with_user(self.dispatcher).message_post(
                body="We will call you back",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        self.assertEqual(order.responded_at, datetime(2026, 1, 5, 10, 30))
        with freeze_time("2026-01-05 11:00:00"):
            order.with_user(self.dispatcher).message_post(
                body="internal", message_type="comment", subtype_xmlid="mail.mt_note"
            )
        self.assertEqual(order.responded_at, datetime(2026, 1, 5, 10, 30))
