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
    # what people read and search and group by: the model's name in their
    # language, not its technical name
    res_model_id = fields.Many2one(
        "ir.model",
        string="Document Type",
        compute="_compute_res_model_id",
        store=True,
        index=True,
        ondelete="set null",
    )
    res_model_name = fields.Char(
        string="Document Type Name",
        compute="_compute_res_model_name",
        search="_search_res_model_name",
    )
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

    @api.depends("res_model")
    def _compute_res_model_id(self):
        IrModel = self.env["ir.model"]
        for log in self:
            log.res_model_id = IrModel._get_id(log.res_model) if log.res_model else False

    @api.depends("res_model_id")
    @api.depends_context("lang")
    def _compute_res_model_name(self):
        for log in self:
            # sudo: the log's readers need not read ir.model to see a model's name
            log.res_model_name = log.res_model_id.sudo().name

    def _search_res_model_name(self, operator, value):
        # sudo: searched by name by the log's readers, who need not read ir.model
        model_ids = self.env["ir.model"].sudo()._search([("name", operator, value)])
        return [("res_model_id", "in", model_ids)]

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
