from odoo import api, fields, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    service_quote_line_id = fields.Many2one(
        "service.quote.line", string="Service Quote Line", index="btree_not_null", copy=False
    )

    @api.depends("order_id.service_order_id")
    def _compute_qty_delivered_method(self):
        super()._compute_qty_delivered_method()
        # the service order already moved the parts: delivered = done on site
        for line in self:
            if line.order_id.service_order_id:
                line.qty_delivered_method = "manual"

    def _action_launch_stock_rule(self, previous_product_uom_qty=False):
        # parts of a service order left the stock through the order's own moves
        lines = self.filtered(lambda line: not line.order_id.service_order_id)
        if lines != self:
            return lines._action_launch_stock_rule(
                previous_product_uom_qty=previous_product_uom_qty
            )
        return super()._action_launch_stock_rule(previous_product_uom_qty=previous_product_uom_qty)
