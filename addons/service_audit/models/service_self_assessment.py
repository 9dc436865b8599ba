from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

# Total score (out of 100) each star level of GB/T 27922 requires.
STAR_THRESHOLDS = [(90.0, "5"), (80.0, "4"), (70.0, "3"), (60.0, "2"), (50.0, "1")]
SURVEILLANCE_MONTHS = 12
REEVALUATION_MONTHS = 36
# What a completed self-assessment says: changed only by reopening it.
COMPLETED_RECORD = (
    "name",
    "standard_id",
    "kind",
    "date",
    "date_from",
    "date_to",
    "assessor_id",
    "company_id",
    "line_ids",
    "next_surveillance_date",
    "next_reevaluation_date",
)


class ServiceSelfAssessment(models.Model):
    """A self-assessment against the indicators of a standard (GB/T 27922):
    each indicator scored from the live figures of the period where the
    product has them, by the assessor's judgement (with a comment and
    attachments) where not; the total out of 100 and the star level it
    reaches. Completing it schedules the yearly surveillance and the
    three-yearly re-evaluation and turns the gaps into corrective actions."""

    _name = "service.self.assessment"
    _description = "Self-Assessment"
    _inherit = ["service.workflow.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True
    # the state and the dates completion sets; the score and the star level
    # are computed from the indicators, never typed
    _workflow_fields = (
        "state",
        "next_surveillance_date",
        "next_reevaluation_date",
        "total_score",
        "star_level",
        "gap_count",
    )
    _workflow_moves = {"done": ("draft",)}
    _workflow_final_states = ("done",)
    _workflow_evidence_fields = COMPLETED_RECORD
    _workflow_reopen_states = {"done": "draft"}

    name = fields.Char(required=True, readonly=True, copy=False, default=lambda self: _("New"))
    standard_id = fields.Many2one(
        "service.standard",
        required=True,
        default=lambda self: self.env.ref(
            "service_audit.standard_gbt_27922", raise_if_not_found=False
        ),
    )
    kind = fields.Selection(
        [
            ("initial", "Initial Evaluation"),
            ("surveillance", "Yearly Surveillance"),
            ("reevaluation", "Re-evaluation"),
        ],
        required=True,
        default="initial",
        tracking=True,
    )
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    date_from = fields.Date(string="Evidence From", required=True)
    date_to = fields.Date(string="Evidence To", required=True)
    assessor_id = fields.Many2one(
        "res.users", required=True, default=lambda self: self.env.user, check_company=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    state = fields.Selection(
        [("draft", "In Progress"), ("done", "Completed")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    line_ids = fields.One2many("service.self.assessment.line", "assessment_id", string="Indicators")
    total_score = fields.Float(compute="_compute_total", store=True, digits=(16, 1))
    star_level = fields.Selection(
        [
            ("0", "Not Rated"),
            ("1", "One Star"),
            ("2", "Two Stars"),
            ("3", "Three Stars"),
            ("4", "Four Stars"),
            ("5", "Five Stars"),
        ],
        compute="_compute_total",
        store=True,
    )
    gap_count = fields.Integer(compute="_compute_total", store=True)
    next_surveillance_date = fields.Date(readonly=True, copy=False)
    next_reevaluation_date = fields.Date(readonly=True, copy=False)
    corrective_action_ids = fields.One2many(
        "service.corrective.action", "self_assessment_id", string="Corrective Actions"
    )

    _sql_constraints = [
        (
            "period_check",
            "CHECK (date_from <= date_to)",
            "The evidence period ends after it starts.",
        ),
    ]

    @api.depends("line_ids.score", "line_ids.max_score")
    def _compute_total(self):
        for assessment in self:
            maximum = sum(assessment.line_ids.mapped("max_score"))
            total = 100.0 * sum(assessment.line_ids.mapped("score")) / maximum if maximum else 0.0
            assessment.total_score = total
            assessment.star_level = next(
                (level for threshold, level in STAR_THRESHOLDS if total >= threshold - 1e-6), "0"
            )
            assessment.gap_count = len(assessment.line_ids.filtered("is_gap"))

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", _("New")) == _("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code("service.self.assessment")
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        done = self.filtered(lambda assessment: assessment.state == "done")
        if done:
            raise UserError(
                _(
                    "Self-assessment %(name)s is completed: it is part of the certification "
                    "record and cannot be deleted.",
                    name=done[0].name,
                )
            )

    def action_load_indicators(self):
        """Add a line for every indicator of the standard not listed yet."""
        for assessment in self:
            assessment._check_draft()
            clauses = (
                assessment.standard_id.clause_ids.filtered("is_indicator")
                - assessment.line_ids.clause_id
            )
            self.env["service.self.assessment.line"].create(
                [{"assessment_id": assessment.id, "clause_id": clause.id} for clause in clauses]
            )
        self.action_score_from_evidence()
        return True

    def action_score_from_evidence(self):
        """Score the indicators that have a KPI from the figures of the period:
        one ``get_kpi_values`` query per assessment."""
        Report = self.env["service.kpi.report"].sudo()  # company figures, across record rules
        for assessment in self:
            assessment._check_draft()
            values = Report.get_kpi_values(
                [
                    ("company_id", "=", assessment.company_id.id),
                    ("date", ">=", assessment.date_from),
                    ("date", "<=", assessment.date_to),
                ]
            )
            Objective = self.env["service.objective"]
            for line in assessment.line_ids.filtered(lambda line: line.clause_id.kpi):
                line._score_from_value(
                    Objective._kpi_value(
                        line.clause_id.kpi,
                        assessment.company_id,
                        assessment.date_from,
                        assessment.date_to,
                        report_values=values,
                    )
                )
        return True

    def action_print(self):
        return self.env.ref("service_audit.action_report_self_assessment").report_action(self)

    def action_done(self):
        for assessment in self:
            assessment._check_draft()
            if not assessment.line_ids:
                raise UserError(
                    _(
                        "Self-assessment %(name)s has no indicator: load the indicators first.",
                        name=assessment.name,
                    )
                )
            unjustified = assessment.line_ids.filtered(
                lambda line: line.method == "judgement" and not line.comment
            )
            if unjustified:
                raise UserError(
                    _(
                        "Self-assessment %(name)s: indicators scored by judgement need a "
                        "comment: %(indicators)s.",
                        name=assessment.name,
                        indicators=", ".join(unjustified.clause_id.mapped("display_name")),
                    )
                )
        self._workflow_check_move("done")
        for assessment in self:
            next_surveillance = assessment.date + relativedelta(months=SURVEILLANCE_MONTHS)
            next_reevaluation = assessment.date + relativedelta(months=REEVALUATION_MONTHS)
            assessment._workflow_move(
                "done",
                {
                    "next_surveillance_date": next_surveillance,
                    "next_reevaluation_date": next_reevaluation,
                },
            )
            assessment.line_ids.filtered("is_gap")._open_corrective_actions()
            assessment.activity_schedule(
                "service_audit.mail_activity_type_surveillance",
                date_deadline=next_surveillance,
                summary=_("Yearly surveillance of %(name)s", name=assessment.standard_id.code),
                user_id=assessment.assessor_id.id,
            )
            assessment.activity_schedule(
                "service_audit.mail_activity_type_reevaluation",
                date_deadline=next_reevaluation,
                summary=_("Re-evaluation of %(name)s", name=assessment.standard_id.code),
                user_id=assessment.assessor_id.id,
            )
        return True

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------
    def _workflow_actions_hint(self, field_names):
        return _("the Complete button (a service manager reopens a completed self-assessment)")

    def _workflow_reopen_values(self, target):
        """Back in progress: the surveillance dates are set again on completion."""
        self.ensure_one()
        return {"next_surveillance_date": False, "next_reevaluation_date": False}

    def _workflow_reopen(self, reason):
        res = super()._workflow_reopen(reason)
        # completion schedules them again
        self.activity_unlink(
            [
                "service_audit.mail_activity_type_surveillance",
                "service_audit.mail_activity_type_reevaluation",
            ]
        )
        return res

    def _check_lines_open(self):
        """Refuse a change of the indicators of a completed self-assessment,
        whoever asks: it is reopened first."""
        done = self.filtered(lambda assessment: assessment.state == "done")
        if done:
            group = self.env.ref(self._workflow_reopen_group)
            raise UserError(
                _(
                    "Self-assessment %(name)s is completed and can no longer change; a "
                    "member of %(group)s can reopen it, giving a reason.",
                    name=", ".join(done.mapped("name")),
                    group=group.display_name,
                )
            )

    def _check_draft(self):
        self.ensure_one()
        if self.state != "draft":
            raise UserError(
                _("Self-assessment %(name)s is completed and can no longer change.", name=self.name)
            )
