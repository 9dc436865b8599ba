from datetime import datetime

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import TrainingCommon


@tagged("post_install", "-at_install")
class TestPlanAndFile(TrainingCommon):
    def test_plan_approval_revision_and_sessions(self):
        induction = self.env.ref("service_training.course_induction")
        form = Form(self.env["training.plan"].with_user(self.officer))
        form.name = "2030 Field Service Training Plan"
        form.year = 2030
        form.department_id = self.department
        form.needs_analysis = "<p>Complaints about inverter units; three new hires.</p>"
        with form.line_ids.new() as line:
            line.course_id = induction
            line.date_start = datetime(2030, 2, 4, 1, 0)
            line.date_end = datetime(2030, 2, 15, 9, 0)
            line.budget = 12000
            line.participants = 3
        with form.line_ids.new() as line:
            line.course_id = self.course
            line.date_start = datetime(2030, 5, 6, 1, 0)
            line.date_end = datetime(2030, 5, 8, 9, 0)
            line.budget = 4500
        plan = form.save()
        self.assertEqual(plan.budget_total, 16500)
        with self.assertRaisesRegex(UserError, "it must be Submitted first"):
            plan.action_approve()
        plan.action_submit()
        with self.assertRaisesRegex(UserError, "approved"):
            plan.action_create_sessions()
        with self.assertRaisesRegex(UserError, "another training officer"):
            plan.action_approve()
        officer_2 = new_test_user(
            self.env, "st_officer_2", groups="service_training.group_training_officer"
        )
        plan.with_user(officer_2).action_approve()
        self.assertEqual(plan.approved_by_id, officer_2)
        self.assertEqual(plan.submitted_by_id, self.officer)
        plan.action_create_sessions()
        self.assertEqual(plan.line_ids.session_id.course_id, induction | self.course)
        plan.action_create_sessions()  # idempotent
        self.assertEqual(
            len(self.env["training.session"].search([("plan_line_id", "in", plan.line_ids.ids)])), 2
        )
        action = plan.action_revise("q2")
        revision = self.env["training.plan"].browse(action["res_id"])
        self.assertEqual(revision.revision_of_id, plan)
        self.assertEqual(revision.quarter, "q2")
        self.assertEqual(revision.state, "draft")
        self.assertEqual(len(revision.line_ids), 2)
        self.assertFalse(revision.line_ids.session_id)

    def test_plan_line_dates(self):
        plan = self.env["training.plan"].create({"name": "P", "year": 2030})
        with (
            self.assertRaisesRegex(ValidationError, "must end after it starts"),
            self.env.cr.savepoint(),
        ):
            self.env["training.plan.line"].create(
                {
                    "plan_id": plan.id,
                    "course_id": self.course.id,
                    "date_start": datetime(2030, 2, 4),
                    "date_end": datetime(2030, 2, 3),
                }
            )
        with self.assertRaisesRegex(UserError, "no planned course"):
            plan.action_submit()

    def test_standard_programmes_shipped(self):
        induction = self.env.ref("service_training.course_induction")
        in_service = self.env.ref("service_training.course_in_service")
        self.assertEqual((induction.programme, induction.duration_days), ("induction", 10))
        self.assertEqual((in_service.programme, in_service.sessions_per_year), ("in_service", 2))

    def test_employee_file_and_pdf(self):
        session = self._session(start=datetime(2030, 3, 2, 1, 0), end=datetime(2030, 3, 4, 9, 0))
        self.env["training.attendance"].create(
            {
                "session_id": session.id,
                "employee_id": self.tech.id,
                "theory_score": 80,
                "practical_score": 80,
            }
        )
        session.action_done()
        employee = self.tech.with_user(self.officer)
        self.assertEqual(employee.training_hours, 24)
        self.assertEqual(employee.training_certification_count, 1)
        self.assertEqual(employee.training_attendance_count, 1)
        action = employee.action_view_training_certifications()
        self.assertEqual(
            self.env["training.certification"].search(action["domain"]),
            self.tech.training_certification_ids,
        )
        html, _format = (
            self.env["ir.actions.report"]
            .with_user(self.officer)
            ._render_qweb_html("service_training.action_report_training_file", self.tech.ids)
        )
        html = html.decode()
        self.assertIn("Training File", html)
        self.assertIn(self.tech.training_certification_ids.number, html)
        self.assertIn("Refrigerant handling (test)", html)
        self.assertEqual(
            employee.action_print_training_file()["report_name"],
            "service_training.report_training_file",
        )
