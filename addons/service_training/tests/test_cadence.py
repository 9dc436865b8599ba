from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import TrainingCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-06-01 08:00:00")
class TestTrainingCadence(TrainingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Rule = cls.env["training.cadence.rule"]
        Rule.search([]).active = False  # the shipped rules stay out of the way
        cls.rule_induction = Rule.create(
            {
                "name": "Induction first",
                "kind": "induction",
                "programme": "induction",
                "enforcement": "block",
            }
        )
        cls.rule_in_service = Rule.create(
            {
                "name": "In-service twice a year",
                "kind": "in_service",
                "programme": "in_service",
                "min_count": 2,
                "period_months": 12,
            }
        )
        cls.induction = cls.env["training.course"].create(
            {
                "name": "Induction (test)",
                "programme": "induction",
                "category": "technical",
                "mode": "classroom",
                "hours": 80,
                "theory_pass_mark": 60,
                "practical_pass_mark": 0,
            }
        )
        session = cls._session(
            start=datetime(2026, 1, 5, 1, 0),
            end=datetime(2026, 1, 16, 9, 0),
            course_id=cls.induction.id,
        )
        cls.env["training.attendance"].create(
            {
                "session_id": session.id,
                "employee_id": cls.tech.id,
                "theory_score": 85,
                "theory_scored": True,
            }
        )
        session.action_done()
        cls._cert(cls.tech, cls.type_refrigerant, date(2025, 1, 1))
        cls._cert(cls.tech_2, cls.type_refrigerant, date(2025, 1, 1))
        cls.cron = cls.env.ref("service_training.ir_cron_training_cadence")

    def test_daily_check_records_gaps_once_a_day(self):
        office = self.env["hr.employee"].create({"name": "Zhao Min (office, no user)"})
        self.cron.method_direct_trigger()
        gaps_1 = self.tech.training_cadence_gap_ids
        self.assertEqual(gaps_1.rule_id, self.rule_in_service, "induction passed")
        self.assertIn("0 session(s) over the last 12 months, 2 required", gaps_1.detail)
        # in the reader's language, whoever ran the check
        self.assertIn("最近 12 个月内参加 0 次培训", gaps_1.with_context(lang="zh_CN").detail)
        gaps_2 = self.tech_2.training_cadence_gap_ids
        self.assertEqual(gaps_2.rule_id, self.rule_induction | self.rule_in_service)
        self.assertEqual(self.tech.training_cadence_checked_on, date(2026, 6, 1))
        self.assertEqual(self.env["hr.employee"]._cron_check_training_cadence(), 0)
        # without a service user and without a job position named by a rule
        self.assertFalse(office.training_cadence_gap_ids)
        self.assertEqual(office.training_cadence_checked_on, date(2026, 6, 1))

    def test_rule_per_job_position(self):
        job = self.env["hr.job"].create({"name": "Installer"})
        self.tech_2.job_id = job
        self.rule_in_service.job_ids = job
        self.tech._check_training_cadence()
        self.tech_2._check_training_cadence()
        self.assertFalse(self.tech.training_cadence_gap_ids.rule_id & self.rule_in_service)
        self.assertIn(self.rule_in_service, self.tech_2.training_cadence_gap_ids.rule_id)

    def test_weekly_hours(self):
        rule = self.env["training.cadence.rule"].create(
            {"name": "Weekly 2 h", "kind": "weekly_hours", "min_hours": 2}
        )
        self.tech._check_training_cadence()
        gap = self.tech.training_cadence_gap_ids.filtered(lambda g: g.rule_id == rule)
        self.assertIn("0.0 h of training over the last 7 days, 2.0 h required", gap.detail)
        with self.assertRaises(ValidationError):
            rule.min_hours = 0

    def _assessed(self, user):
        order = self._service_order(user, datetime(2026, 6, 10, 2, 0)).with_user(self.dispatcher)
        order.action_assess()
        return order

    def test_dispatch_blocked_or_warned(self):
        (self.tech | self.tech_2)._check_training_cadence()
        blocked = self._assessed(self.tech_user_2)
        with self.assertRaisesRegex(UserError, "Han Meimei cannot be dispatched: Induction first"):
            blocked.action_schedule()
        self.assertEqual(blocked.state, "assessed")
        warned = self._assessed(self.tech_user)
        warned.action_schedule()
        self.assertEqual(warned.state, "scheduled")
        self.assertIn(
            "Training cadence warning for Li Lei: In-service twice a year",
            warned.message_ids[0].body,
        )

    def test_access_and_dashboard(self):
        self.tech._check_training_cadence()
        with self.assertRaises(AccessError):
            self.env["training.cadence.rule"].with_user(self.tech_user).create(
                {"name": "Mine", "kind": "refresher"}
            )
        with self.assertRaises(AccessError):
            self.env["training.cadence.gap"].with_user(self.tech_user).search([])
        gaps = self.env["training.cadence.gap"].with_user(self.dispatcher).search([])
        self.assertEqual(gaps.employee_id, self.tech)
        figures = (
            self.env["service.dashboard"]
            .with_user(self.dispatcher)
            ._dashboard_figures(datetime(2026, 6, 1), datetime(2026, 7, 1))
        )
        figure = next(f for f in figures if f["key"] == "training_cadence_gaps")
        self.assertEqual(figure["count"], 1)
