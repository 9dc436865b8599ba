from odoo import _, fields, models


class ServiceWorkflowReopen(models.TransientModel):
    """Reason asked before final records (a signed order, a verified action)
    go back into their workflow."""

    _name = "service.workflow.reopen"
    _inherit = ["service.records.wizard.mixin"]
    _description = "Reopen Final Records"
    _records_wizard_requires = "service.workflow.mixin"

    reason = fields.Text(required=True)

    def _records_wizard_invalid_model_message(self):
        return _("%(model)s has no workflow to reopen.", model=self.res_model)

    def _records_wizard_empty_message(self):
        return _("No record to reopen.")

    def action_confirm(self):
        self._records_wizard_records()._workflow_reopen(self.reason)
        return {"type": "ir.actions.act_window_close"}
