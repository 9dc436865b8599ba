"""A certification year end to end, as the quality team runs it: objectives
set and missed, the missed one followed up by a corrective action; the
self-assessment's gaps turned into corrective actions and its surveillance
dated; the evidence pack printed for the auditor in Chinese; the management
review held on those inputs, its actions followed up and the review closed."""

from datetime import date

from freezegun import freeze_time

from odoo.tests import Form, tagged

from .common import ServiceAuditCommon


@tagged("post_install", "-at_install")
class TestCertificationYear(ServiceAuditCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # first half of 2022: 10 orders, 2 complaints (20 per 100 orders)
        orders = cls._orders(10, date(2022, 2, 1))
        cls._complaints(2, date(2022, 3, 3), orders[0])

    def _render(self, report, records, lang):
        return (
            self.env["ir.actions.report"]
            .with_context(lang=lang)
            ._render_qweb_html(report, records.ids)[0]
            .decode()
        )

    def test_full_certification_year(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["service_quality", "service_audit"], ["zh_CN"], overwrite=True
        )
        Action = self.env["service.corrective.action"]

        # 1. January: the inspector sets the year's objectives
        with freeze_time("2022-01-05"):
            with Form(self.env["service.objective"].with_user(self.inspector)) as form:
                form.kpi = "complaint_rate"
                form.target = 5
                form.date_from = date(2022, 1, 1)
                form.date_to = date(2022, 6, 30)
                form.owner_id = self.inspector
            objective = form.save()

        # 2. the daily job: at risk while the half-year runs, missed after it
        cron = self.env.ref("service_audit.ir_cron_objective_refresh")
        with freeze_time("2022-04-01"):
            cron.method_direct_trigger()
        self.assertEqual(objective.status, "at_risk")
        self.assertFalse(objective.corrective_action_ids)
        with freeze_time("2022-07-02"):
            cron.method_direct_trigger()
        self.assertEqual(objective.status, "missed")
        self.assertAlmostEqual(objective.actual, 20.0)
        self.assertTrue(objective.is_final)
        objective_action = objective.corrective_action_ids
        self.assertEqual(len(objective_action), 1)
        self.assertEqual(objective_action.owner_id, self.inspector)
        self.assertEqual(objective_action.deadline, date(2022, 8, 1))

        # 3. the self-assessment: live evidence, judgement, gaps, surveillance
        with freeze_time("2022-07-05"):
            with Form(self.env["service.self.assessment"].with_user(self.inspector)) as form:
                form.date_from = date(2022, 1, 1)
                form.date_to = date(2022, 6, 30)
            assessment = form.save()
            assessment.action_load_indicators()
            for line in assessment.line_ids.filtered(lambda line: line.method == "judgement"):
                line.write({"judgement_score": line.max_score, "comment": "Checked on site"})
            assessment.action_done()
        self.assertEqual(assessment.next_surveillance_date, date(2023, 7, 5))
        self.assertEqual(assessment.next_reevaluation_date, date(2025, 7, 5))
        self.assertEqual(
            sorted(assessment.activity_ids.mapped("date_deadline")),
            [date(2023, 7, 5), date(2025, 7, 5)],
        )
        gap_actions = assessment.corrective_action_ids
        self.assertTrue(gap_actions)
        self.assertEqual(
            gap_actions.self_assessment_line_id, assessment.line_ids.filtered("is_gap")
        )

        # 4. the evidence pack for the auditor, in Chinese, after the job
        # names were read in English on a screen
        manual = self.env.ref("service_audit.standard_company_manual")
        sla_control = self.env.ref("service_audit.control_sla_job")
        self.assertEqual(
            sla_control.with_context(lang="en_US").record_name,
            "Service orders: SLA sweep (at risk and breached)",
        )
        wizard = (
            self.env["service.evidence.pack.wizard"]
            .with_user(self.inspector)
            .create(
                {
                    "standard_id": manual.id,
                    "date_from": date(2022, 1, 1),
                    "date_to": date(2022, 6, 30),
                    "lang": "zh_CN",
                }
            )
        )
        self.assertEqual(wizard.action_print()["report_name"], "service_audit.report_evidence_pack")
        html = self._render("service_audit.report_evidence_pack", wizard, "en_US")
        self.assertIn("证据包", html)
        self.assertIn(sla_control.with_context(lang="zh_CN").record_name, html)
        self.assertNotIn("SLA sweep (at risk and breached)", html)

        # 5. the management review on the period's inputs
        with freeze_time("2022-07-10"):
            with Form(self.env["service.management.review"].with_user(self.manager)) as form:
                form.date_from = date(2022, 1, 1)
                form.date_to = date(2022, 6, 30)
                form.decisions = "<p>Call back every complaint within 4 hours.</p>"
            review = form.save()
            self.assertEqual(review.objective_ids, objective)
            review_action = Action.with_user(self.manager).create(
                {
                    "name": "Complaint call-back rota",
                    "management_review_id": review.id,
                    "owner_id": self.inspector.id,
                    "deadline": date(2022, 9, 30),
                }
            )
            review.action_hold()
        minutes = self._render("service_audit.report_management_review", review, "zh_CN")
        self.assertIn("管理评审纪要", minutes)
        self.assertIn("Complaint call-back rota", minutes)

        # 6. every action followed up: done by its owner, checked by another
        for action in objective_action | gap_actions | review_action:
            action.with_user(self.inspector).action_done()
            action.with_user(self.inspector_2).write({"effectiveness": "effective"})
            action.with_user(self.inspector_2).action_verify()
        self.assertEqual(set((objective_action | gap_actions).mapped("state")), {"verified"})
        review.with_user(self.manager).action_close()
        self.assertEqual(review.state, "closed")
