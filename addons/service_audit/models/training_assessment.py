from odoo import _, fields, models

REWARD_SCORE = 90.0


class TrainingAssessment(models.Model):
    _inherit = "training.assessment"

    reward_penalty_ids = fields.One2many("service.reward.penalty", "assessment_id")

    def action_sign(self):
        result = super().action_sign()
        self._propose_rewards()
        return result

    def _propose_rewards(self):
        """An excellent periodic assessment (overall score at or above the
        ``service_audit.reward_score`` parameter, 90 by default) proposes a
        reward."""
        threshold = float(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("service_audit.reward_score", REWARD_SCORE)
        )
        vals_list = [
            {
                "employee_id": assessment.employee_id.id,
                "kind": "reward",
                "points": round(assessment.overall_score / 10),
                "reason": _(
                    "Excellent periodic assessment %(name)s (score %(score)s).",
                    name=assessment.name,
                    score=round(assessment.overall_score, 1),
                ),
                "source": "assessment",
                "assessment_id": assessment.id,
                "company_id": assessment.company_id.id,
            }
            for assessment in self
            if assessment.overall_score >= threshold and not assessment.reward_penalty_ids
        ]
        return self.env["service.reward.penalty"]._propose(vals_list)
