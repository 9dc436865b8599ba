from odoo import fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    service_order_id = fields.Many2one(
        "service.order",
        string="Service Order",
        index="btree_not_null",
        readonly=True,
        check_company=True,
        help="The service order whose spare parts this transfer holds (its backorders too).",
    )
    parts_inspection_ids = fields.One2many(
        "service.parts.inspection", "picking_id", string="Incoming Inspections"
    )
    parts_inspection_count = fields.Integer(compute="_compute_parts_inspection_count")

    def _compute_parts_inspection_count(self):
        groups = self.env["service.parts.inspection"]._read_group(
            [("picking_id", "in", self.ids)], ["picking_id"], ["__count"]
        )
        counts = {picking.id: count for picking, count in groups}
        for picking in self:
            picking.parts_inspection_count = counts.get(picking.id, 0)

    def _action_done(self):
        result = super()._action_done()
        self.filtered(lambda p: p.picking_type_code == "incoming")._create_parts_inspections()
        return result

    def _create_parts_inspections(self):
        """One incoming inspection per received move whose product category
        asks for one, with the category's checklist."""
        moves = self.move_ids.filtered(
            lambda m: m.state == "done"
            and m.quantity > 0
            and m.product_id.categ_id.incoming_inspection
            and m.location_dest_id.usage == "internal"
        )
        if not moves:
            return self.env["service.parts.inspection"]
        # sudo: whoever validates the receipt opens its inspections for the quality staff
        return (
            self.env["service.parts.inspection"]
            .sudo()
            .create([self.env["service.parts.inspection"]._prepare_from_move(m) for m in moves])
        )

    def action_view_parts_inspections(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "service_parts.service_parts_inspection_action"
        )
        action["domain"] = [("picking_id", "=", self.id)]
        return action
