from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from .service_order import RESERVE_STATES


class ServiceOrderPart(models.Model):
    _inherit = "service.order.part"

    reservation_move_id = fields.Many2one(
        "stock.move",
        string="Reservation",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The move of the order's parts transfer that holds this part at the warehouse.",
    )
    reservation_picking_id = fields.Many2one(
        related="reservation_move_id.picking_id", string="Parts Transfer"
    )
    reservation_state = fields.Selection(
        [
            ("none", "Not Reserved"),
            ("missing", "Missing"),
            ("reserved", "Reserved"),
            ("in_van", "In Van"),
            ("used", "Used"),
        ],
        compute="_compute_reservation_state",
        string="Parts Status",
        help="Missing: not (fully) reserved at the warehouse; Reserved: held at the "
        "warehouse; In Van: transferred to the technician's van.",
    )

    @api.depends("state", "reservation_move_id.state")
    def _compute_reservation_state(self):
        for part in self:
            # sudo: where a part stands is shown to technicians without stock rights
            move = part.sudo().reservation_move_id
            if part.state == "consumed":
                part.reservation_state = "used"
            elif not move or move.state == "cancel":
                part.reservation_state = "none"
            elif move.state == "done":
                part.reservation_state = "in_van"
            elif move.state == "assigned":
                part.reservation_state = "reserved"
            else:
                part.reservation_state = "missing"

    @api.depends(
        "product_id", "location_id", "lot_id", "quantity", "state", "reservation_move_id.state"
    )
    def _compute_available_qty(self):
        super()._compute_available_qty()
        for part in self:
            if part.state == "draft" and part.reservation_state in ("reserved", "in_van"):
                part.shortage = False
            elif part.state == "draft" and part.reservation_state == "missing":
                part.shortage = True

    @api.model_create_multi
    def create(self, vals_list):
        parts = super().create(vals_list)
        parts.filtered(lambda p: p.service_order_id.state in RESERVE_STATES)._parts_reserve()
        return parts

    def write(self, vals):
        changed = {"product_id", "quantity", "lot_id", "location_id"} & set(vals)
        if not changed or self.env.context.get("service_parts_internal"):
            return super().write(vals)
        # a new quantity or lot changes the reservation move in place; a new
        # part or source location needs another move (maybe another transfer)
        in_place = not ({"product_id", "location_id"} & changed)
        if in_place:
            held = self.sudo().filtered(
                lambda p: p.state == "draft"
                and p.reservation_move_id.state in ("confirmed", "partially_available", "assigned")
            )
        else:
            self._parts_release()
        result = super().write(vals)
        if in_place and held:
            held._parts_update_reservation()
        self.filtered(lambda p: p.service_order_id.state in RESERVE_STATES)._parts_reserve()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_release_reservation(self):
        self.filtered(lambda p: p.state == "draft")._parts_release()

    def _agenda_status(self):
        status = self.reservation_state
        if status == "in_van":
            return _("in van")
        if status == "reserved":
            return _("reserved")
        if status == "missing":
            return _("missing")
        return super()._agenda_status()

    # ------------------------------------------------------------------
    # Reservation
    # ------------------------------------------------------------------
    def _parts_release(self):
        """Cancel the reservation moves of draft lines (done moves stay: the
        parts are in the van and go back with the van's returns)."""
        # sudo: releasing follows the order's state, whoever moved it
        parts = self.sudo().filtered(
            lambda p: p.state == "draft"
            and p.reservation_move_id
            and p.reservation_move_id.state not in ("done", "cancel")
        )
        if not parts:
            return
        moves = parts.reservation_move_id
        moves._action_cancel()
        parts.with_context(service_parts_internal=True).write({"reservation_move_id": False})
        pickings = moves.picking_id.filtered(lambda p: all(m.state == "cancel" for m in p.move_ids))
        pickings.filtered(lambda p: p.state != "cancel").action_cancel()

    def _parts_reserve(self):
        """Create the reservation moves of the draft lines that have none: one
        parts transfer per order (and destination) in the order's procurement
        group, confirmed and reserved in one batch."""
        # sudo: the reservation is the order's consequence; dispatchers and
        # technicians have no stock rights of their own
        parts = self.sudo().filtered(
            lambda p: p.state == "draft"
            and (not p.reservation_move_id or p.reservation_move_id.state == "cancel")
            and p.product_id.is_storable
        )
        if not parts:
            return
        orders = parts.service_order_id
        orders._parts_check_can_reserve(parts)
        env = parts.env
        Picking = env["stock.picking"]
        Move = env["stock.move"]
        Group = env["procurement.group"]
        vans = {}
        for company in orders.company_id:
            vans.update(env["stock.location"]._van_by_user(orders.user_id, company))
        no_group = orders.filtered(lambda o: not o.parts_group_id)
        if no_group:
            groups = Group.create(
                [
                    {"name": order.name, "partner_id": order.partner_id.id, "move_type": "direct"}
                    for order in no_group
                ]
            )
            for order, group in zip(no_group, groups, strict=True):
                order.sudo().parts_group_id = group
        open_pickings = Picking.search(
            [("service_order_id", "in", orders.ids), ("state", "not in", ("done", "cancel"))]
        )
        picking_by_key = {}
        for picking in open_pickings:
            key = (picking.service_order_id.id, picking.location_id.id, picking.location_dest_id.id)
            picking_by_key.setdefault(key, picking)
        keys = {}
        for part in parts:
            order = part.service_order_id
            dest = order._parts_destination(vans)
            keys[part] = (order.id, part.location_id.id, dest.id)
        missing_keys = [key for key in dict.fromkeys(keys.values()) if key not in picking_by_key]
        if missing_keys:
            Order = env["service.order"]
            Location = env["stock.location"]
            vals_list = []
            for order_id, src_id, dest_id in missing_keys:
                order = Order.browse(order_id)
                warehouse = Location.browse(src_id).warehouse_id
                vals_list.append(
                    {
                        "picking_type_id": warehouse.service_parts_type_id.id,
                        "location_id": src_id,
                        "location_dest_id": dest_id,
                        "origin": order.name,
                        "group_id": order.parts_group_id.id,
                        "partner_id": order.partner_id.id,
                        "service_order_id": order.id,
                        "company_id": order.company_id.id,
                        "move_type": "direct",
                    }
                )
            # the scheduled date follows the moves' date (Odoo writes a given
            # one picking by picking); no creation note or follower per transfer
            new_pickings = Picking.with_context(
                mail_create_nolog=True, mail_create_nosubscribe=True
            ).create(vals_list)
            for key, picking in zip(missing_keys, new_pickings, strict=True):
                picking_by_key[key] = picking
        move_vals = []
        for part in parts:
            order = part.service_order_id
            picking = picking_by_key[keys[part]]
            move_vals.append(
                {
                    "name": _(
                        "%(order)s: %(product)s",
                        order=order.name,
                        product=part.product_id.display_name,
                    ),
                    "origin": order.name,
                    "product_id": part.product_id.id,
                    "product_uom_qty": part.quantity,
                    "product_uom": part.uom_id.id,
                    "location_id": picking.location_id.id,
                    "location_dest_id": picking.location_dest_id.id,
                    "picking_id": picking.id,
                    "picking_type_id": picking.picking_type_id.id,
                    "group_id": order.parts_group_id.id,
                    "procure_method": "make_to_stock",
                    "date": order._parts_needed_at(),
                    "company_id": part.company_id.id,
                    "partner_id": order.partner_id.id,
                }
            )
        moves = Move.create(move_vals)
        for part, move in zip(parts, moves, strict=True):
            part.with_context(service_parts_internal=True).reservation_move_id = move
        moves._action_confirm(merge=False)
        parts._parts_assign()

    def _parts_assign(self):
        """Reserve the moves of the lines, the lot chosen on a line first."""
        moves = self.reservation_move_id
        moves._action_assign()
        for part in self.filtered("lot_id"):
            move = part.reservation_move_id
            if move.move_line_ids.lot_id != part.lot_id:
                move._do_unreserve()
                move._update_reserved_quantity(
                    part.quantity, move.location_id, lot_id=part.lot_id, strict=True
                )
                move._action_assign()
        moves._recompute_state()

    def _parts_update_reservation(self):
        """New quantity or lot of reserved lines: the same move, reserved again."""
        # sudo: see _parts_reserve
        parts = self.sudo()
        moves = parts.reservation_move_id
        moves._do_unreserve()
        for part in parts:
            part.reservation_move_id.product_uom_qty = part.quantity
        parts._parts_assign()

    # ------------------------------------------------------------------
    # Consumption
    # ------------------------------------------------------------------
    def _consume_prepare(self):
        to_move = super()._consume_prepare()
        # sudo: technicians see where their parts stand without stock rights
        reserved = to_move.sudo().filtered(
            lambda p: p.state == "draft"
            and p.reservation_move_id
            and p.reservation_move_id.state != "cancel"
        )
        if not reserved:
            return to_move
        via_van = reserved.with_env(self.env)._consume_reserved()
        return (to_move - reserved) | via_van.with_env(self.env)

    def _consume_reserved(self):
        """Post the reservations of these lines: the reserved move goes done
        (its lots are the line's). Returns the lines whose move brought the
        parts to the van: they still need a move from the van."""
        consumption = self.env.ref("equipment_care.stock_location_service_consumption")
        # sudo: technicians consume parts without stock rights; every rule is
        # checked here and each move is traced to its line and order.
        for part in self.sudo():
            label = "%s (%s)" % (part.product_id.display_name, part.service_order_id.name)
            part._check_order_open(part.service_order_id, part.product_id)
            move = part.reservation_move_id
            if move.state == "done":
                continue
            reserved = move.quantity
            if (
                float_compare(
                    reserved, move.product_uom_qty, precision_rounding=part.uom_id.rounding
                )
                < 0
                and not part.allow_negative
            ):
                raise UserError(
                    _(
                        "Not enough %(product)s reserved at %(location)s for %(order)s: "
                        "%(reserved)s of %(need)s %(uom)s (transfer %(picking)s). Replenish it, "
                        "or tick 'Consume Beyond Stock' to consume it anyway as a backorder.",
                        product=part.product_id.display_name,
                        order=part.service_order_id.name,
                        reserved=reserved,
                        need=move.product_uom_qty,
                        uom=part.uom_id.name,
                        location=move.location_id.display_name,
                        picking=move.picking_id.name,
                    )
                )
            if part.product_id.tracking != "none" and not move.move_line_ids.lot_id:
                raise UserError(_("Part %(part)s needs a lot or serial number.", part=label))
        moves = self.sudo().reservation_move_id.filtered(lambda m: m.state != "done")
        for move in moves:
            if float_compare(
                move.quantity, move.product_uom_qty, precision_rounding=move.product_uom.rounding
            ):
                move.quantity = move.product_uom_qty
        moves.picked = True
        moves._action_done()
        not_done = moves.filtered(lambda m: m.state != "done")
        if not_done:
            raise UserError(
                _(
                    "The stock moves of %(parts)s could not be posted.",
                    parts=", ".join(not_done.mapped("name")),
                )
            )
        via_van = self.env["service.order.part"]
        for part in self.sudo():
            move = part.reservation_move_id
            vals = {"location_id": move.location_dest_id.id}
            if not part.lot_id and move.move_line_ids.lot_id:
                vals["lot_id"] = move.move_line_ids.lot_id[0].id
            if move.location_dest_id == consumption:
                vals.update({"location_id": move.location_id.id, "move_id": move.id})
            else:
                via_van |= part
            part.with_context(service_parts_internal=True)._workflow_write(vals)
        return via_van
