from odoo import _, api, fields, models
from odoo.exceptions import UserError


class ServiceAccessLog(models.Model):
    _name = "service.access.log"
    _description = "Archived Record Access Log"
    _order = "accessed_at desc, id desc"
    _rec_name = "res_name"

    user_id = fields.Many2one(
        "res.users", string="User", required=True, readonly=True, index=True, ondelete="restrict"
    )
    res_model = fields.Char(string="Model", required=True, readonly=True, index=True)
    res_id = fields.Integer(string="Record ID", required=True, readonly=True, index=True)
    res_name = fields.Char(string="Record", readonly=True)
    access_type = fields.Selection(
        [("open", "Opened"), ("print", "Printed"), ("export", "Exported")],
        required=True,
        readonly=True,
        index=True,
    )
    accessed_at = fields.Datetime(
        required=True, readonly=True, default=fields.Datetime.now, index=True
    )
    company_id = fields.Many2one(
        "res.company", readonly=True, index=True, default=lambda self: self.env.company
    )

    def write(self, vals):
        raise UserError(_("The access log cannot be changed."))

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(_("The access log cannot be deleted."))

    def action_open_record(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
            "context": {"active_test": False},
        }
