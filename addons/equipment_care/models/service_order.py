from odoo import _, api, fields, models
from odoo.exceptions import UserError


class ServiceOrder(models.Model):
    _inherit = "service.order"

    checkout_ids = fields.One2many(
        "equipment.checkout", "service_order_id", string="Tool Check-outs"
    )
    checkout_count = fields.Integer(compute="_compute_checkout_count")
    tools_out_count = fields.Integer(compute="_compute_checkout_count", string="Tools Still Out")
    part_ids = fields.One2many("service.order.part", "service_order_id", string="Spare Parts")
    part_shortage = fields.Boolean(compute="_compute_part_shortage", string="Parts Shortage")
    planned_tool_ids = fields.Many2many(
        "maintenance.equipment",
        "service_order_planned_tool_rel",
        "order_id",
        "equipment_id",
        string="Tools to Take",
        domain="[('is_tool', '=', True)]",
        check_company=True,
        help="Tools and instruments the plan calls for: the technician checks them out "
        "before leaving for the appointment.",
    )
    parts_summary = fields.Char(
        compute="_compute_parts_summary",
        string="Parts to Take",
        help="Spare parts of the order with where each stands (in stock, short, used).",
    )

    @api.depends("checkout_ids.state")
    def _compute_checkout_count(self):
        groups = self.env["equipment.checkout"]._read_group(
            [("service_order_id", "in", self.ids)], ["service_order_id", "state"], ["__count"]
        )
        total, out = {}, {}
        for order, state, count in groups:
            total[order.id] = total.get(order.id, 0) + count
            if state == "out":
                out[order.id] = count
        for order in self:
            order.checkout_count = total.get(order.id, 0)
            order.tools_out_count = out.get(order.id, 0)

    @api.depends(
        "part_ids.quantity", "part_ids.state", "part_ids.product_id", "part_ids.location_id"
    )
    def _compute_part_shortage(self):
        for order in self:
            order.part_shortage = any(order.part_ids.mapped("shortage"))

    @api.depends(
        "part_ids.quantity", "part_ids.state", "part_ids.product_id", "part_ids.location_id"
    )
    def _compute_parts_summary(self):
        for order in self:
            order.parts_summary = " · ".join(part._agenda_label() for part in order.part_ids)

    def _retention_dependents(self):
        """An order's file includes its spare part lines. Their stock moves
        stay: the stock ledger is not part of the order's file (a move names
        the order in its reference and origin, not the line)."""
        parts = self.env["service.order.part"].search([("service_order_id", "in", self.ids)])
        return [*super()._retention_dependents(), (parts, "service_order_id")]

    def _check_transition(self, new_state):
        super()._check_transition(new_state)
        if new_state == "done":
            # sudo: the rule holds whoever accepts the order, even without tool room rights
            open_checkouts = (
                self.env["equipment.checkout"]
                .sudo()
                .search([("service_order_id", "in", self.ids), ("state", "=", "out")])
            )
            for order in self:
                still_out = open_checkouts.filtered(lambda c, o=order: c.service_order_id == o)
                if still_out:
                    raise UserError(
                        _(
                            "Order %(name)s cannot be done: tools still checked out: %(tools)s.",
                            name=order.name,
                            tools=", ".join(still_out.equipment_id.mapped("display_name")),
                        )
                    )

    def action_view_checkouts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "equipment_care.equipment_checkout_action"
        )
        action["domain"] = [("service_order_id", "=", self.id)]
        action["context"] = {"default_service_order_id": self.id, "search_default_filter_out": 0}
        return action

    def action_consume_parts(self):
        parts = self.part_ids.filtered(lambda p: p.state == "draft")
        if not parts:
            raise UserError(
                _(
                    "Order %(name)s has no spare parts left to consume.",
                    name=", ".join(self.mapped("name")),
                )
            )
        return parts.action_consume()
