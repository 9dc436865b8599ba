from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ServiceCorrectiveAction(models.Model):
    """Corrective actions also come from missed objectives, self-assessment
    gaps and management reviews; they are followed up (reminders,
    effectiveness check) like any other."""

    _inherit = "service.corrective.action"

    objective_id = fields.Many2one(
        "service.objective", index=True, ondelete="cascade", check_company=True
    )
    self_assessment_id = fields.Many2one(
        "service.self.assessment", index=True, ondelete="cascade", check_company=True
    )
    self_assessment_line_id = fields.Many2one(
        "service.self.assessment.line", string="Indicator", index=True, ondelete="set null"
    )
    management_review_id = fields.Many2one(
        "service.management.review", index=True, ondelete="cascade", check_company=True
    )

    @api.constrains(
        "name", "complaint_id", "inspection_id", "drill_id", "objective_id",
        "self_assessment_id", "management_review_id",
    )  # fmt: skip
    def _check_origin(self):
        for action in self:
            if not (
                action.complaint_id
                or action.inspection_id
                or action.drill_id
                or action.objective_id
                or action.self_assessment_id
                or action.management_review_id
            ):
                raise ValidationError(
                    _(
                        "Corrective action %(name)s must belong to a complaint, an inspection or "
                        "an emergency drill (or to an objective, a self-assessment or a management "
                        "review).",
                        name=action.name,
                    )
                )
