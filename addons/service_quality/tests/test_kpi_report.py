from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .quality_common import QualityCommon


@tagged("post_install", "-at_install")
class TestKpiReport(QualityCommon):
    """Report figures against values computed by hand on a fixed data set.

    March 2026, category A (washing machines), technician 1:
      o1 closed, response 2 h, resolution 10 h, SLA met, feedback 5/4, 1 complaint
      o2 done, response 4 h, resolution 20 h, SLA breached, reworked 10 days later by o4
      o4 new (the rework), no response yet
      a finished inspection of o1: 2 passed, 1 failed -> 66.67 %
    March 2026, category B (fridges), technician 2:
      o3 in progress, response 1 h, 1 complaint closed in 48 h
    April 2026, category B, technician 2:
      o5 closed, response 6 h, resolution 30 h, SLA met, feedback 3
    o6 cancelled (category A, March): never counted.
    Feedback is only accepted on done/closed orders, so the states are
    written before it is recorded (o1 and o5 are closed already: recording
    their feedback changes nothing).
    """

    @classmethod
    def _order(
        cls, received, category, user, state, sla, response=None, resolution=None, rework_of=None
    ):
        order = cls.env["service.order"].create(
            {
                "partner_id": cls.customer.id,
                "category_id": category.id,
                "user_id": user.id,
                "team_id": cls.team.id,
                "received_at": received,
            }
        )
        # Written in SQL so that no SLA computation of the order model can
        # change the fixed figures.
        cls.env.flush_all()
        cls.env.cr.execute(
            """UPDATE service_order
                  SET state = %s, sla_status = %s, responded_at = %s, resolved_at = %s,
                      rework_of_id = %s
                WHERE id = %s""",
            (
                state,
                sla,
                response and received + timedelta(hours=response),
                resolution and received + timedelta(hours=resolution),
                rework_of and rework_of.id,
                order.id,
            ),
        )
        # The ORM cache still holds the values from ``create`` (state "new"):
        # drop it so that the feedback constraint (rated orders must be done
        # or closed) and the report read the states written above.
        order.invalidate_recordset()
        return order

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.category_b = cls.env["service.category"].create({"name": "Fridge repair"})
        cat_a, cat_b = cls.category, cls.category_b
        tech1, tech2 = cls.technician, cls.technician_2
        cls.o1 = cls._order(datetime(2026, 3, 2, 8), cat_a, tech1, "closed", "met", 2, 10)
        cls.o2 = cls._order(datetime(2026, 3, 10, 8), cat_a, tech1, "done", "breached", 4, 20)
        cls.o3 = cls._order(datetime(2026, 3, 15, 8), cat_b, tech2, "in_progress", "on_track", 1)
        cls.o4 = cls._order(
            datetime(2026, 3, 20, 8), cat_a, tech1, "new", "on_track", rework_of=cls.o2
        )
        cls.o5 = cls._order(datetime(2026, 4, 2, 8), cat_b, tech2, "closed", "met", 6, 30)
        cls.o6 = cls._order(datetime(2026, 3, 5, 8), cat_a, tech1, "cancelled", "on_track")
        Feedback = cls.env["service.feedback"]
        Feedback.create({"service_order_id": cls.o1.id, "score": 5, "score_timeliness": 4})
        Feedback.create({"service_order_id": cls.o5.id, "score": 3})
        cls._complaint(service_order_id=cls.o1.id, received_at=datetime(2026, 3, 4, 9))
        closed = cls._complaint(service_order_id=cls.o3.id, received_at=datetime(2026, 3, 16, 9))
        cls.env.flush_all()
        cls.env.cr.execute(
            "UPDATE service_complaint SET state = 'closed', hours_to_close = 48 WHERE id = %s",
            (closed.id,),
        )
        inspection = cls.env["service.inspection"].create(
            {
                "subject_type": "order",
                "service_order_id": cls.o1.id,
                "inspector_id": cls.inspector.id,
                "line_ids": [Command.create({"name": f"Item {i}"}) for i in range(3)],
            }
        )
        inspection.action_start()
        for line, result in zip(inspection.line_ids, ("pass", "pass", "fail"), strict=True):
            line.result = result
        with freeze_time("2026-03-25 10:00:00"):
            inspection.action_done()
        cls.env.invalidate_all()

    def _groups(self, domain, groupby):
        Report = self.env["service.kpi.report"].with_user(self.manager)
        return {
            tuple(values[spec] for spec in groupby): values
            for values in Report.get_kpi_values(domain, groupby)
        }

    def test_month_by_category_figures(self):
        domain = [
            ("company_id", "=", self.company.id),
            ("date", ">=", date(2026, 3, 1)),
            ("date", "<", date(2026, 5, 1)),
        ]
        groups = self._groups(domain, ["date:month", "category_id"])
        march_a = groups[(date(2026, 3, 1), self.category)]
        self.assertEqual(march_a["order_count"], 3)
        self.assertEqual(march_a["closed_count"], 2)
        self.assertAlmostEqual(march_a["response_hours"], 3.0)
        self.assertAlmostEqual(march_a["resolution_hours"], 15.0)
        self.assertAlmostEqual(march_a["sla_met_rate"], 50.0)
        self.assertAlmostEqual(march_a["ftf_rate"], 50.0)
        self.assertAlmostEqual(march_a["feedback_score"], 5.0)
        self.assertAlmostEqual(march_a["feedback_timeliness"], 4.0)
        self.assertEqual(march_a["complaint_count"], 1)
        self.assertAlmostEqual(march_a["complaint_rate"], 100.0 / 3)
        self.assertAlmostEqual(march_a["inspection_pass_rate"], 200.0 / 3)
        march_b = groups[(date(2026, 3, 1), self.category_b)]
        self.assertEqual(march_b["order_count"], 1)
        self.assertEqual(march_b["closed_count"], 0)
        self.assertAlmostEqual(march_b["response_hours"], 1.0)
        self.assertIsNone(march_b["sla_met_rate"])
        self.assertIsNone(march_b["ftf_rate"])
        self.assertAlmostEqual(march_b["complaint_rate"], 100.0)
        self.assertAlmostEqual(march_b["complaint_close_hours"], 48.0)
        april_b = groups[(date(2026, 4, 1), self.category_b)]
        self.assertEqual(april_b["order_count"], 1)
        self.assertAlmostEqual(april_b["ftf_rate"], 100.0)
        self.assertAlmostEqual(april_b["feedback_score"], 3.0)
        self.assertAlmostEqual(april_b["complaint_rate"], 0.0)
        self.assertNotIn((date(2026, 4, 1), self.category), groups)

    def test_filters_by_technician_and_team(self):
        domain = [("date", ">=", date(2026, 3, 1)), ("date", "<", date(2026, 4, 1))]
        by_user = self._groups(domain, ["user_id"])
        self.assertEqual(by_user[(self.technician,)]["order_count"], 3)
        self.assertEqual(by_user[(self.technician_2,)]["order_count"], 1)
        by_team = self._groups([*domain, ("team_id", "=", self.team.id)], ["team_id"])
        self.assertEqual(by_team[(self.team,)]["order_count"], 4)

    def test_technician_scores(self):
        Report = self.env["service.kpi.report"]
        scores = Report._get_technician_scores(
            (self.technician | self.technician_2).ids, date(2026, 3, 1), date(2026, 4, 1)
        )
        tech1 = scores[self.technician.id]
        self.assertEqual(tech1["orders"], 3)
        self.assertEqual(tech1["sla_met_rate"], 50.0)
        self.assertEqual(tech1["ftf_rate"], 50.0)
        self.assertEqual(tech1["feedback_avg"], 5.0)
        self.assertEqual(tech1["inspection_pass_rate"], 66.7)
        # 0.30 x 50 + 0.25 x 50 + 0.30 x 100 + 0.15 x max(0, 100 - 10 x 33.3)
        self.assertEqual(tech1["score"], 57.5)
        tech2 = scores[self.technician_2.id]
        self.assertIsNone(tech2["sla_met_rate"])
        self.assertIsNone(tech2["feedback_avg"])
        # Only the complaint component is known: 100 - 10 x 100 -> 0.
        self.assertEqual(tech2["score"], 0.0)
        self.assertIsNone(
            Report._get_technician_scores([self.manager.id], date(2026, 3, 1), date(2026, 4, 1))[
                self.manager.id
            ]["score"]
        )

    def test_scores_query_count_constant(self):
        Report = self.env["service.kpi.report"]
        users = self.technician | self.technician_2 | self.dispatcher | self.inspector
        Report._get_technician_scores(users[:1].ids, date(2026, 3, 1), date(2026, 4, 1))
        with self.assertQueryCount(1):
            Report._get_technician_scores(users[:1].ids, date(2026, 3, 1), date(2026, 4, 1))
        with self.assertQueryCount(1):
            Report._get_technician_scores(users.ids, date(2026, 3, 1), date(2026, 4, 1))

    def test_technician_counts(self):
        """What training evaluations and assessments store besides the rates."""
        kpis = self.env["service.kpi.report"]._get_technician_scores(
            self.technician.ids, datetime(2026, 3, 1), datetime(2026, 4, 1)
        )[self.technician.id]
        self.assertEqual(kpis["orders"], 3)
        self.assertEqual(kpis["complaints"], 1)
        self.assertEqual(kpis["feedback_count"], 1)

    def test_access(self):
        self.assertTrue(self.env["service.kpi.report"].with_user(self.dispatcher).search_count([]))
        with self.assertRaises(AccessError):
            self.env["service.kpi.report"].with_user(self.technician).search([])
