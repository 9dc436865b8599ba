from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError


class TrainingPlan(models.Model):
    _name = "training.plan"
    _description = "Training Plan"
    _inherit = ["service.workflow.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "year desc, quarter, id desc"
    _check_company_auto = True
    _workflow_fields = ("state", "submitted_by_id", "approved_by_id", "approved_on")
    _workflow_moves = {
        "submitted": ("draft",),
        "approved": ("submitted",),
        "draft": ("submitted", "cancelled"),
        "cancelled": ("draft", "submitted"),
    }
    # An approved plan changes through a revision (``action_revise``), a copy.
    _workflow_final_states = ("approved",)
    _workflow_evidence_fields = (
        "name",
        "year",
        "quarter",
        "department_id",
        "needs_analysis",
        "line_ids",
        "submitted_by_id",
        "approved_by_id",
        "approved_on",
        "company_id",
    )

    name = fields.Char(required=True, tracking=True)
    year = fields.Integer(
        required=True, default=lambda self: fields.Date.context_today(self).year, index=True
    )
    quarter = fields.Selection(
        [("q1", "Q1"), ("q2", "Q2"), ("q3", "Q3"), ("q4", "Q4")],
        string="Quarterly Revision",
        help="Empty for the annual plan; set on its quarterly revisions.",
    )
    revision_of_id = fields.Many2one("training.plan", string="Revision Of", index=True, copy=False)
    department_id = fields.Many2one("hr.department", index=True, check_company=True)
    needs_analysis = fields.Html(
        help="Training needs found from assessments, complaints, new products."
    )
    line_ids = fields.One2many("training.plan.line", "plan_id", string="Planned Courses", copy=True)
    budget_total = fields.Monetary(compute="_compute_budget_total", store=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("approved", "Approved"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        index=True,
        tracking=True,
        copy=False,
    )
    submitted_by_id = fields.Many2one("res.users", readonly=True, copy=False, tracking=True)
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False, tracking=True)
    approved_on = fields.Date(readonly=True, copy=False)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    @api.depends("line_ids.budget")
    def _compute_budget_total(self):
        for plan in self:
            plan.budget_total = sum(plan.line_ids.mapped("budget"))

    @api.constrains("year")
    def _check_year(self):
        for plan in self:
            if not 2000 <= plan.year <= 2100:
                raise ValidationError(_("Plan %(name)s has an invalid year.", name=plan.name))

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved(self):
        approved = self.filtered(lambda plan: plan.state == "approved")
        if approved:
            raise UserError(
                _(
                    "Plan %(name)s is approved: it is part of the training records and cannot "
                    "be deleted. Revise it instead (Quarterly Revision).",
                    name=approved[0].name,
                )
            )

    def _workflow_actions_hint(self, field_names):
        return _("the Submit, Approve, Back to Draft and Cancel buttons")

    def action_submit(self):
        self._workflow_check_move("submitted")
        for plan in self:
            if not plan.line_ids:
                raise UserError(_("Plan %(name)s has no planned course.", name=plan.name))
        self._workflow_move("submitted", {"submitted_by_id": self.env.uid})
        return True

    def action_approve(self):
        self._workflow_check_move("approved")
        self._check_approver_not_requester(
            lambda plan: plan.submitted_by_id or plan.create_uid,
            _("Plan %(name)s was submitted by you: another training officer must approve it."),
        )
        self._workflow_move(
            "approved",
            {"approved_by_id": self.env.uid, "approved_on": fields.Date.context_today(self)},
        )
        return True

    def action_draft(self):
        return self._workflow_move("draft", {"approved_by_id": False, "approved_on": False})

    def action_cancel(self):
        return self._workflow_move("cancelled")

    def action_revise(self, quarter=None):
        """Copy an approved plan as a quarterly revision."""
        self.ensure_one()
        if self.state != "approved":
            raise UserError(_("Only an approved plan can be revised (%(name)s).", name=self.name))
        if not quarter:
            quarter = "q%s" % ((fields.Date.context_today(self).month - 1) // 3 + 1)
        revision = self.copy(
            {
                "name": _(
                    "%(name)s (%(quarter)s revision)", name=self.name, quarter=quarter.upper()
                ),
                "quarter": quarter,
                "revision_of_id": self.id,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "training.plan",
            "res_id": revision.id,
            "view_mode": "form",
        }

    def action_create_sessions(self):
        for plan in self:
            if plan.state != "approved":
                raise UserError(
                    _("Plan %(name)s must be approved before sessions are created.", name=plan.name)
                )
        lines = self.line_ids.filtered(lambda line: not line.session_id)
        sessions = self.env["training.session"].create(
            [
                {
                    "course_id": line.course_id.id,
                    "date_start": line.date_start,
                    "date_end": line.date_end,
                    "trainer_id": line.trainer_id.id,
                    "plan_line_id": line.id,
                    "company_id": line.plan_id.company_id.id,
                }
                for line in lines
            ]
        )
        for line, session in zip(lines, sessions, strict=False):
            line.session_id = session
        return True
