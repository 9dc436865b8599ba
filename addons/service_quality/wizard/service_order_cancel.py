from odoo import _, fields, models
from odoo.exceptions import UserError


class ServiceOrderCancel(models.TransientModel):
    _name = "service.order.cancel"
    _description = "Cancel Service Orders"

    order_ids = fields.Many2many("service.order", string="Orders", required=True)
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        if not (self.reason or "").strip():
            raise UserError(_("Give a reason to cancel the orders."))
        self.order_ids.action_cancel(reason=self.reason.strip())
        return {"type": "ir.actions.act_window_close"}
