from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import ServiceAuditCommon


@tagged("post_install", "-at_install")
class TestObjectiveFromRecords(ServiceAuditCommon):
    """Objectives of the KPIs read from their own records: return visits,
    calibrations, certificates and training hours, January 2022."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Employee = cls.env["hr.employee"]
        cls.tech_1 = Employee.create({"name": "Tess Technician", "user_id": cls.technician.id})
        cls.tech_2 = Employee.create({"name": "Ivy Inspector", "user_id": cls.inspector_2.id})
        cls.team.member_ids = cls.technician | cls.inspector_2

    def _objective(self, kpi, target, **vals):
        values = {
            "kpi": kpi,
            "target": target,
            "team_id": self.team.id,
            "date_from": date(2022, 1, 1),
            "date_to": date(2022, 1, 31),
            "owner_id": self.inspector.id,
        }
        values.update(vals)
        return self.env["service.objective"].with_user(self.inspector).create(values)

    def _finished(self, resolved, count=1, team=None, **vals):
        # finished work imported as the superuser would (workflow fields)
        return (
            self.env["service.order"]
            .sudo()
            .create(
                [
                    dict(
                        {
                            "partner_id": self.customer.id,
                            "category_id": self.category.id,
                            "team_id": (team or self.team).id,
                            "received_at": resolved - timedelta(days=1),
                            "state": "done",
                            "resolved_at": resolved,
                        },
                        **vals,
                    )
                    for _index in range(count)
                ]
            )
        )

    def test_return_visit_coverage(self):
        self._finished(
            datetime(2022, 1, 10, 9, 0), return_visit_done_on=datetime(2022, 1, 13, 9, 0)
        )
        rated = self._finished(datetime(2022, 1, 12, 9, 0))
        self.env["service.feedback"].create({"service_order_id": rated.id, "score": 5})
        self._finished(datetime(2022, 1, 20, 9, 0), count=2)
        # another team and another month do not count
        self._finished(datetime(2022, 1, 20, 9, 0), team=self.team_2)
        self._finished(
            datetime(2021, 12, 20, 9, 0), return_visit_done_on=datetime(2021, 12, 22, 9, 0)
        )
        objective = self._objective("return_visit_coverage", 90)
        with freeze_time("2022-01-25"):
            objective.action_refresh()
        self.assertAlmostEqual(objective.actual, 50.0)
        self.assertEqual(objective.status, "at_risk")
        self.assertAlmostEqual(objective.previous_actual, 100.0)
        self.assertEqual(objective.trend, "worsening")
        with freeze_time("2022-02-05"):
            objective.action_refresh()
        self.assertEqual(objective.status, "missed")
        self.assertEqual(len(objective.corrective_action_ids), 1)
        action = objective.action_open_kpi_report()
        self.assertEqual(action["res_model"], "service.order")
        self.assertEqual(
            self.env["service.order"].search_count(action["domain"]), 4, "the orders behind it"
        )

    def test_calibration_on_time(self):
        category = self.env["maintenance.equipment.category"].create(
            {"name": "Test gauges", "calibration_interval_days": 30}
        )
        tools = self.env["maintenance.equipment"].create(
            [{"name": f"Gauge {index}", "category_id": category.id} for index in range(3)]
        )
        for tool in tools:
            tool.calibration_interval_days = 30

        def calibrate(tool, day):
            with freeze_time(day):
                return self.env["equipment.calibration"].create(
                    {
                        "equipment_id": tool.id,
                        "date": day,
                        "performed_by": "Shanghai Metrology Lab",
                        "certificate_number": f"CAL-{tool.id}-{day}",
                        "result": "pass",
                    }
                )

        calibrate(tools[0], date(2021, 12, 10))  # due 2022-01-09
        calibrate(tools[0], date(2022, 1, 5))  # on time
        calibrate(tools[1], date(2021, 12, 20))  # due 2022-01-19
        calibrate(tools[1], date(2022, 1, 25))  # late
        calibrate(tools[2], date(2022, 1, 1))  # due 2022-01-31, never renewed
        objective = self._objective("calibration_on_time", 95, team_id=False)
        with freeze_time("2022-01-26"):
            objective.action_refresh()
        # the third is not due yet: not judged
        self.assertAlmostEqual(objective.actual, 50.0)
        self.assertEqual(objective.status, "at_risk")
        with freeze_time("2022-02-05"):
            objective.action_refresh()
        self.assertAlmostEqual(objective.actual, 100.0 / 3, places=2)
        self.assertEqual(objective.status, "missed")
        other = (
            self.env["service.objective"]
            .with_user(self.inspector_other_company)
            .create(
                {
                    "kpi": "calibration_on_time",
                    "target": 95,
                    "date_from": date(2022, 1, 1),
                    "date_to": date(2022, 1, 31),
                    "owner_id": self.inspector_other_company.id,
                }
            )
        )
        self.assertEqual(other.company_id, self.company_2)
        with freeze_time("2022-02-05"):
            other.action_refresh()
        self.assertEqual(other.status, "no_data", "another company's tools")

    def test_certificate_coverage_and_training_hours(self):
        cert_type = self.env["training.certification.type"].create(
            {"name": "Refrigerant (test)", "code": "T-REF", "validity_months": 36}
        )
        Certification = self.env["training.certification"]
        Certification.create(
            {
                "employee_id": self.tech_1.id,
                "type_id": cert_type.id,
                "issue_date": date(2021, 6, 1),
                "expiry_date": date(2024, 5, 31),
            }
        )
        # expired in the middle of the period: does not cover its end
        Certification.create(
            {
                "employee_id": self.tech_2.id,
                "type_id": cert_type.id,
                "issue_date": date(2019, 1, 1),
                "expiry_date": date(2022, 1, 20),
            }
        )
        course = self.env["training.course"].create(
            {
                "name": "Refrigerant handling (test)",
                "category": "safety",
                "mode": "classroom",
                "hours": 6,
                "theory_pass_mark": 60,
                "practical_pass_mark": 0,
            }
        )
        session = self.env["training.session"].create(
            {
                "course_id": course.id,
                "date_start": datetime(2022, 1, 10, 1, 0),
                "date_end": datetime(2022, 1, 10, 9, 0),
            }
        )
        self.env["training.attendance"].create(
            [
                {
                    "session_id": session.id,
                    "employee_id": employee.id,
                    "theory_score": 80,
                    "theory_scored": True,
                }
                for employee in self.tech_1 | self.tech_2
            ]
        )
        with freeze_time("2022-01-10 10:00:00"):
            session.action_done()
        coverage = self._objective("certificate_coverage", 100)
        hours = self._objective("training_hours", 4)
        with freeze_time("2022-01-15"):
            (coverage | hours).action_refresh()
        self.assertAlmostEqual(coverage.actual, 100.0, msg="both valid on the 15th")
        self.assertEqual(coverage.status, "met")
        self.assertAlmostEqual(hours.actual, session.hours * 2 / 2)
        with freeze_time("2022-02-05"):
            (coverage | hours).action_refresh()
        self.assertAlmostEqual(coverage.actual, 50.0)
        self.assertEqual(coverage.status, "missed")
        self.assertEqual(hours.status, "met" if session.hours >= 4 else "missed")
        self.assertEqual(hours.format_value(hours.actual, hours.has_actual), f"{session.hours:.1f}")
        # the training hours behind the figure
        action = hours.action_open_kpi_report()
        self.assertEqual(action["res_model"], "training.attendance")
        self.assertEqual(self.env["training.attendance"].search_count(action["domain"]), 2)

    def test_self_assessment_and_evidence_read_record_kpis(self):
        self._finished(
            datetime(2022, 1, 10, 9, 0), return_visit_done_on=datetime(2022, 1, 13, 9, 0)
        )
        self._finished(datetime(2022, 1, 11, 9, 0))
        value = self.env["service.objective"]._kpi_value(
            "return_visit_coverage", self.company, date(2022, 1, 1), date(2022, 1, 31)
        )
        self.assertAlmostEqual(value, 50.0)
        self.assertIsNone(
            self.env["service.objective"]._kpi_value(
                "return_visit_coverage", self.company_2, date(2022, 1, 1), date(2022, 1, 31)
            )
        )
