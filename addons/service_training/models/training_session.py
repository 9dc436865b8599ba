from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

EVALUATION_MILESTONES = (("end", 0), ("3m", 3), ("6m", 6), ("12m", 12))


class TrainingSession(models.Model):
    _name = "training.session"
    _description = "Training Session"
    _inherit = ["service.workflow.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True
    _workflow_fields = ("state",)
    _workflow_moves = {
        "in_progress": ("planned",),
        "done": ("planned", "in_progress"),
        "cancelled": ("planned", "in_progress"),
        "planned": ("cancelled",),
    }
    # A finished session is the record of the training given.
    _workflow_final_states = ("done",)
    _workflow_evidence_fields = (
        "course_id",
        "date_start",
        "date_end",
        "trainer_id",
        "location",
        "hours",
        "attendance_ids",
        "company_id",
    )

    name = fields.Char(required=True, copy=False, default="New", readonly=True, index=True)
    course_id = fields.Many2one("training.course", required=True, index=True, tracking=True)
    category = fields.Selection(related="course_id.category", store=True)
    programme = fields.Selection(related="course_id.programme", store=True)
    date_start = fields.Datetime(required=True, tracking=True, index=True)
    date_end = fields.Datetime(required=True, tracking=True)
    trainer_id = fields.Many2one("res.partner", string="Trainer", tracking=True)
    location = fields.Char()
    hours = fields.Float(
        compute="_compute_hours", store=True, readonly=False, help="Hours credited to attendees."
    )
    state = fields.Selection(
        [
            ("planned", "Planned"),
            ("in_progress", "In Progress"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        default="planned",
        required=True,
        index=True,
        tracking=True,
        copy=False,
    )
    attendance_ids = fields.One2many("training.attendance", "session_id", string="Attendees")
    attendee_count = fields.Integer(compute="_compute_counts")
    passed_count = fields.Integer(compute="_compute_counts")
    plan_line_id = fields.Many2one("training.plan.line", index=True, copy=False)
    responsible_id = fields.Many2one(
        "res.users", default=lambda self: self.env.user, tracking=True, string="Organiser"
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    @api.depends("course_id")
    def _compute_hours(self):
        for session in self:
            session.hours = session.course_id.hours

    @api.depends("attendance_ids.result")
    def _compute_counts(self):
        for session in self:
            session.attendee_count = len(session.attendance_ids)
            session.passed_count = len(
                session.attendance_ids.filtered(lambda a: a.result == "passed")
            )

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for session in self:
            if session.date_end <= session.date_start:
                raise ValidationError(
                    _(
                        "Session %(name)s must end after it starts.",
                        name=session.name,
                    )
                )

    @api.constrains("state")
    def _check_done_results(self):
        """A done session has no result pending (excused attendees aside),
        however it got there."""
        for session in self.filtered(lambda s: s.state == "done"):
            pending = session._pending_attendances()
            if pending:
                raise ValidationError(
                    _(
                        "Session %(name)s cannot be finished: results are pending for "
                        "%(employees)s.",
                        name=session.name,
                        employees=", ".join(pending.employee_id.mapped("name")),
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "New") == "New":
                vals["name"] = self.env["ir.sequence"].next_by_code("training.session") or "New"
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        done = self.filtered(lambda session: session.state == "done")
        if done:
            raise UserError(
                _(
                    "Session %(name)s is done: it is the record of the training given and "
                    "cannot be deleted.",
                    name=done[0].name,
                )
            )

    def _pending_attendances(self):
        return self.attendance_ids.filtered(
            lambda a: a.result == "pending" and a.attendance != "excused"
        )

    def _workflow_actions_hint(self, field_names):
        return _("the Start, Finish, Cancel and Plan Again buttons")

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_start(self):
        return self._workflow_move("in_progress")

    def action_done(self):
        self._workflow_check_move("done")
        for session in self:
            pending = session._pending_attendances()
            if pending:
                raise UserError(
                    _(
                        "Session %(name)s cannot be finished: results are pending for "
                        "%(employees)s.",
                        name=session.name,
                        employees=", ".join(pending.employee_id.mapped("name")),
                    )
                )
        self._workflow_move("done")
        attendances = self.attendance_ids
        attendances.filtered(lambda a: a.result == "passed")._issue_certifications()
        attendances.filtered(lambda a: a.attendance == "present")._create_evaluations()
        return True

    def action_cancel(self):
        return self._workflow_move("cancelled")

    def action_reset(self):
        return self._workflow_move("planned")
