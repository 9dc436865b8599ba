from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import TrainingCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-04-02 06:00:00")
class TestAssessment(TrainingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cron = cls.env.ref("service_training.ir_cron_training_assessments")
        cls.dispatcher_employee = cls.env["hr.employee"].create(
            {"name": "Dana Dispatcher", "user_id": cls.dispatcher.id}
        )
        cls.sla_orders = cls._finished_orders(
            cls.tech_user,
            [
                (datetime(2026, 3, 3, 8, 0), True),
                (datetime(2026, 3, 10, 8, 0), True),
                (datetime(2026, 3, 20, 8, 0), False),
            ],
        )

    def _mine(self, employee):
        return self.env["training.assessment"].search([("employee_id", "=", employee.id)])

    def test_cron_generates_per_technician_with_kpis(self):
        self.assertEqual(self.sla_orders.mapped("sla_status"), ["met", "met", "breached"])
        self.cron.method_direct_trigger()
        mine = self._mine(self.tech)
        self.assertEqual(sorted(mine.mapped("period")), ["annual", "monthly", "quarterly"])
        monthly = mine.filtered(lambda a: a.period == "monthly")
        self.assertEqual(
            (monthly.date_from, monthly.date_to), (date(2026, 3, 1), date(2026, 3, 31))
        )
        self.assertEqual(monthly.kpi_orders, 3)
        self.assertAlmostEqual(monthly.kpi_sla_met_rate, 66.7)
        # the service score is the KPI report's per-technician score of the period
        report_score = self.env["service.kpi.report"]._get_technician_scores(
            [self.tech_user.id], date(2026, 3, 1), date(2026, 4, 1)
        )[self.tech_user.id]["score"]
        self.assertTrue(0 < report_score <= 100)
        self.assertAlmostEqual(monthly.kpi_score, report_score, places=1)
        quarterly = mine.filtered(lambda a: a.period == "quarterly")
        self.assertEqual(
            (quarterly.date_from, quarterly.date_to), (date(2026, 1, 1), date(2026, 3, 31))
        )
        annual = mine.filtered(lambda a: a.period == "annual")
        self.assertEqual(annual.date_from, date(2025, 1, 1))
        self.assertEqual(annual.kpi_orders, 0)
        self.assertEqual(annual.kpi_score, 0.0, "no orders in 2025: no score")
        self.assertEqual(len(self._mine(self.tech_2)), 3)
        self.assertFalse(self._mine(self.dispatcher_employee), "dispatchers are not assessed")
        # idempotent: a second run (or a run the next day) creates nothing
        self.cron.method_direct_trigger()
        with freeze_time("2026-04-03 06:00:00"):
            self.cron.method_direct_trigger()
        self.assertEqual(len(self._mine(self.tech)), 3)
        # a new month brings a new monthly assessment only
        with freeze_time("2026-05-01 06:00:00"):
            self.cron.method_direct_trigger()
        self.assertEqual(len(self._mine(self.tech)), 4)

    def test_scores_and_sign_off(self):
        self.cron.method_direct_trigger()
        monthly = self._mine(self.tech).filtered(lambda a: a.period == "monthly")
        with self.assertRaisesRegex(UserError, "scores"):
            monthly.with_user(self.officer).action_sign()
        with self.assertRaisesRegex(ValidationError, "between 0 and 100"):
            monthly.technical_score = 140
        form = Form(monthly.with_user(self.officer))
        form.technical_score = 85
        form.attitude_score = 92
        form.safety_score = 78
        form.training_need = "Inverter board diagnostics"
        form.save()
        self.assertEqual(monthly.overall_score, 85.0)
        with self.assertRaises(AccessError):
            monthly.with_user(self.tech_user).action_sign()
        monthly.with_user(self.officer).action_sign()
        self.assertEqual(monthly.state, "signed")
        self.assertEqual(monthly.reviewer_id, self.officer)
        with self.assertRaisesRegex(UserError, "is Signed: Technical Score"):
            monthly.technical_score = 10
        self.assertEqual(monthly.technical_score, 85)

    def test_officer_cannot_sign_own(self):
        own = self.env["training.assessment"].create(
            {
                "employee_id": self.officer_employee.id,
                "date_from": date(2026, 3, 1),
                "date_to": date(2026, 3, 31),
                "technical_score": 80,
                "attitude_score": 80,
                "safety_score": 80,
            }
        )
        with self.assertRaisesRegex(UserError, "own assessment"):
            own.with_user(self.officer).action_sign()
