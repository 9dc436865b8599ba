import json

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError


class ServiceWorkflowReopen(models.TransientModel):
    """Reason asked before final records (a signed order, a verified action)
    go back into their workflow."""

    _name = "service.workflow.reopen"
    _description = "Reopen Final Records"

    res_model = fields.Char(string="Model", required=True)
    res_ids = fields.Char(string="Records", required=True)
    reason = fields.Text(required=True)

    @api.constrains("res_model")
    def _check_res_model(self):
        for wizard in self:
            if wizard.res_model not in self.env or not isinstance(
                self.env[wizard.res_model], self.env.registry["service.workflow.mixin"]
            ):
                raise ValidationError(
                    _("%(model)s has no workflow to reopen.", model=wizard.res_model)
                )

    def _records(self):
        self.ensure_one()
        try:
            ids = json.loads(self.res_ids)
        except ValueError:
            ids = None
        if not isinstance(ids, list) or not all(isinstance(i, int) for i in ids):
            raise UserError(_("No record to reopen."))
        return self.env[self.res_model].browse(ids).exists()

    def action_confirm(self):
        records = self._records()
        if not records:
            raise UserError(_("No record to reopen."))
        records._workflow_reopen(self.reason)
        return {"type": "ir.actions.act_window_close"}
