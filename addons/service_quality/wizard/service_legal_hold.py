from odoo import _, fields, models


class ServiceLegalHold(models.TransientModel):
    """Reason and case asked before records are put under legal hold."""

    _name = "service.legal.hold"
    _inherit = ["service.records.wizard.mixin"]
    _description = "Put Records under Legal Hold"
    _records_wizard_requires = "service.retention.mixin"

    reason = fields.Selection(
        [("dispute", "Dispute"), ("claim", "Claim"), ("audit", "Audit"), ("other", "Other")],
        required=True,
        default="dispute",
    )
    note = fields.Char(string="Case", required=True, help="The dispute, claim or audit concerned.")

    def _records_wizard_invalid_model_message(self):
        return _("%(model)s records cannot be put under legal hold.", model=self.res_model)

    def _records_wizard_empty_message(self):
        return _("No record to put under legal hold.")

    def action_confirm(self):
        records = self._records_wizard_records().with_context(active_test=False)
        records._legal_hold_set(self.reason, self.note)
        return {"type": "ir.actions.act_window_close"}
