from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    service_order_id = fields.Many2one(
        "service.order",
        string="Service Order",
        index="btree_not_null",
        copy=False,
        readonly=True,
        check_company=True,
    )

    def action_view_service_order(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "service.order",
            "res_id": self.service_order_id.id,
            "view_mode": "form",
        }
