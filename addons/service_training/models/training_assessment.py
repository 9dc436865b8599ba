from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.service_quality.models.service_workflow_mixin import retention_destroying

SCORE_FIELDS = ("technical_score", "attitude_score", "safety_score")
# The service KPIs of the period, as they stood when the assessment was signed.
KPI_FIELDS = (
    "kpi_orders",
    "kpi_sla_met_rate",
    "kpi_feedback_avg",
    "kpi_feedback_count",
    "kpi_complaints",
    "kpi_score",
)


class TrainingAssessment(models.Model):
    _name = "training.assessment"
    _description = "Periodic Technician Assessment"
    _inherit = [
        "service.workflow.mixin",
        "service.cron.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "date_from desc, employee_id"
    _check_company_auto = True
    _workflow_fields = ("state", "reviewer_id", "signed_on")
    _workflow_moves = {"signed": ("draft",)}
    # A signed assessment is the record of the review; it goes back to
    # assessing only through a reopening with a reason.
    _workflow_final_states = ("signed",)
    _workflow_evidence_fields = (
        "employee_id",
        "period",
        "date_from",
        "date_to",
        *SCORE_FIELDS,
        *KPI_FIELDS,
        "training_need",
        "reviewer_id",
        "signed_on",
        "company_id",
    )
    _workflow_reopen_states = {"signed": "draft"}
    _workflow_reopen_group = "service_training.group_training_officer"

    name = fields.Char(compute="_compute_name", store=True)
    employee_id = fields.Many2one(
        "hr.employee", required=True, index=True, check_company=True, tracking=True
    )
    user_id = fields.Many2one("res.users", related="employee_id.user_id", store=True, index=True)
    department_id = fields.Many2one(
        "hr.department", related="employee_id.department_id", store=True, index=True
    )
    period = fields.Selection(
        [("monthly", "Monthly"), ("quarterly", "Quarterly"), ("annual", "Annual")],
        required=True,
        default="monthly",
        index=True,
    )
    date_from = fields.Date(required=True, index=True)
    date_to = fields.Date(required=True)
    technical_score = fields.Float()
    attitude_score = fields.Float()
    safety_score = fields.Float()
    overall_score = fields.Float(compute="_compute_overall_score", store=True)
    kpi_orders = fields.Integer(string="Orders", readonly=True)
    kpi_sla_met_rate = fields.Float(string="SLA Met %", readonly=True, digits=(16, 1))
    kpi_feedback_avg = fields.Float(string="Feedback Average", readonly=True, digits=(16, 2))
    kpi_feedback_count = fields.Integer(string="Feedback Count", readonly=True)
    kpi_complaints = fields.Integer(string="Complaints", readonly=True)
    kpi_score = fields.Float(
        string="Service Score",
        readonly=True,
        digits=(16, 1),
        help="0-100 score of the period's service KPIs (SLA met rate, first-time fix, "
        "feedback, complaints) as the KPI report computes it for each technician.",
    )
    training_need = fields.Text(help="Training needs found by this assessment (feeds the plan).")
    reviewer_id = fields.Many2one("res.users", tracking=True, readonly=True)
    signed_on = fields.Datetime(readonly=True)
    state = fields.Selection(
        [("draft", "To Assess"), ("signed", "Signed")],
        default="draft",
        required=True,
        index=True,
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    _sql_constraints = [
        (
            "employee_period_uniq",
            "unique(employee_id, period, date_from)",
            "One assessment per technician and period.",
        ),
    ]

    @api.depends("employee_id", "period", "date_from")
    def _compute_name(self):
        labels = dict(self._fields["period"]._description_selection(self.env))
        for assessment in self:
            assessment.name = "%s - %s %s" % (
                assessment.employee_id.name or "",
                labels.get(assessment.period, ""),
                assessment.date_from or "",
            )

    @api.depends(*SCORE_FIELDS)
    def _compute_overall_score(self):
        for assessment in self:
            assessment.overall_score = round(
                sum(assessment[f] for f in SCORE_FIELDS) / len(SCORE_FIELDS), 1
            )

    @api.constrains("date_from", "date_to", *SCORE_FIELDS)
    def _check_values(self):
        for assessment in self:
            if assessment.date_to < assessment.date_from:
                raise ValidationError(
                    _("Assessment %(name)s ends before it starts.", name=assessment.name)
                )
            for field_name in SCORE_FIELDS:
                if not 0 <= assessment[field_name] <= 100:
                    raise ValidationError(
                        _(
                            "Assessment %(name)s: scores must be between 0 and 100.",
                            name=assessment.name,
                        )
                    )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_signed(self):
        if retention_destroying(self.env):
            # destroyed by an approved retention request, with a register row
            # (the job runs as the superuser; the context key alone can come
            # from any caller)
            return
        signed = self.filtered(lambda assessment: assessment.state == "signed")
        if signed:
            raise UserError(
                _(
                    "Assessment %(name)s is signed: it is the record of the review and cannot "
                    "be deleted. A training officer can reopen it, giving a reason.",
                    name=signed[0].name,
                )
            )

    def action_sign(self):
        self._workflow_move(
            "signed", {"reviewer_id": self.env.uid, "signed_on": fields.Datetime.now()}
        )
        return True

    def action_refresh_kpis(self):
        self._fill_kpis()
        return True

    def _workflow_actions_hint(self, field_names):
        return _("the Sign Off and Reopen buttons")

    def _workflow_check_move(self, target):
        if target == "signed" and not self.env.user.has_group(
            "service_training.group_training_officer"
        ):
            raise AccessError(_("Only a training officer can sign assessments off."))
        for assessment in self:
            if target == "signed" and assessment.state != "draft":
                raise UserError(_("Assessment %(name)s is already signed.", name=assessment.name))
        super()._workflow_check_move(target)
        if target != "signed":
            return
        for assessment in self:
            if assessment.employee_id.user_id == self.env.user:
                raise UserError(
                    _("You cannot sign your own assessment %(name)s.", name=assessment.name)
                )
            if not all(assessment[f] for f in SCORE_FIELDS):
                raise UserError(
                    _(
                        "Assessment %(name)s needs technical, attitude and safety scores "
                        "before sign-off.",
                        name=assessment.name,
                    )
                )

    def _workflow_reopen_values(self, target):
        self.ensure_one()
        return {"reviewer_id": False, "signed_on": False}

    def _fill_kpis(self):
        """KPI snapshot and service score: one call of the KPI report's
        ``_get_technician_scores`` per period."""
        groups = {}
        for assessment in self:
            groups.setdefault((assessment.date_from, assessment.date_to), self.browse())
            groups[(assessment.date_from, assessment.date_to)] |= assessment
        for (date_from, date_to), assessments in groups.items():
            user_ids = assessments.user_id.ids
            kpis = self.env["service.kpi.report"]._get_technician_scores(
                user_ids, date_from, date_to + relativedelta(days=1)
            )
            for assessment in assessments.filtered("user_id"):
                kpi = kpis[assessment.user_id.id]
                score = kpi["score"]
                assessment.write(
                    {
                        "kpi_orders": kpi["orders"],
                        "kpi_sla_met_rate": kpi["sla_met_rate"] or 0.0,
                        "kpi_feedback_avg": kpi["feedback_avg"] or 0.0,
                        "kpi_feedback_count": kpi["feedback_count"],
                        "kpi_complaints": kpi["complaints"],
                        "kpi_score": score if score is not None else False,
                    }
                )

    @api.model
    def _last_complete_period(self, period, today):
        if period == "monthly":
            start = date(today.year, today.month, 1) - relativedelta(months=1)
            return start, start + relativedelta(months=1, days=-1)
        if period == "quarterly":
            quarter_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
            start = quarter_start - relativedelta(months=3)
            return start, quarter_start - relativedelta(days=1)
        start = date(today.year - 1, 1, 1)
        return start, date(today.year - 1, 12, 31)

    @api.model
    def _technician_employees(self):
        technician = self.env.ref("service_quality.group_service_user")
        dispatcher = self.env.ref("service_quality.group_service_dispatcher")
        return (
            self.env["hr.employee"]
            .sudo()
            .search(
                [
                    ("user_id.groups_id", "in", technician.id),
                    ("user_id.groups_id", "not in", dispatcher.id),
                ]
            )
        )

    @api.model
    def _cron_generate_assessments(self, batch_size=200):
        """Create the missing assessments of the last complete month,
        quarter and year for every technician, with their KPI snapshot: up
        to ``batch_size`` per call. Idempotent: the (employee, period, start)
        key is unique and checked."""
        today = fields.Date.context_today(self)
        employees = self._technician_employees()
        assessments = self.sudo()
        vals_list, remaining = [], 0
        for period in ("monthly", "quarterly", "annual"):
            date_from, date_to = self._last_complete_period(period, today)
            todo = (
                employees
                - assessments.search(
                    [
                        ("period", "=", period),
                        ("date_from", "=", date_from),
                        ("employee_id", "in", employees.ids),
                    ]
                ).employee_id
            )
            room = max(batch_size - len(vals_list), 0)
            vals_list += [
                {
                    "employee_id": employee.id,
                    "period": period,
                    "date_from": date_from,
                    "date_to": date_to,
                    "company_id": employee.company_id.id,
                }
                for employee in todo[:room]
            ]
            remaining += max(len(todo) - room, 0)
        assessments.create(vals_list)._fill_kpis()
        return self._cron_done(len(vals_list), remaining)
