import json

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError


class ServiceLegalHold(models.TransientModel):
    """Reason and case asked before records are put under legal hold."""

    _name = "service.legal.hold"
    _description = "Put Records under Legal Hold"

    res_model = fields.Char(string="Model", required=True)
    res_ids = fields.Char(string="Records", required=True)
    reason = fields.Selection(
        [("dispute", "Dispute"), ("claim", "Claim"), ("audit", "Audit"), ("other", "Other")],
        required=True,
        default="dispute",
    )
    note = fields.Char(string="Case", required=True, help="The dispute, claim or audit concerned.")

    @api.constrains("res_model")
    def _check_res_model(self):
        for wizard in self:
            if wizard.res_model not in self.env or not isinstance(
                self.env[wizard.res_model], self.env.registry["service.retention.mixin"]
            ):
                raise ValidationError(
                    _("%(model)s records cannot be put under legal hold.", model=wizard.res_model)
                )

    def action_confirm(self):
        self.ensure_one()
        try:
            ids = json.loads(self.res_ids)
        except ValueError:
            ids = None
        if not isinstance(ids, list) or not all(isinstance(i, int) for i in ids):
            raise UserError(_("No record to put under legal hold."))
        records = self.env[self.res_model].with_context(active_test=False).browse(ids).exists()
        if not records:
            raise UserError(_("No record to put under legal hold."))
        records._legal_hold_set(self.reason, self.note)
        return {"type": "ir.actions.act_window_close"}
