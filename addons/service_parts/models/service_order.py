from odoo import _, api, fields, models
from odoo.exceptions import UserError

# Orders in these states hold their spare parts at the warehouse.
RESERVE_STATES = ("approved", "scheduled", "in_progress")


class ServiceOrder(models.Model):
    _inherit = "service.order"

    parts_group_id = fields.Many2one(
        "procurement.group",
        string="Parts Procurement Group",
        copy=False,
        readonly=True,
        help="Groups the transfers and replenishments of the order's spare parts.",
    )
    parts_picking_ids = fields.One2many(
        "stock.picking",
        "service_order_id",
        string="Parts Transfers",
        readonly=True,
        groups="stock.group_stock_user",
    )
    parts_picking_count = fields.Integer(
        compute="_compute_parts_picking_count", groups="stock.group_stock_user"
    )

    @api.depends("parts_picking_ids")
    def _compute_parts_picking_count(self):
        groups = self.env["stock.picking"]._read_group(
            [("service_order_id", "in", self.ids)], ["service_order_id"], ["__count"]
        )
        counts = {order.id: count for order, count in groups}
        for order in self:
            order.parts_picking_count = counts.get(order.id, 0)

    @api.depends(
        "part_ids.quantity",
        "part_ids.state",
        "part_ids.product_id",
        "part_ids.location_id",
        "part_ids.reservation_state",
    )
    def _compute_part_shortage(self):
        return super()._compute_part_shortage()

    @api.depends(
        "part_ids.quantity",
        "part_ids.state",
        "part_ids.product_id",
        "part_ids.location_id",
        "part_ids.reservation_state",
    )
    def _compute_parts_summary(self):
        return super()._compute_parts_summary()

    def write(self, vals):
        if vals.get("state") in RESERVE_STATES:
            # refused before anything is written
            self._parts_check_can_reserve(
                self.part_ids.filtered(lambda p: p.state == "draft" and p.product_id.is_storable)
            )
        if "user_id" in vals:
            # the parts go to the new technician's van
            self.part_ids._parts_release()
        result = super().write(vals)
        if {"state", "appointment_start", "user_id"} & set(vals):
            self._parts_sync_reservations(reschedule="appointment_start" in vals)
        return result

    def action_view_parts_pickings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("stock.action_picking_tree_all")
        action["domain"] = [("service_order_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    def _parts_sync_reservations(self, reschedule=False):
        """Keep the reservation transfers in step with the orders: reserve the
        parts of approved and scheduled orders, release those of orders that
        left these states, move the transfers to a new appointment."""
        reserving = self.filtered(lambda o: o.state in RESERVE_STATES)
        (self - reserving).part_ids._parts_release()
        if reschedule or reserving:
            reserving._parts_reschedule()
        reserving.part_ids._parts_reserve()

    def _parts_reschedule(self):
        # sudo: whoever reschedules the appointment moves the order's transfers with it
        pickings = (
            self.env["stock.picking"]
            .sudo()
            .search([("service_order_id", "in", self.ids), ("state", "not in", ("done", "cancel"))])
        )
        for order in self:
            mine = pickings.filtered(lambda p, o=order: p.service_order_id == o)
            date = order._parts_needed_at()
            if mine and mine[0].scheduled_date != date:
                mine.write({"scheduled_date": date})
                mine.move_ids.filtered(lambda m: m.state not in ("done", "cancel")).write(
                    {"date": date}
                )

    def _parts_needed_at(self):
        self.ensure_one()
        return self.appointment_start or fields.Datetime.now()

    def _parts_destination(self, vans):
        """Where the parts of the order go: the technician's van when he has
        one, else straight to the service consumption location."""
        self.ensure_one()
        return vans.get(self.user_id.id) or self.env.ref(
            "equipment_care.stock_location_service_consumption"
        )

    def _parts_check_can_reserve(self, parts):
        for part in parts:
            if not part.location_id.warehouse_id.service_parts_type_id:
                raise UserError(
                    _(
                        "Part %(part)s of %(order)s: its source location %(location)s "
                        "belongs to no warehouse with a service parts operation type.",
                        part=part.product_id.display_name,
                        order=part.service_order_id.name,
                        location=part.location_id.display_name,
                    )
                )
