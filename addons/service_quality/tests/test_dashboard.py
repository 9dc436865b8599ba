import ast
from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tests.common import TransactionCase

from .common import create_role_users, service_team


@tagged("post_install", "-at_install")
@freeze_time("2026-03-20 10:00:00")
class TestServiceDashboard(TransactionCase):
    """The dashboard's figures are the KPI report's, and each opens exactly
    the records it counts.

    March 2026 (this month), by hand:
      m1 closed, SLA met, feedback 5, no rework          -> FTF 100
      m2 done, SLA breached, feedback 3, reworked by m4  -> FTF 0
      m3 in progress, at risk
      m4 new (the rework of m2), breached
      o5, o6 open (on track)
      SLA met 33.3 % (m1 met; m2 and m4 breached), FTF 50 %, average score 4.0
      complaints received in March: 3 -> 3 / 6 orders = 50 per 100
    February: f1 closed, SLA met (not in March's figures; open counts are live).
    An open corrective action past its deadline, one not yet due.
    """

    @classmethod
    def _order(cls, received, state, sla, resolved=None, rework_of=None):
        order = cls.env["service.order"].create(
            {
                "partner_id": cls.customer.id,
                "category_id": cls.category.id,
                "user_id": cls.technician.id,
                "team_id": cls.team.id,
                "received_at": received,
            }
        )
        # engine-only fields, written as the report's own tests do
        cls.env.flush_all()
        cls.env.cr.execute(
            """UPDATE service_order
                  SET state = %s, sla_status = %s, resolved_at = %s, rework_of_id = %s
                WHERE id = %s""",
            (state, sla, resolved, rework_of and rework_of.id, order.id),
        )
        order.invalidate_recordset()
        return order

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a company of its own: the figures are those of this test's records only
        cls.company = cls.env["res.company"].create({"name": "Dashboard Test Company"})
        cls.env = cls.env(
            context=dict(
                cls.env.context, tracking_disable=True, allowed_company_ids=cls.company.ids
            )
        )
        in_company = {"company_id": cls.company.id, "company_ids": [Command.set(cls.company.ids)]}
        create_role_users(
            cls,
            {
                key: (*value, in_company)
                for key, value in {
                    **service_team("dash"),
                    "manager": ("dash_manager", "manager", "Max Manager"),
                }.items()
            },
        )
        cls.customer = cls.env["res.partner"].create({"name": "Chen Wei"})
        cls.category = cls.env["service.category"].create({"name": "Washer repair (dash)"})
        cls.team = cls.env["service.team"].create({"name": "Dashboard team"})
        with freeze_time("2026-03-20 10:00:00"):
            cls.others = cls.env["service.order"].create(
                [{"partner_id": cls.customer.id}, {"partner_id": cls.customer.id}]
            )
            cls.m1 = cls._order(datetime(2026, 3, 2, 8), "closed", "met", datetime(2026, 3, 3, 8))
            cls.m2 = cls._order(
                datetime(2026, 3, 4, 8), "done", "breached", datetime(2026, 3, 6, 8)
            )
            cls.m3 = cls._order(datetime(2026, 3, 10, 8), "in_progress", "at_risk")
            cls.m4 = cls._order(datetime(2026, 3, 12, 8), "new", "breached", rework_of=cls.m2)
            cls.f1 = cls._order(datetime(2026, 2, 10, 8), "closed", "met", datetime(2026, 2, 11, 8))
            Feedback = cls.env["service.feedback"]
            Feedback.create({"service_order_id": cls.m1.id, "score": 5})
            Feedback.create({"service_order_id": cls.m2.id, "score": 3})
            Complaint = cls.env["service.complaint"]
            for order, day in ((cls.m1, 5), (cls.m1, 11), (cls.m1, 15), (cls.f1, -20)):
                received = datetime(2026, 3, day, 9) if day > 0 else datetime(2026, 2, -day, 9)
                complaint = Complaint.create(
                    {
                        "partner_id": cls.customer.id,
                        "service_order_id": order.id,
                        "description": "<p>Still noisy</p>",
                        "received_at": received,
                    }
                )
            Action = cls.env["service.corrective.action"]
            cls.overdue = Action.create(
                {
                    "name": "Retrain on drum bearings",
                    "complaint_id": complaint.id,
                    "owner_id": cls.technician.id,
                    "deadline": date(2026, 3, 10),
                }
            )
            Action.create(
                {
                    "name": "Check torque wrench",
                    "complaint_id": complaint.id,
                    "owner_id": cls.technician.id,
                    "deadline": date(2026, 4, 10),
                }
            )

    def _figures(self, period="month", user=None):
        data = self.env["service.dashboard"].with_user(user or self.manager).get_dashboard(period)
        return data, {figure["key"]: figure for figure in data["figures"]}

    def _records(self, figure, user=None):
        action = figure["action"]
        Model = self.env[action["res_model"]].with_user(user or self.manager)
        return Model.with_context(**action["context"]).search(action["domain"])

    def test_figures_equal_the_kpi_report(self):
        data, figures = self._figures()
        Report = self.env["service.kpi.report"].with_user(self.manager)
        live = Report.get_kpi_values([("row_type", "=", "order")])
        month = Report.get_kpi_values(
            [("date", ">=", date(2026, 3, 1)), ("date", "<", date(2026, 4, 1))]
        )
        expected = {
            "open_orders": live["open_count"],
            "at_risk": live["at_risk_count"],
            "breached": live["breached_count"],
            "sla_met_rate": month["sla_met_rate"],
            "ftf_rate": month["ftf_rate"],
            "feedback_score": month["feedback_score"],
            "complaint_rate": month["complaint_rate"],
        }
        for key, value in expected.items():
            self.assertEqual(figures[key]["value"], value, key)
        # and the KPI report says what was counted by hand
        self.assertEqual(figures["open_orders"]["value"], 4)  # m3, m4 and the two others
        self.assertEqual(figures["at_risk"]["value"], 1)
        self.assertEqual(figures["breached"]["value"], 1)
        self.assertAlmostEqual(figures["sla_met_rate"]["value"], 100.0 / 3)
        self.assertEqual(figures["ftf_rate"]["value"], 50.0)
        self.assertEqual(figures["feedback_score"]["value"], 4.0)
        self.assertEqual(figures["complaint_rate"]["value"], 50.0)
        self.assertEqual(figures["overdue_actions"]["value"], 1)
        self.assertEqual(figures["sla_met_rate"]["display"], "33.3 %")
        self.assertEqual(figures["feedback_score"]["display"], "4.00")
        self.assertEqual(figures["breached"]["level"], "danger")
        self.assertEqual(data["period_label"], "2026-03-01 to 2026-03-31")

    def test_each_figure_opens_the_records_it_counts(self):
        _data, figures = self._figures()
        for key, figure in figures.items():
            records = self._records(figure)
            self.assertEqual(len(records), figure["count"], key)
        self.assertEqual(self._records(figures["at_risk"]), self.m3)
        self.assertEqual(self._records(figures["breached"]), self.m4)
        self.assertEqual(self._records(figures["sla_met_rate"]), self.m1 | self.m2 | self.m4)
        self.assertEqual(self._records(figures["ftf_rate"]), self.m1 | self.m2)
        self.assertEqual(self._records(figures["feedback_score"]), self.m1 | self.m2)
        self.assertEqual(len(self._records(figures["complaint_rate"])), 3)
        self.assertEqual(self._records(figures["overdue_actions"]), self.overdue)
        self.assertEqual(figures["at_risk"]["action"]["res_model"], "service.order")
        self.assertIn((False, "list"), figures["at_risk"]["action"]["views"])

    def test_periods(self):
        _data, last_month = self._figures("last_month")
        self.assertEqual(last_month["sla_met_rate"]["value"], 100.0)
        self.assertEqual(last_month["complaint_rate"]["value"], 100.0)
        self.assertEqual(self._records(last_month["sla_met_rate"]), self.f1)
        # live figures do not depend on the period
        self.assertEqual(last_month["open_orders"]["value"], 4)
        _data, year = self._figures("year")
        self.assertEqual(year["sla_met_rate"]["count"], 4)
        # nothing to measure: "–"
        with freeze_time("2026-07-01 10:00:00"):
            _data, empty = self._figures()
        self.assertIsNone(empty["sla_met_rate"]["value"])
        self.assertEqual(empty["sla_met_rate"]["display"], "–")
        self.assertIsNone(empty["complaint_rate"]["value"])

    def test_trends_are_the_report_by_month(self):
        data, _figures = self._figures()
        trends = {trend["key"]: trend for trend in data["trends"]}
        self.assertEqual(
            set(trends), {"orders", "sla_met_rate", "ftf_rate", "feedback_score", "complaint_rate"}
        )
        orders = trends["orders"]
        self.assertEqual(len(orders["labels"]), 12)
        self.assertEqual(orders["labels"][-2:], ["2026-02", "2026-03"])
        self.assertEqual(orders["values"][-2:], [1, 6])
        self.assertEqual(trends["sla_met_rate"]["values"][-2:], [100.0, 33.33])
        self.assertEqual(trends["complaint_rate"]["values"][-2:], [100.0, 50.0])
        self.assertIsNone(trends["sla_met_rate"]["values"][0])
        # a trend drills down into the KPI pivot on the same months
        action = trends["sla_met_rate"]["action"]
        self.assertEqual(action["res_model"], "service.kpi.report")
        self.assertEqual(action["context"]["pivot_measures"], ["sla_met_rate"])
        self.assertEqual(
            action["domain"], [("date", ">=", "2025-04-01"), ("date", "<", "2026-04-01")]
        )
        self.assertEqual(data["analysis_action"]["views"][0], (False, "pivot"))

    def test_access(self):
        for user in (self.dispatcher, self.inspector):
            self.assertTrue(self._figures(user=user)[0]["figures"])
        with self.assertRaises(AccessError):
            self.env["service.dashboard"].with_user(self.technician).get_dashboard()

    def test_other_addons_add_figures(self):
        """Figures contributed by other addons through ``_dashboard_figures``
        (equipment_care, service_training) sit among the headline ones."""
        _data, figures = self._figures()
        installed = self.env["ir.module.module"]._get("equipment_care").state == "installed"
        self.assertEqual("tools_calibration_overdue" in figures, installed)

    def test_query_count(self):
        Dashboard = self.env["service.dashboard"].with_user(self.manager)
        Dashboard.get_dashboard()
        self.env.invalidate_all()
        # figures, trends and actions: a fixed number of grouped queries,
        # whatever the number of orders (service_sale adds its money and
        # repeat-repair figures, service_audit its compensation figure: a few
        # grouped queries more)
        with self.assertQueryCount(66):
            Dashboard.get_dashboard()
        self.env["service.order"].create(
            [{"partner_id": self.customer.id, "team_id": self.team.id} for _i in range(30)]
        )
        self.env.invalidate_all()
        with self.assertQueryCount(66):
            Dashboard.get_dashboard()

    def test_complaint_analysis_counts_by_default(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "service_quality.service_complaint_action_analysis"
        )
        context = ast.literal_eval(action["context"])
        self.assertEqual(context["pivot_measures"][0], "__count__")
        self.assertEqual(context["graph_measure"], "__count__")
