from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import ServiceAuditCommon


@tagged("post_install", "-at_install")
class TestSelfAssessment(ServiceAuditCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # 2022: 10 orders and 1 complaint, 10 complaints per 100 orders
        orders = cls._orders(10, date(2022, 2, 1))
        cls._complaints(1, date(2022, 2, 3), orders[0])

    def _assessment(self, user=None):
        return (
            self.env["service.self.assessment"]
            .with_user(user or self.inspector)
            .create({"date_from": date(2022, 1, 1), "date_to": date(2022, 12, 31)})
        )

    def _line(self, assessment, xml_id):
        clause = self.env.ref(f"service_audit.{xml_id}")
        return assessment.line_ids.filtered(lambda line: line.clause_id == clause)

    def test_indicators_scored_from_evidence_and_judgement(self):
        assessment = self._assessment()
        self.assertEqual(assessment.standard_id, self.env.ref("service_audit.standard_gbt_27922"))
        self.assertTrue(assessment.name.startswith("SA/"))
        assessment.action_load_indicators()
        self.assertEqual(len(assessment.line_ids), 9)
        complaints = self._line(assessment, "clause_gb_5")
        self.assertEqual(complaints.method, "evidence")
        self.assertAlmostEqual(complaints.evidence_value, 10.0)
        # full score at 2 per 100 orders: 15 x 2 / 10
        self.assertAlmostEqual(complaints.score, 3.0)
        sla = self._line(assessment, "clause_gb_2")
        self.assertFalse(sla.has_evidence_value, "no order with an SLA result")
        self.assertEqual(sla.score, 0.0)
        self.assertEqual(self._line(assessment, "clause_gb_1").method, "judgement")
        # the assessor judges every other indicator at its maximum
        for line in assessment.line_ids - complaints:
            line.write(
                {
                    "method": "judgement",
                    "judgement_score": line.max_score,
                    "comment": "Checked on site",
                }
            )
        self.assertAlmostEqual(assessment.total_score, 88.0)
        self.assertEqual(assessment.star_level, "4")
        self.assertEqual(assessment.gap_count, 1)
        line = self._line(assessment, "clause_gb_9")
        line.judgement_score = 2.0
        self.assertAlmostEqual(assessment.total_score, 85.0)
        self.assertEqual(assessment.gap_count, 2)

    def test_completion_schedules_surveillance_and_opens_gap_actions(self):
        assessment = self._assessment()
        assessment.action_load_indicators()
        with self.assertRaisesRegex(UserError, "need a comment"):
            assessment.action_done()
        for line in assessment.line_ids.filtered(lambda line: line.method == "judgement"):
            line.write({"judgement_score": line.max_score, "comment": "Procedures in place"})
        with freeze_time("2023-01-20"):
            assessment.date = date(2023, 1, 20)
            assessment.action_done()
        self.assertEqual(assessment.state, "done")
        self.assertEqual(assessment.next_surveillance_date, date(2024, 1, 20))
        self.assertEqual(assessment.next_reevaluation_date, date(2026, 1, 20))
        activities = assessment.activity_ids
        self.assertEqual(
            sorted(activities.mapped("date_deadline")), [date(2024, 1, 20), date(2026, 1, 20)]
        )
        self.assertEqual(activities.user_id, self.inspector)
        gaps = assessment.line_ids.filtered("is_gap")
        self.assertEqual(len(gaps), 5, "four indicators without data and the complaint rate")
        self.assertEqual(assessment.corrective_action_ids.self_assessment_line_id, gaps)
        with self.assertRaisesRegex(UserError, "completed"):
            gaps[0].judgement_score = 1
        with self.assertRaisesRegex(UserError, "completed"):
            assessment.action_score_from_evidence()

    def test_bad_input(self):
        assessment = self._assessment()
        with self.assertRaisesRegex(UserError, "no indicator"):
            assessment.action_done()
        assessment.action_load_indicators()
        line = self._line(assessment, "clause_gb_1")
        with self.assertRaisesRegex(ValidationError, "between 0 and 10"):
            line.judgement_score = 12

    def test_access(self):
        assessment = self._assessment()
        with self.assertRaises(AccessError):
            assessment.with_user(self.technician).read(["total_score"])
        with self.assertRaises(AccessError):
            self._assessment(user=self.technician)
        with self.assertRaises(AccessError):
            assessment.with_user(self.inspector_other_company).read(["total_score"])
        with self.assertRaises(AccessError):
            assessment.with_user(self.inspector).unlink()
        assessment.with_user(self.manager).unlink()
        self.assertFalse(assessment.exists())

    def test_report_in_both_languages(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["service_quality", "service_audit"], ["zh_CN"], overwrite=True
        )
        assessment = self._assessment()
        assessment.action_load_indicators()
        self._line(assessment, "clause_gb_1").write(
            {"judgement_score": 4.0, "comment": "Service manual checked on site"}
        )
        self.assertEqual(assessment.action_print()["report_name"],
                         "service_audit.report_self_assessment")  # fmt: skip
        for lang, title in (("en_US", "Self-Assessment"), ("zh_CN", "自我评价")):
            html = (
                self.env["ir.actions.report"]
                .with_context(lang=lang)
                ._render_qweb_html("service_audit.report_self_assessment", assessment.ids)[0]
                .decode()
            )
            self.assertIn(title, html)
            self.assertIn(assessment.name, html)
            self.assertIn("Service manual checked on site", html)
            self.assertIn("10.00", html, "complaints per 100 orders from the evidence")
