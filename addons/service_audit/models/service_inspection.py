from odoo import _, fields, models


class ServiceInspection(models.Model):
    _inherit = "service.inspection"

    reward_penalty_ids = fields.One2many("service.reward.penalty", "inspection_id")

    def action_done(self):
        result = super().action_done()
        self._propose_penalties()
        return result

    def _propose_penalties(self):
        """A failed inspection of an employee proposes a penalty (one per
        inspection)."""
        vals_list = [
            {
                "employee_id": inspection.employee_id.id,
                "kind": "penalty",
                "points": inspection.fail_count,
                "reason": _(
                    "Inspection %(name)s failed on %(count)s item(s).",
                    name=inspection.name,
                    count=inspection.fail_count,
                ),
                "source": "inspection",
                "inspection_id": inspection.id,
                "company_id": inspection.company_id.id,
            }
            for inspection in self
            if inspection.fail_count
            and inspection.employee_id
            and not inspection.reward_penalty_ids
        ]
        return self.env["service.reward.penalty"]._propose(vals_list)
