from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .service_objective import KPI_HIGHER_IS_BETTER

# An indicator scoring below this share of its maximum is a gap.
GAP_RATIO = 0.8
CORRECTIVE_ACTION_DAYS = 60


class ServiceSelfAssessmentLine(models.Model):
    """An indicator of a self-assessment: scored from the live figures of the
    period (the score is measured, never typed) or by the assessor's
    judgement. The indicators of a completed self-assessment no longer
    change: they are added, edited and removed only while it is in
    progress."""

    _name = "service.self.assessment.line"
    _inherit = ["service.workflow.mixin"]
    _description = "Self-Assessment Indicator"
    _order = "assessment_id, sequence, id"
    # measured or computed, never typed: the figures of the period and the
    # score, with what they are read from (the clause's maximum and order,
    # the assessment's company)
    _workflow_fields = (
        "evidence_value",
        "has_evidence_value",
        "evidence_score",
        "score",
        "is_gap",
        "max_score",
        "sequence",
        "company_id",
    )

    assessment_id = fields.Many2one(
        "service.self.assessment", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="assessment_id.company_id", store=True, index=True)
    clause_id = fields.Many2one(
        "service.standard.clause", string="Indicator", required=True, ondelete="restrict"
    )
    sequence = fields.Integer(related="clause_id.sequence", store=True)
    max_score = fields.Float(related="clause_id.max_score", store=True)
    method = fields.Selection(
        [("evidence", "Live Evidence"), ("judgement", "Assessor's Judgement")],
        compute="_compute_method",
        store=True,
        readonly=False,
        required=True,
        precompute=True,
    )
    evidence_value = fields.Float(string="KPI Value", digits=(16, 2), readonly=True)
    has_evidence_value = fields.Boolean(readonly=True)
    evidence_score = fields.Float(digits=(16, 1), readonly=True)
    judgement_score = fields.Float(string="Assessor's Score", digits=(16, 1))
    score = fields.Float(compute="_compute_score", store=True, digits=(16, 1))
    is_gap = fields.Boolean(compute="_compute_score", store=True)
    comment = fields.Text()
    attachment_ids = fields.Many2many("ir.attachment", string="Attachments")
    corrective_action_ids = fields.One2many(
        "service.corrective.action", "self_assessment_line_id", string="Corrective Actions"
    )

    @api.depends("assessment_id.name", "clause_id")
    def _compute_display_name(self):
        for line in self:
            line.display_name = " · ".join(
                filter(None, [line.assessment_id.name, line.clause_id.display_name])
            )

    @api.depends("clause_id.kpi")
    def _compute_method(self):
        for line in self:
            line.method = "evidence" if line.clause_id.kpi else "judgement"

    @api.depends("method", "evidence_score", "judgement_score", "max_score")
    def _compute_score(self):
        for line in self:
            line.score = line.evidence_score if line.method == "evidence" else line.judgement_score
            line.is_gap = line.score < GAP_RATIO * line.max_score - 1e-6

    @api.constrains("judgement_score", "max_score")
    def _check_judgement_score(self):
        for line in self:
            if not 0 <= line.judgement_score <= line.max_score:
                raise ValidationError(
                    _(
                        "Indicator %(indicator)s: the score is between 0 and %(max)s.",
                        indicator=line.clause_id.display_name,
                        max=line.max_score,
                    )
                )

    @api.constrains("method", "clause_id")
    def _check_method(self):
        for line in self:
            if line.method == "evidence" and not line.clause_id.kpi:
                raise ValidationError(
                    _(
                        "Indicator %(indicator)s has no KPI to score it from: it is scored "
                        "by the assessor's judgement.",
                        indicator=line.clause_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        self.env["service.self.assessment"].browse(
            {vals["assessment_id"] for vals in vals_list if vals.get("assessment_id")}
        )._check_lines_open()
        return super().create(vals_list)

    def write(self, vals):
        assessments = self.assessment_id
        if vals.get("assessment_id"):
            assessments |= assessments.browse(vals["assessment_id"])
        assessments._check_lines_open()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_completed(self):
        self.assessment_id._check_lines_open()

    def _workflow_actions_hint(self, field_names):
        return _("the Score from Evidence button, or score the indicator by judgement")

    def _score_from_value(self, value):
        """Score of the indicator for the KPI ``value`` (``None``: nothing was
        measured, no point): proportional to the clause's full-score KPI."""
        self.ensure_one()
        clause = self.clause_id
        score = 0.0
        if value is not None and clause.kpi_target:
            if KPI_HIGHER_IS_BETTER[clause.kpi]:
                ratio = value / clause.kpi_target
            else:
                ratio = clause.kpi_target / value if value else 1.0
            score = round(clause.max_score * max(0.0, min(1.0, ratio)), 1)
        self._workflow_write(
            {
                "evidence_value": value or 0.0,
                "has_evidence_value": value is not None,
                "evidence_score": score,
            }
        )

    def _open_corrective_actions(self):
        Action = self.env["service.corrective.action"]
        deadline = fields.Date.context_today(self) + relativedelta(days=CORRECTIVE_ACTION_DAYS)
        return Action.create(
            [
                {
                    "name": _(
                        "Self-assessment gap: %(indicator)s (%(score)s of %(max)s)",
                        indicator=line.clause_id.display_name,
                        score=line.score,
                        max=line.max_score,
                    ),
                    "self_assessment_id": line.assessment_id.id,
                    "self_assessment_line_id": line.id,
                    "owner_id": line.assessment_id.assessor_id.id,
                    "deadline": deadline,
                    "company_id": line.company_id.id,
                }
                for line in self
                if not line.corrective_action_ids
            ]
        )
