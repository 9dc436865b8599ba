from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import float_compare, float_is_zero, float_repr, float_round

from odoo.addons.service_quality.models.service_workflow_mixin import retention_destroying

# Orders whose spare parts are settled: once the customer has accepted the
# work the parts used are evidence of it (and of the invoice); a cancelled
# order uses none. Reopening a done order makes its lines editable again.
ORDER_LOCKED_STATES = ("done", "closed", "cancelled")
# The fields of a line people fill in, locked with the order.
ORDER_LOCKED_FIELDS = (
    "service_order_id",
    "product_id",
    "quantity",
    "lot_id",
    "location_id",
    "allow_negative",
    "company_id",
)
# A change of these voids the warehouse's consent to consume beyond stock.
STOCK_DECISION_FIELDS = ("product_id", "quantity", "lot_id", "location_id")
# More than any service visit takes: a larger figure is a typing error.
MAX_QUANTITY = 100000


class ServiceOrderPart(models.Model):
    _name = "service.order.part"
    _description = "Service Order Spare Part"
    _inherit = ["service.workflow.mixin"]
    _order = "appointment_start, service_order_id, id"
    _check_company_auto = True
    # A line is consumed once, by ``action_consume``, with its done stock move.
    _workflow_fields = ("state", "move_id")
    _workflow_moves = {"consumed": ("draft",)}
    _workflow_final_states = ("consumed",)
    _workflow_evidence_fields = (
        "service_order_id",
        "product_id",
        "quantity",
        "lot_id",
        "location_id",
        "move_id",
        "allow_negative",
        "company_id",
    )

    service_order_id = fields.Many2one(
        "service.order",
        string="Service Order",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    appointment_start = fields.Datetime(
        related="service_order_id.appointment_start", store=True, index=True, string="Appointment"
    )
    technician_id = fields.Many2one(
        related="service_order_id.user_id", store=True, string="Technician"
    )
    product_id = fields.Many2one(
        "product.product",
        string="Part",
        required=True,
        index=True,
        check_company=True,
        domain="[('is_storable', '=', True)]",
    )
    tracking = fields.Selection(related="product_id.tracking")
    quantity = fields.Float(required=True, default=1.0, digits="Product Unit of Measure")
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    lot_id = fields.Many2one(
        "stock.lot",
        string="Lot/Serial",
        check_company=True,
        domain="[('product_id', '=', product_id)]",
    )
    location_id = fields.Many2one(
        "stock.location",
        string="Source Location",
        required=True,
        check_company=True,
        domain="[('usage', '=', 'internal')]",
        default=lambda self: self._default_location(),
    )
    move_id = fields.Many2one(
        "stock.move", string="Stock Move", readonly=True, copy=False, index=True
    )
    move_state = fields.Selection(related="move_id.state", string="Move Status")
    state = fields.Selection(
        [("draft", "To Consume"), ("consumed", "Consumed")],
        default="draft",
        required=True,
        readonly=True,
        index=True,
        copy=False,
    )
    allow_negative = fields.Boolean(
        string="Consume Beyond Stock",
        help="Explicit choice to consume more than is on hand (the stock goes negative "
        "and the shortage is to be replenished as a backorder).",
    )
    available_qty = fields.Float(
        string="On Hand", compute="_compute_available_qty", digits="Product Unit of Measure"
    )
    shortage = fields.Boolean(compute="_compute_available_qty", search="_search_shortage")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    @api.depends("service_order_id.name", "product_id.display_name")
    def _compute_display_name(self):
        for part in self:
            part.display_name = (
                f"{part.service_order_id.name or ''}: {part.product_id.display_name or ''}"
            )

    def _default_location(self):
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        )
        return warehouse.lot_stock_id

    @api.depends("product_id", "location_id", "lot_id", "quantity", "state")
    def _compute_available_qty(self):
        available = self._available_by_key()
        for part in self:
            qty = available.get(
                (part.product_id.id, part.location_id.id, part.lot_id.id or None), 0.0
            )
            part.available_qty = qty
            part.shortage = (
                part.state == "draft"
                and float_compare(
                    part.quantity, qty, precision_rounding=part.uom_id.rounding or 0.01
                )
                > 0
            )

    def _available_by_key(self):
        """Unreserved quantity per (product, location incl. children, lot) of the
        lines, with one grouped query over the quants."""
        lines = self.filtered(lambda p: p.product_id and p.location_id)
        if not lines:
            return {}
        Quant = self.env["stock.quant"].sudo()  # availability is a figure shown to every role
        result = {}
        for location in lines.location_id:
            loc_lines = lines.filtered(lambda p, loc=location: p.location_id == loc)
            groups = Quant._read_group(
                [
                    ("product_id", "in", loc_lines.product_id.ids),
                    ("location_id", "child_of", location.id),
                ],
                ["product_id", "lot_id"],
                ["quantity:sum", "reserved_quantity:sum"],
            )
            for product, lot, qty, reserved in groups:
                free = qty - reserved
                key_any = (product.id, location.id, None)
                result[key_any] = result.get(key_any, 0.0) + free
                if lot:
                    key_lot = (product.id, location.id, lot.id)
                    result[key_lot] = result.get(key_lot, 0.0) + free
        return result

    def _search_shortage(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Unsupported search on shortages."))
        drafts = self.search([("state", "=", "draft")])
        short_ids = drafts.filtered("shortage").ids
        if (operator == "=") == value:
            return [("id", "in", short_ids)]
        return [("id", "not in", short_ids)]

    @api.constrains("quantity")
    def _check_quantity(self):
        for part in self:
            if part.quantity <= 0:
                raise ValidationError(
                    _(
                        "Part %(product)s of %(order)s: the quantity must be positive.",
                        product=part.product_id.display_name,
                        order=part.service_order_id.name,
                    )
                )
            if part.quantity > MAX_QUANTITY:
                raise ValidationError(
                    _(
                        "Part %(product)s of %(order)s: a quantity of %(quantity)s is more than "
                        "a service order takes (at most %(max)s).",
                        product=part.product_id.display_name,
                        order=part.service_order_id.name,
                        quantity=part.quantity,
                        max=MAX_QUANTITY,
                    )
                )

    @api.constrains("product_id", "lot_id")
    def _check_lot(self):
        for part in self:
            if part.lot_id and part.lot_id.product_id != part.product_id:
                raise ValidationError(
                    _(
                        "Part %(product)s: lot %(lot)s belongs to another product.",
                        product=part.product_id.display_name,
                        lot=part.lot_id.name,
                    )
                )

    def _evidence_error(self, records, field_names):
        part = records[:1]
        return UserError(
            _(
                "Part %(product)s of %(order)s is consumed: its stock move is done, so "
                "it can no longer be changed.",
                product=part.product_id.display_name,
                order=part.service_order_id.name,
            )
        )

    def _workflow_actions_hint(self, field_names):
        return _("Consume Parts")

    @api.model_create_multi
    def create(self, vals_list):
        context = self.env.context
        for vals in vals_list:
            order = self.env["service.order"].browse(
                vals.get("service_order_id", context.get("default_service_order_id"))
            )
            product = self.env["product.product"].browse(
                vals.get("product_id", context.get("default_product_id"))
            )
            self._check_order_open(order, product)
            if vals.get("allow_negative", context.get("default_allow_negative")):
                self._check_allow_negative(order, product)
        return super().create(vals_list)

    def write(self, vals):
        if (
            "allow_negative" not in vals
            and set(STOCK_DECISION_FIELDS) & vals.keys()
            and not self._workflow_allowed()
            and not self._is_stock_user()
            and any(self.mapped("allow_negative"))
        ):
            # the warehouse agreed to a shortage of this part, quantity and
            # place: another one needs its consent again
            vals = dict(vals, allow_negative=False)
        return super().write(vals)

    def _check_evidence_write(self, vals):
        super()._check_evidence_write(vals)
        # the lines of a settled order are part of its record too; the
        # workflow itself (consumption) and the superuser write past the lock,
        # as for the workflow fields
        if self._workflow_allowed() or not set(ORDER_LOCKED_FIELDS) & vals.keys():
            return
        new_order = self.env["service.order"].browse(vals.get("service_order_id"))
        new_product = self.env["product.product"].browse(vals.get("product_id"))
        for part in self:
            part._check_order_open(part.service_order_id, part.product_id)
            if new_order or new_product:
                part._check_order_open(
                    new_order or part.service_order_id, new_product or part.product_id
                )

    def _check_workflow_write(self, vals):
        super()._check_workflow_write(vals)
        if vals.get("allow_negative"):
            for part in self:
                part._check_allow_negative(part.service_order_id, part.product_id)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_consumed(self):
        if retention_destroying(self.env):
            # Destroyed with its order's file and registered; the done move stays.
            return
        for part in self:
            if part.state == "consumed":
                raise UserError(
                    _(
                        "Part %(product)s of %(order)s is consumed and cannot be deleted.",
                        product=part.product_id.display_name,
                        order=part.service_order_id.name,
                    )
                )

    def _check_order_open(self, order, product):
        """Refuse a line of ``product`` on ``order`` when the order is done,
        closed or cancelled: its spare parts are settled."""
        if order.state not in ORDER_LOCKED_STATES:
            return
        labels = dict(order._fields["state"]._description_selection(self.env))
        raise UserError(
            _(
                "Order %(order)s is %(state)s: its spare part %(part)s can no longer be added, "
                "changed or consumed.",
                order=order.name,
                state=labels[order.state],
                part=product.display_name or _("(no part)"),
            )
        )

    def _is_stock_user(self):
        return self.env.su or self.env.user.has_group("stock.group_stock_user")

    def _check_allow_negative(self, order, product):
        """Consuming beyond stock is the warehouse's decision: only inventory
        users may allow it on a line."""
        if self._is_stock_user():
            return
        raise AccessError(
            _(
                "Part %(part)s of %(order)s: only the warehouse (Inventory users) may allow "
                "consuming it beyond stock.",
                part=product.display_name or _("(no part)"),
                order=order.name or _("a new order"),
            )
        )

    def _agenda_status(self):
        """Where the line stands for the technician: used, short or in stock.
        Addons reserving parts override it with their reservation states."""
        self.ensure_one()
        if self.state == "consumed":
            return _("used")
        if self.shortage:
            return _("short")
        return _("in stock")

    def _agenda_label(self):
        """How the line reads on the technician's agenda, e.g.
        "2 × Start relay (in stock)"."""
        self.ensure_one()
        rounding = self.uom_id.rounding or 0.01
        quantity = float_round(self.quantity, precision_rounding=rounding)
        text = float_repr(quantity, 3).rstrip("0").rstrip(".")
        return _(
            "%(quantity)s × %(part)s (%(status)s)",
            quantity=text,
            part=self.product_id.display_name,
            status=self._agenda_status(),
        )

    # ------------------------------------------------------------------
    # Consumption
    # ------------------------------------------------------------------
    def _check_consumable(self):
        """Every check before any write, so a refused batch changes nothing."""
        consumption = self.env.ref("equipment_care.stock_location_service_consumption")
        needed = {}
        for part in self:
            label = "%s (%s)" % (part.product_id.display_name, part.service_order_id.name)
            if part.state != "draft":
                raise UserError(_("Part %(part)s is already consumed.", part=label))
            part._check_order_open(part.service_order_id, part.product_id)
            if not part.product_id.is_storable:
                raise UserError(_("Part %(part)s is not a stock-tracked product.", part=label))
            if part.product_id.tracking != "none" and not part.lot_id:
                raise UserError(_("Part %(part)s needs a lot or serial number.", part=label))
            if (
                float_is_zero(part.quantity, precision_rounding=part.uom_id.rounding)
                or part.quantity < 0
            ):
                raise UserError(_("Part %(part)s: the quantity must be positive.", part=label))
            if part.location_id == consumption:
                raise UserError(_("Part %(part)s: choose a stock location as source.", part=label))
            key = (part.product_id.id, part.location_id.id, part.lot_id.id or None)
            needed.setdefault(key, [0.0, self.browse()])
            needed[key][0] += part.quantity
            needed[key][1] |= part
        available = self._available_by_key()
        for key, (qty, parts) in needed.items():
            if all(parts.mapped("allow_negative")):
                continue
            have = available.get(key, 0.0)
            part = parts[0]
            if float_compare(qty, have, precision_rounding=part.uom_id.rounding) > 0:
                raise UserError(
                    _(
                        "Not enough %(product)s in %(location)s for %(order)s: "
                        "%(need)s %(uom)s needed, %(have)s available. Replenish it, or tick "
                        "'Consume Beyond Stock' to consume it anyway as a backorder.",
                        product=part.product_id.display_name,
                        location=part.location_id.display_name,
                        order=", ".join(parts.service_order_id.mapped("name")),
                        need=qty,
                        have=have,
                        uom=part.uom_id.name,
                    )
                )
        return consumption

    def action_consume(self):
        """Consume the lines: the lines that need it get one done stock move
        each from their source location to the service consumption location,
        lowering the on-hand quantity; then every line is consumed."""
        if not self:
            return True
        for part in self:
            part._check_order_open(part.service_order_id, part.product_id)
        to_move = self._consume_prepare()
        if to_move:
            to_move._consume_with_new_moves()
        return self._workflow_move("consumed")

    def _consume_prepare(self):
        """The lines that need a new stock move to be consumed: all of them
        here. An addon that reserved the parts beforehand posts its own moves
        and returns the lines left."""
        return self

    def _consume_with_new_moves(self):
        consumption = self._check_consumable()
        # sudo: technicians consume parts without stock rights; every rule was
        # checked above and the move is traced to the line and the order.
        Move = self.env["stock.move"].sudo()
        moves = Move
        for part in self:
            move = Move.create(
                {
                    "name": _(
                        "%(order)s: %(product)s",
                        order=part.service_order_id.name,
                        product=part.product_id.display_name,
                    ),
                    "origin": part.service_order_id.name,
                    "reference": part.service_order_id.name,
                    "product_id": part.product_id.id,
                    "product_uom_qty": part.quantity,
                    "product_uom": part.uom_id.id,
                    "location_id": part.location_id.id,
                    "location_dest_id": consumption.id,
                    "company_id": part.company_id.id,
                    "move_line_ids": [
                        Command.create(
                            {
                                "product_id": part.product_id.id,
                                "product_uom_id": part.uom_id.id,
                                "quantity": part.quantity,
                                "lot_id": part.lot_id.id,
                                "location_id": part.location_id.id,
                                "location_dest_id": consumption.id,
                                "company_id": part.company_id.id,
                            }
                        )
                    ],
                }
            )
            moves |= move
            part._workflow_write({"move_id": move.id})
        moves._action_confirm(merge=False)
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
