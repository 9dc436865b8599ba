from odoo import fields, models


class TrainingCertificationRevoke(models.TransientModel):
    _name = "training.certification.revoke"
    _description = "Revoke Certificate"

    certification_id = fields.Many2one("training.certification", required=True)
    reason = fields.Text(required=True)

    def action_revoke(self):
        self.ensure_one()
        self.certification_id.action_revoke(self.reason)
        return {"type": "ir.actions.act_window_close"}
