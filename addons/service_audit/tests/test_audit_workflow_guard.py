from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from odoo.addons.service_quality.tests.common import create_role_users
from odoo.addons.service_quality.tests.evidence_common import EvidenceLockMixin

from .common import ServiceAuditCommon


@tagged("post_install", "-at_install")
class TestAuditWorkflowGuard(EvidenceLockMixin, ServiceAuditCommon):
    """Objectives, self-assessments and management reviews change state and
    figures through their actions only; completed self-assessments and
    closed reviews are locked, reopened by a service manager with a
    reason."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        orders = cls._orders(10, date(2022, 2, 1))
        cls._complaints(1, date(2022, 2, 3), orders[0])
        create_role_users(
            cls,
            {
                "manager_2": ("sa_manager2", "manager", "Mia Manager"),
                "portal_user": ("sa_portal", "portal", "Pat Portal"),
            },
        )

    # ------------------------------------------------------------------
    # Objectives
    # ------------------------------------------------------------------
    def _objective(self, **vals):
        values = {
            "kpi": "complaint_rate",
            "target": 5,
            "date_from": date(2022, 2, 1),
            "date_to": date(2022, 2, 28),
            "owner_id": self.inspector.id,
        }
        values.update(vals)
        return self.env["service.objective"].with_user(self.inspector).create(values)

    def test_objective_figures_only_from_the_refresh(self):
        objective = self._objective()
        for vals in (
            {"actual": 99.9, "status": "met", "is_final": True},
            {"status": "met"},
            {"is_final": True},
            {"has_actual": True, "trend": "improving"},
            {"higher_is_better": True},
        ):
            with self.assertRefused(UserError, "cannot be edited directly; use the Refresh"):
                objective.with_user(self.inspector).write(vals)
        with self.assertRefused(UserError, "cannot be edited directly"):
            objective.with_user(self.manager).write({"status": "met"})
        with self.assertRefused(UserError, "cannot be edited directly"):
            self._objective(status="met", actual=1.0)
        objective.invalidate_recordset()
        self.assertEqual(objective.status, "no_data")
        self.assertFalse(objective.is_final)
        self.assertFalse(objective.has_actual)
        # the refresh measures it: 10 complaints per 100 orders, target 5
        with freeze_time("2022-03-05"):
            objective.with_user(self.inspector).action_refresh()
        self.assertEqual(objective.status, "missed")
        self.assertAlmostEqual(objective.actual, 10.0)
        self.assertTrue(objective.is_final)
        # a new target makes the figures measurable again
        objective.with_user(self.inspector).target = 12
        self.assertFalse(objective.is_final)
        with freeze_time("2022-03-05"):
            objective.with_user(self.inspector).action_refresh()
        self.assertEqual(objective.status, "met")
        # a copy is measured again
        copy = objective.with_user(self.inspector).copy()
        self.assertEqual(copy.status, "no_data")
        self.assertFalse(copy.is_final)

    def test_objective_target_within_the_kpi_range(self):
        cases = (
            ("response_hours", 1e300, "a target of Average Response Time \\(h\\) is at most 8760"),
            ("resolution_hours", 10000, "is at most 8760"),
            ("training_hours", 9000, "is at most 8760"),
            ("complaint_rate", 101, "a target of Complaints per 100 Orders is at most 100"),
            ("feedback_score", 0.5, "the feedback score is between 1 and 5"),
            ("feedback_score", 5.5, "the feedback score is between 1 and 5"),
            ("sla_met_rate", 101, "a rate target is at most 100"),
        )
        Objective = self.env["service.objective"]
        count = Objective.search_count([])
        for kpi, target, message in cases:
            with self.assertRefused(ValidationError, message):
                self._objective(kpi=kpi, target=target)
        self.assertEqual(Objective.search_count([]), count, "nothing was created")
        objective = self._objective(kpi="response_hours", target=4)
        with self.assertRefused(ValidationError, "at most 8760"):
            objective.with_user(self.inspector).target = 1e300
        self.assertEqual(objective.target, 4)
        for kpi, target in (
            ("feedback_score", 1),
            ("feedback_score", 4.5),
            ("resolution_hours", 48),
        ):
            self.assertEqual(self._objective(kpi=kpi, target=target).target, target)
        with Form(self.env["service.objective"].with_user(self.inspector)) as form:
            form.kpi = "response_hours"
            form.target = 8760
            form.date_from = date(2022, 1, 1)
            form.date_to = date(2022, 12, 31)
        self.assertEqual(form.record.target, 8760)

    # ------------------------------------------------------------------
    # Self-assessments
    # ------------------------------------------------------------------
    def _assessment(self):
        assessment = (
            self.env["service.self.assessment"]
            .with_user(self.inspector)
            .create({"date_from": date(2022, 1, 1), "date_to": date(2022, 12, 31)})
        )
        assessment.action_load_indicators()
        return assessment

    def _line(self, assessment, xml_id):
        clause = self.env.ref(f"service_audit.{xml_id}")
        return assessment.line_ids.filtered(lambda line: line.clause_id == clause)

    def _completed(self):
        assessment = self._assessment()
        for line in assessment.line_ids.filtered(lambda line: line.method == "judgement"):
            line.write({"judgement_score": line.max_score, "comment": "Checked on site"})
        with freeze_time("2023-01-20"):
            assessment.date = date(2023, 1, 20)
            assessment.action_done()
        return assessment

    def test_indicator_scores_are_measured_not_typed(self):
        assessment = self._assessment()
        complaints = self._line(assessment, "clause_gb_5")
        self.assertAlmostEqual(complaints.evidence_score, 3.0)
        total = assessment.total_score
        for vals in (
            {"evidence_score": 1000, "method": "evidence"},
            {"evidence_value": 0.0},
            {"score": 15.0},
            {"is_gap": False},
            {"max_score": 1000.0},
        ):
            with self.assertRefused(UserError, "cannot be edited directly; use the Score"):
                complaints.with_user(self.inspector).write(vals)
        with self.assertRefused(UserError, "cannot be edited directly"):
            assessment.with_user(self.inspector).write({"total_score": 100.0, "star_level": "5"})
        manual = self._line(assessment, "clause_gb_1")
        with self.assertRefused(ValidationError, "has no KPI to score it from"):
            manual.with_user(self.inspector).method = "evidence"
        self.env.invalidate_all()
        self.assertAlmostEqual(complaints.evidence_score, 3.0)
        self.assertEqual(manual.method, "judgement")
        self.assertAlmostEqual(assessment.total_score, total)
        self.assertEqual(self.env.ref("service_audit.clause_gb_5").max_score, 15)
        # the assessor's judgement and the evidence buttons still score
        manual.with_user(self.inspector).write({"judgement_score": 4.0, "comment": "On site"})
        complaints.with_user(self.inspector).write(
            {"method": "judgement", "judgement_score": 15.0, "comment": "Complaints all closed"}
        )
        self.assertAlmostEqual(complaints.score, 15.0)
        self.assertAlmostEqual(assessment.total_score, total + 4.0 + 12.0)
        assessment.with_user(self.inspector).action_score_from_evidence()

    def test_self_assessment_state_only_through_its_actions(self):
        assessment = self._assessment()
        with self.assertRefused(UserError, "cannot be edited directly; use the Complete"):
            assessment.with_user(self.inspector).write({"state": "done"})
        with self.assertRefused(UserError, "cannot be edited directly"):
            assessment.with_user(self.manager).write({"next_surveillance_date": date(2030, 1, 1)})
        self.assertEqual(assessment.state, "draft")
        self.assertFalse(assessment.next_surveillance_date)
        # Complete still checks the comments, then completes
        with self.assertRefused(UserError, "need a comment"):
            assessment.with_user(self.inspector).action_done()
        assessment = self._completed()
        self.assertEqual(assessment.state, "done")
        self.assertEqual(assessment.next_surveillance_date, date(2024, 1, 20))
        with self.assertRefused(UserError, "cannot be edited directly"):
            assessment.with_user(self.inspector).write({"state": "draft"})
        with self.assertRefused(UserError, "is completed"):
            assessment.with_user(self.inspector).action_done()
        self.assertEqual(assessment.state, "done")

    def test_completed_self_assessment_is_locked_with_its_indicators(self):
        assessment = self._completed()
        gaps, lines = assessment.gap_count, assessment.line_ids
        for vals in ({"date_from": date(2021, 1, 1)}, {"kind": "reevaluation"}):
            with self.assertRefused(
                UserError, "is Completed: .* can no longer be changed. A member of"
            ):
                assessment.with_user(self.inspector).write(vals)
        line = lines.filtered("is_gap")[0]
        Line = self.env["service.self.assessment.line"]
        message = "is completed and can no longer change; a member of .* can reopen it"
        with self.assertRefused(UserError, message):
            line.with_user(self.inspector).write({"comment": "Better now"})
        with self.assertRefused(UserError, message):
            lines.filtered("is_gap").with_user(self.inspector).unlink()
        with self.assertRefused(UserError, message):
            lines[:1].sudo().unlink()
        with self.assertRefused(UserError, message):
            Line.with_user(self.inspector).create(
                {
                    "assessment_id": assessment.id,
                    "clause_id": self.env.ref("service_audit.clause_gb_1").id,
                }
            )
        with self.assertRefused(UserError, message):
            self._assessment().line_ids[:1].with_user(self.inspector).write(
                {"assessment_id": assessment.id}
            )
        with self.assertRefused(UserError, "cannot be deleted"):
            assessment.with_user(self.manager).unlink()
        self.env.invalidate_all()
        self.assertEqual(assessment.line_ids, lines)
        self.assertEqual(assessment.gap_count, gaps)
        self.assertEqual(assessment.date_from, date(2022, 1, 1))
        self.assertEqual(assessment.kind, "initial")
        self.assertEvidenceLocked(
            assessment, (self.inspector_2, self.manager, self.technician), self.inspector
        )

    def test_completed_self_assessment_reopened_by_a_manager(self):
        assessment = self._completed()
        with self.assertRefused(AccessError, "only a member of .* can reopen it"):
            assessment.with_user(self.inspector)._workflow_reopen("Wrong period")
        with self.assertRefused(UserError, "give the reason"):
            assessment.with_user(self.manager)._workflow_reopen(" ")
        self.assertEqual(assessment.state, "done")
        action = assessment.with_user(self.manager).action_open_reopen_wizard()
        wizard = Form(
            self.env[action["res_model"]].with_user(self.manager).with_context(action["context"])
        )
        wizard.reason = "The evidence period was the wrong year."
        wizard.save().action_confirm()
        self.assertEqual(assessment.state, "draft")
        self.assertFalse(assessment.next_surveillance_date)
        self.assertFalse(assessment.activity_ids, "completion schedules them again")
        self.assertIn("The evidence period was the wrong year.", assessment.message_ids[0].body)
        # corrected and completed again
        assessment.with_user(self.inspector).date_from = date(2022, 2, 1)
        with freeze_time("2023-02-01"):
            assessment.with_user(self.inspector).action_done()
        self.assertEqual(assessment.state, "done")
        self.assertEqual(len(assessment.activity_ids), 2)

    # ------------------------------------------------------------------
    # Management reviews
    # ------------------------------------------------------------------
    def _review(self, **vals):
        values = {
            "date": date(2022, 7, 10),
            "date_from": date(2022, 1, 1),
            "date_to": date(2022, 6, 30),
            "attendee_ids": [(6, 0, (self.inspector | self.inspector_2).ids)],
        }
        values.update(vals)
        return self.env["service.management.review"].with_user(self.manager).create(values)

    def _closed_review(self):
        review = self._review(decisions="<p>Second calibration supplier.</p>")
        review.action_hold()
        review.action_close()
        return review

    def test_review_state_only_through_its_actions(self):
        review = self._review()
        for state in ("closed", "held"):
            with self.assertRefused(
                UserError, "cannot be edited directly; use the Mark Held and Close"
            ):
                review.with_user(self.manager).write({"state": state})
        with self.assertRefused(UserError, "cannot be edited directly"):
            self._review(state="closed", decisions="<p>x</p>")
        self.assertEqual(review.state, "draft")
        with self.assertRefused(UserError, "record the decisions"):
            review.with_user(self.manager).write({"decisions": "<p><br></p>"})
            review.action_hold()
        review.decisions = "<p>Shorter appointment windows.</p>"
        review.action_hold()
        self.assertEqual(review.state, "held")
        with self.assertRefused(ValidationError, "was held: its decisions cannot be removed"):
            review.decisions = False
        self.assertIn("Shorter appointment windows.", review.decisions)
        review.action_close()
        self.assertEqual(review.state, "closed")

    def test_closed_review_is_locked_and_reopened_by_a_manager(self):
        review = self._closed_review()
        with self.assertRefused(UserError, "is Closed: Decisions are part of its record"):
            review.with_user(self.manager).write({"decisions": "<p>Something else</p>"})
        self.assertEqual(review.decisions, "<p>Second calibration supplier.</p>")
        self.assertEvidenceLocked(review, (self.inspector, self.manager_2), self.manager)
        with self.assertRefused(AccessError, "only a member of"):
            review.with_user(self.inspector)._workflow_reopen("Forgot an action")
        review.with_user(self.manager_2)._workflow_reopen("An action was forgotten.")
        self.assertEqual(review.state, "held")
        self.assertIn("An action was forgotten.", review.message_ids[0].body)
        self.env["service.corrective.action"].with_user(self.manager).create(
            {
                "name": "Train the new supplier",
                "management_review_id": review.id,
                "owner_id": self.inspector.id,
                "deadline": date(2022, 9, 30),
            }
        )
        with self.assertRefused(UserError, "not verified: Train the new supplier"):
            review.action_close()
        self.assertEqual(review.state, "held")

    def test_review_chaired_by_an_internal_user(self):
        count = self.env["service.management.review"].search_count([])
        with self.assertRefused(ValidationError, "Pat Portal is not an internal user"):
            self._review(chair_id=self.portal_user.id)
        self.assertEqual(self.env["service.management.review"].search_count([]), count)
        review = self._review(chair_id=self.manager_2.id)
        with self.assertRefused(ValidationError, "is not an internal user"):
            review.chair_id = self.portal_user
        self.assertEqual(review.chair_id, self.manager_2)
        self.assertEqual(
            self.env["service.management.review"]._fields["chair_id"].domain,
            "[('share', '=', False)]",
            "the form offers internal users only",
        )
