from odoo import _, api, fields, models

from .service_objective import KPI_SELECTION


class ServiceStandardClause(models.Model):
    """A clause of a standard: the requirement, the controls of the product
    that enforce it and the evidence that proves it. Clauses marked as
    indicators carry a maximum score for the self-assessment."""

    _name = "service.standard.clause"
    _inherit = ["service.workflow.mixin"]
    _description = "Standard Clause"
    _order = "standard_id, sequence, code, id"
    _rec_names_search = ["code", "name"]
    # the coverage the evidence pack prints follows the controls and the
    # evidence of the clause; it is never typed
    _workflow_fields = ("control_count", "evidence_count", "coverage")

    standard_id = fields.Many2one("service.standard", required=True, index=True, ondelete="cascade")
    code = fields.Char(required=True)
    name = fields.Char(string="Title", required=True, translate=True)
    sequence = fields.Integer(default=10)
    requirement = fields.Text(translate=True)
    is_indicator = fields.Boolean(
        string="Assessment Indicator", help="Scored in the self-assessment of the standard."
    )
    max_score = fields.Float(digits=(16, 1))
    kpi = fields.Selection(
        KPI_SELECTION,
        string="Scored from KPI",
        help="The self-assessment scores the indicator from this KPI of the period.",
    )
    kpi_target = fields.Float(
        string="KPI for Full Score",
        digits=(16, 2),
        help="KPI value that earns the full score; below it (above it for KPIs where lower "
        "is better) the score is proportional.",
    )
    control_ids = fields.Many2many(
        "service.standard.control",
        "service_standard_clause_control_rel",
        "clause_id",
        "control_id",
        string="Controls",
    )
    evidence_ids = fields.One2many("service.standard.evidence", "clause_id", string="Evidence")
    control_count = fields.Integer(compute="_compute_coverage", store=True)
    evidence_count = fields.Integer(compute="_compute_coverage", store=True)
    coverage = fields.Selection(
        [
            ("covered", "Covered"),
            ("no_control", "No Control"),
            ("no_evidence", "No Evidence"),
            ("none", "No Control, No Evidence"),
        ],
        compute="_compute_coverage",
        store=True,
        index=True,
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_uniq", "UNIQUE (standard_id, code)", "A clause code is unique within its standard."),
    ]

    @api.depends("control_ids", "evidence_ids")
    def _compute_coverage(self):
        for clause in self:
            clause.control_count = len(clause.control_ids)
            clause.evidence_count = len(clause.evidence_ids)
            if clause.control_count and clause.evidence_count:
                clause.coverage = "covered"
            elif clause.evidence_count:
                clause.coverage = "no_control"
            elif clause.control_count:
                clause.coverage = "no_evidence"
            else:
                clause.coverage = "none"

    @api.depends("code", "name")
    def _compute_display_name(self):
        for clause in self:
            clause.display_name = f"{clause.code} {clause.name}" if clause.code else clause.name

    def _workflow_actions_hint(self, field_names):
        return _("the controls and the evidence of the clause")

    def _evidence_figures(self, company, date_from, date_to):
        """Per clause of ``self``: the figures of its evidence for the period
        (``service.standard.evidence._figures``)."""
        return {
            clause.id: [
                evidence._figures(company, date_from, date_to) for evidence in clause.evidence_ids
            ]
            for clause in self
        }
