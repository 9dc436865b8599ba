from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.service_quality.models.service_workflow_mixin import retention_destroying

from .training_session import EVALUATION_MILESTONES

# What an attendance records of the training: once its session is done they
# are part of the session's record (``training.session`` evidence).
EVIDENCE_FIELDS = (
    "session_id",
    "employee_id",
    "attendance",
    "theory_score",
    "practical_score",
    "theory_scored",
    "practical_scored",
    "retake_of_id",
    "survey_user_input_id",
)


class TrainingAttendance(models.Model):
    _name = "training.attendance"
    _description = "Training Attendance"
    _inherit = ["mail.thread"]
    _order = "session_date desc, id desc"
    _check_company_auto = True
    _rec_names_search = ["employee_id", "session_id"]

    session_id = fields.Many2one(
        "training.session", required=True, index=True, ondelete="cascade", check_company=True
    )
    course_id = fields.Many2one(
        "training.course", related="session_id.course_id", store=True, index=True
    )
    session_date = fields.Datetime(related="session_id.date_start", store=True, string="Date")
    session_state = fields.Selection(related="session_id.state", string="Session Status")
    employee_id = fields.Many2one(
        "hr.employee", required=True, index=True, check_company=True, tracking=True
    )
    user_id = fields.Many2one("res.users", related="employee_id.user_id", store=True, index=True)
    department_id = fields.Many2one(
        "hr.department", related="employee_id.department_id", store=True, index=True
    )
    attendance = fields.Selection(
        [("present", "Present"), ("absent", "Absent"), ("excused", "Excused")],
        default="present",
        required=True,
        tracking=True,
    )
    theory_score = fields.Float(tracking=True)
    practical_score = fields.Float(tracking=True)
    theory_scored = fields.Boolean(
        copy=False, help="Set once a theory score is entered or the exam is completed."
    )
    practical_scored = fields.Boolean(copy=False)
    result = fields.Selection(
        [("pending", "Pending"), ("passed", "Passed"), ("failed", "Failed")],
        compute="_compute_result",
        store=True,
        index=True,
        tracking=True,
    )
    hours = fields.Float(
        compute="_compute_hours",
        store=True,
        help="Training hours credited: the session's hours once the session is finished "
        "and the employee was present.",
    )
    retake_of_id = fields.Many2one(
        "training.attendance",
        string="Retake Of",
        index=True,
        domain="[('employee_id', '=', employee_id), ('result', '=', 'failed')]",
        help="The failed attempt this attendance retakes.",
    )
    retake_ids = fields.One2many("training.attendance", "retake_of_id", string="Retakes")
    survey_user_input_id = fields.Many2one(
        "survey.user_input", string="Exam Answer", index=True, copy=False, readonly=True
    )
    certification_id = fields.Many2one(
        "training.certification", string="Certificate", copy=False, readonly=True
    )
    note = fields.Text()
    company_id = fields.Many2one(
        "res.company", related="session_id.company_id", store=True, index=True
    )

    _sql_constraints = [
        (
            "employee_session_uniq",
            "unique(session_id, employee_id)",
            "An employee attends a session only once.",
        ),
        (
            "theory_score_range",
            "CHECK(theory_score >= 0 AND theory_score <= 100)",
            "Scores are between 0 and 100.",
        ),
        (
            "practical_score_range",
            "CHECK(practical_score >= 0 AND practical_score <= 100)",
            "Scores are between 0 and 100.",
        ),
    ]

    @api.depends("employee_id.name", "session_id.display_name")
    def _compute_display_name(self):
        for attendance in self:
            attendance.display_name = " · ".join(
                part
                for part in (attendance.employee_id.name, attendance.session_id.display_name)
                if part
            )

    @api.depends(
        "attendance",
        "theory_score",
        "practical_score",
        "theory_scored",
        "practical_scored",
        "course_id.theory_pass_mark",
        "course_id.practical_pass_mark",
    )
    def _compute_result(self):
        for att in self:
            course = att.course_id
            if att.attendance == "absent":
                att.result = "failed"
                continue
            if att.attendance == "excused":
                att.result = "pending"
                continue
            needs_theory = course.theory_pass_mark > 0
            needs_practical = course.practical_pass_mark > 0
            if (needs_theory and not att.theory_scored) or (
                needs_practical and not att.practical_scored
            ):
                att.result = "pending"
                continue
            passed = (not needs_theory or att.theory_score >= course.theory_pass_mark) and (
                not needs_practical or att.practical_score >= course.practical_pass_mark
            )
            att.result = "passed" if passed else "failed"

    @api.depends("attendance", "session_id.hours", "session_id.state")
    def _compute_hours(self):
        for att in self:
            credited = att.attendance == "present" and att.session_id.state == "done"
            att.hours = att.session_id.hours if credited else 0.0

    @api.constrains("theory_score", "practical_score")
    def _check_scores(self):
        for att in self:
            for score in (att.theory_score, att.practical_score):
                if not 0 <= score <= 100:
                    raise ValidationError(
                        _(
                            "%(employee)s in session %(session)s: scores must be between "
                            "0 and 100 (got %(score)s).",
                            employee=att.employee_id.name,
                            session=att.session_id.name,
                            score=score,
                        )
                    )

    @api.constrains("retake_of_id", "employee_id", "course_id")
    def _check_retake(self):
        for att in self.filtered("retake_of_id"):
            att._validate_retake(att.employee_id, att.course_id, att.retake_of_id, att.session_id)

    @api.model
    def _validate_retake(self, employee, course, previous, session):
        if previous and (
            previous.employee_id != employee
            or previous.course_id != course
            or previous.result != "failed"
            or previous.session_id == session
        ):
            raise ValidationError(
                _(
                    "%(employee)s in session %(session)s: a retake must link to a failed "
                    "attempt of the same employee at the same course.",
                    employee=employee.name,
                    session=session.name,
                )
            )

    def _check_retake_values(self, vals):
        """Validate a retake link before anything is written."""
        if not vals.get("retake_of_id"):
            return
        previous = self.browse(vals["retake_of_id"])
        Session = self.env["training.session"]
        Employee = self.env["hr.employee"]
        for att in self or [self.browse()]:
            session = (
                Session.browse(vals["session_id"]) if vals.get("session_id") else att.session_id
            )
            employee = (
                Employee.browse(vals["employee_id"]) if vals.get("employee_id") else att.employee_id
            )
            self._validate_retake(employee, session.course_id, previous, session)

    @api.model
    def _mark_scored(self, vals):
        if "theory_score" in vals and "theory_scored" not in vals:
            vals["theory_scored"] = True
        if "practical_score" in vals and "practical_scored" not in vals:
            vals["practical_scored"] = True
        return vals

    @api.model
    def _check_score_values(self, vals):
        """Refuse out-of-range scores before anything is written."""
        for key in ("theory_score", "practical_score"):
            if key in vals and vals[key] is not False and not 0 <= vals[key] <= 100:
                raise ValidationError(
                    _("Scores must be between 0 and 100 (got %(score)s).", score=vals[key])
                )

    @api.model_create_multi
    def create(self, vals_list):
        # a done session's attendee list is part of its record
        self.env["training.session"].browse(
            {vals["session_id"] for vals in vals_list if vals.get("session_id")}
        )._check_evidence_write({"attendance_ids": True})
        for vals in vals_list:
            self._check_score_values(vals)
            self.browse()._check_retake_values(vals)
            self._mark_scored(vals)
        return super().create(vals_list)

    def write(self, vals):
        if set(vals) & set(EVIDENCE_FIELDS):
            # the attendances of a done session, and a done session they
            # would move to, are part of that session's record
            sessions = self.session_id
            if vals.get("session_id"):
                sessions |= sessions.browse(vals["session_id"])
            sessions._check_evidence_write({"attendance_ids": True})
        self._check_score_values(vals)
        self._check_retake_values(vals)
        vals = self._mark_scored(dict(vals))
        if {"theory_score", "practical_score", "attendance"} & set(vals):
            closed = self.filtered(lambda a: a.session_id.state in ("done", "cancelled"))
            if closed:
                raise UserError(
                    _(
                        "Session %(session)s is closed: the results of %(employee)s cannot "
                        "change.",
                        session=closed[0].session_id.name,
                        employee=closed[0].employee_id.name,
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done_session(self):
        if retention_destroying(self.env):
            # destroyed by an approved retention request, with a register row
            # (the job runs as the superuser; the context key alone can come
            # from any caller)
            return
        self.session_id._check_evidence_write({"attendance_ids": True})

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_start_exam(self):
        """Open the theory exam (certification survey) for the attendee."""
        self.ensure_one()
        survey = self.course_id.survey_id
        if not survey:
            raise UserError(_("Course %(course)s has no theory exam.", course=self.course_id.name))
        if self.session_id.state != "in_progress":
            raise UserError(
                _("Session %(session)s is not in progress.", session=self.session_id.name)
            )
        partner = self.employee_id.user_id.partner_id or self.employee_id.work_contact_id
        if not self.survey_user_input_id or self.survey_user_input_id.state == "done":
            # sudo: the attendee starts their own exam; the answer is tied to them.
            answer = survey.sudo()._create_answer(partner=partner, check_attempts=False)
            self.sudo().survey_user_input_id = answer
        return {
            "type": "ir.actions.act_url",
            "target": "self",
            "url": self.survey_user_input_id.sudo().get_start_url(),
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _issue_certifications(self):
        """Issue or renew the certificate of each passed attendance."""
        to_issue = self.filtered(
            lambda a: a.result == "passed" and a.course_id.certification_type_id
        )
        if not to_issue:
            return self.env["training.certification"]
        certs = self.env["training.certification"].sudo()
        existing = certs.search(
            [
                ("employee_id", "in", to_issue.employee_id.ids),
                ("type_id", "in", to_issue.course_id.certification_type_id.ids),
            ],
            order="expiry_date desc, id desc",
        )
        by_key = {}
        for cert in existing:
            by_key.setdefault((cert.employee_id.id, cert.type_id.id), cert)
        result = certs.browse()
        create_vals = []
        for att in to_issue:
            cert_type = att.course_id.certification_type_id
            issue_date = fields.Date.context_today(self, att.session_id.date_end)
            cert = by_key.get((att.employee_id.id, cert_type.id))
            if cert:
                cert._renew(issue_date, att)
                att.certification_id = cert
                result |= cert
            else:
                create_vals.append(
                    {
                        "employee_id": att.employee_id.id,
                        "type_id": cert_type.id,
                        "issue_date": issue_date,
                        "expiry_date": issue_date + relativedelta(months=cert_type.validity_months)
                        if cert_type.validity_months
                        else False,
                        "source_attendance_id": att.id,
                        "company_id": att.company_id.id,
                    }
                )
        new_certs = certs.create(create_vals)
        for cert in new_certs:
            cert.source_attendance_id.certification_id = cert
        return result | new_certs

    def _create_evaluations(self):
        """Effectiveness reviews at session end and 3, 6 and 12 months."""
        evaluations = self.env["training.evaluation"].sudo()
        vals_list = []
        sessions = defaultdict(lambda: self.browse())
        for att in self:
            sessions[att.session_id] |= att
        for session, atts in sessions.items():
            end = fields.Date.context_today(self, session.date_end)
            for milestone, months in EVALUATION_MILESTONES:
                for att in atts:
                    vals_list.append(
                        {
                            "attendance_id": att.id,
                            "milestone": milestone,
                            "review_date": end + relativedelta(months=months),
                        }
                    )
        created = evaluations.create(vals_list)
        created._fill_kpis_before()
        return created

    def _retention_dependents(self):
        """Records retention (service_quality): an attendance's file includes
        its effectiveness reviews, destroyed with it, a register row each."""
        reviews = self.env["training.evaluation"].search([("attendance_id", "in", self.ids)])
        return [(reviews, "attendance_id")]
