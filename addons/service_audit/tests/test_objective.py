from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common import ServiceAuditCommon


@tagged("post_install", "-at_install")
class TestObjective(ServiceAuditCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # January 2022: 10 orders, 1 complaint (10 per 100 orders);
        # December 2021: 10 orders, 2 complaints (20 per 100 orders)
        orders = cls._orders(10, date(2022, 1, 15))
        cls._complaints(1, date(2022, 1, 20), orders[0])
        previous = cls._orders(10, date(2021, 12, 10))
        cls._complaints(2, date(2021, 12, 12), previous[0])

    def _objective(self, user=None, **vals):
        values = {
            "kpi": "complaint_rate",
            "target": 5,
            "date_from": date(2022, 1, 1),
            "date_to": date(2022, 1, 31),
            "owner_id": self.inspector.id,
        }
        values.update(vals)
        return self.env["service.objective"].with_user(user or self.inspector).create(values)

    def test_generated_name_reads_in_the_readers_language(self):
        objective = self._objective(kpi="feedback_score")
        self.assertEqual(objective.name, "Average Feedback Score · 2022-01-01 – 2022-01-31")
        self.assertEqual(
            objective.with_context(lang="zh_CN").display_name,
            "平均反馈评分 · 2022-01-01 – 2022-01-31",
        )
        # a name typed by hand stays as typed
        objective.name = "Happier customers in January"
        self.assertEqual(
            objective.with_context(lang="zh_CN").display_name, "Happier customers in January"
        )

    def test_actual_comes_from_kpi_report(self):
        objective = self._objective()
        with freeze_time("2022-02-05"):
            objective.action_refresh()
        expected = self.env["service.kpi.report"].get_kpi_values(
            [
                ("company_id", "=", self.company.id),
                ("date", ">=", date(2022, 1, 1)),
                ("date", "<=", date(2022, 1, 31)),
            ]
        )["complaint_rate"]
        self.assertAlmostEqual(objective.actual, expected)
        self.assertAlmostEqual(objective.actual, 10.0)
        self.assertAlmostEqual(objective.previous_actual, 20.0)
        self.assertTrue(objective.has_actual)

    def test_missed_objective_opens_one_corrective_action(self):
        objective = self._objective()
        with freeze_time("2022-02-05"):
            objective.action_refresh()
            self.assertEqual(objective.status, "missed")
            self.assertTrue(objective.is_final)
            action = objective.corrective_action_ids
            self.assertEqual(len(action), 1)
            self.assertEqual(action.owner_id, self.inspector)
            self.assertEqual(action.deadline, date(2022, 3, 7))
            self.assertIn(objective.name, action.name)
            objective.action_refresh()
        self.assertEqual(len(objective.corrective_action_ids), 1, "one action per missed objective")
        self.assertEqual(objective.corrective_action_count, 1)

    def test_at_risk_while_the_period_runs(self):
        objective = self._objective()
        with freeze_time("2022-01-25"):
            objective.action_refresh()
        self.assertEqual(objective.status, "at_risk")
        self.assertFalse(objective.is_final)
        self.assertFalse(objective.corrective_action_ids)

    def test_met_and_trend(self):
        objective = self._objective(target=12)
        with freeze_time("2022-02-05"):
            objective.action_refresh()
        self.assertEqual(objective.status, "met")
        self.assertEqual(objective.trend, "improving", "10 complaints per 100 orders after 20")
        higher = self._objective(kpi="sla_met_rate", target=90)
        with freeze_time("2022-02-05"):
            higher.action_refresh()
        self.assertEqual(higher.status, "no_data", "no order of January has an SLA result")
        self.assertFalse(higher.trend)
        self.assertEqual(higher.format_value(higher.actual, higher.has_actual), "–")

    def test_team_objective_counts_the_team_only(self):
        self._orders(10, date(2022, 1, 16), team=self.team_2)
        objective = self._objective(kpi="complaint_rate", team_id=self.team_2.id)
        with freeze_time("2022-02-05"):
            objective.action_refresh()
        self.assertAlmostEqual(objective.actual, 0.0)
        self.assertEqual(objective.status, "met")

    def test_daily_job_refreshes_running_objectives_once_a_day(self):
        running = self._objective(date_to=date(2022, 2, 28))
        final = self._objective()
        with freeze_time("2022-02-05"):
            final.action_refresh()
            final_refreshed = final.refreshed_at
        cron = self.env.ref("service_audit.ir_cron_objective_refresh")
        with freeze_time("2022-02-06 08:00"):
            cron.method_direct_trigger()
            self.assertEqual(running.status, "at_risk")
            first = running.refreshed_at
            self.assertEqual(
                final.refreshed_at, final_refreshed, "final figures are not read again"
            )
            self.assertEqual(self.env["service.objective"]._cron_refresh_objectives(), 0)
        self.assertTrue(first)

    def test_refresh_reads_each_period_once(self):
        objectives = self._objective() | self._objective(kpi="ftf_rate", target=80)
        more = (
            objectives
            | self._objective(kpi="feedback_score", target=4)
            | self._objective(kpi="inspection_pass_rate", target=90)
        )
        objectives.flush_recordset()
        with freeze_time("2022-01-25"):
            with self.assertQueryCount(8):
                objectives._refresh_actuals()
                objectives.flush_recordset()
            more.flush_recordset()
            with self.assertQueryCount(10):
                more._refresh_actuals()
                more.flush_recordset()

    def test_form_and_bad_input(self):
        form = Form(self.env["service.objective"].with_user(self.inspector))
        form.kpi = "ftf_rate"
        form.target = 90
        form.date_from = date(2022, 1, 1)
        form.date_to = date(2022, 12, 31)
        objective = form.save()
        self.assertIn("2022-01-01", objective.name)
        with self.assertRaisesRegex(ValidationError, "at most 100"):
            self._objective(kpi="sla_met_rate", target=120)
        with self.assertRaisesRegex(ValidationError, "between 1 and 5"):
            self._objective(kpi="feedback_score", target=7)

    def test_access(self):
        objective = self._objective()
        self.assertEqual(
            objective.with_user(self.technician).read(["kpi"])[0]["kpi"], "complaint_rate"
        )
        with self.assertRaises(AccessError):
            self._objective(user=self.technician)
        with self.assertRaises(AccessError):
            objective.with_user(self.employee).read(["kpi"])
        with self.assertRaises(AccessError):
            objective.with_user(self.inspector).unlink()
        with self.assertRaises(AccessError):
            objective.with_user(self.inspector_other_company).read(["kpi"])
        objective.with_user(self.manager).unlink()
        self.assertFalse(objective.exists())
