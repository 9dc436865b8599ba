from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare, float_is_zero


class ServicePartsInspection(models.Model):
    _name = "service.parts.inspection"
    _description = "Incoming Inspection of Spare Parts"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "create_date desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default=lambda self: _("New")
    )
    picking_id = fields.Many2one(
        "stock.picking",
        string="Receipt",
        required=True,
        readonly=True,
        index=True,
        check_company=True,
    )
    move_id = fields.Many2one("stock.move", string="Received Move", required=True, readonly=True)
    partner_id = fields.Many2one(
        "res.partner", string="Supplier", readonly=True, index=True, tracking=True
    )
    product_id = fields.Many2one("product.product", string="Part", required=True, readonly=True)
    categ_id = fields.Many2one(related="product_id.categ_id", store=True, string="Category")
    tracking = fields.Selection(related="product_id.tracking")
    lot_ids = fields.Many2many("stock.lot", string="Lots/Serials", readonly=True)
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    quantity = fields.Float(
        string="Received", readonly=True, digits="Product Unit of Measure", required=True
    )
    failed_qty = fields.Float(string="Failed Quantity", digits="Product Unit of Measure")
    failed_lot_id = fields.Many2one(
        "stock.lot",
        string="Failed Lot/Serial",
        domain="[('id', 'in', lot_ids)]",
        check_company=True,
    )
    line_ids = fields.One2many("service.parts.inspection.line", "inspection_id", string="Checklist")
    state = fields.Selection(
        [("todo", "To Inspect"), ("passed", "Passed"), ("failed", "Failed")],
        default="todo",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
        copy=False,
    )
    inspector_id = fields.Many2one("res.users", string="Inspector", readonly=True, tracking=True)
    date_done = fields.Datetime(string="Inspected On", readonly=True)
    note = fields.Html()
    quarantine_move_id = fields.Many2one("stock.move", string="Quarantine Move", readonly=True)
    return_picking_id = fields.Many2one(
        "stock.picking", string="Return to Supplier", readonly=True, check_company=True
    )
    complaint_ids = fields.Many2many(
        "service.complaint",
        compute="_compute_complaint_ids",
        string="Complaints",
        help="Complaints whose faulty part comes from these lots.",
    )
    complaint_count = fields.Integer(compute="_compute_complaint_ids")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    def _compute_complaint_ids(self):
        Complaint = self.env["service.complaint"]
        if not Complaint.has_access("read"):
            # warehouse staff inspect parts without reading the complaint ledger
            self.complaint_ids = Complaint
            self.complaint_count = 0
            return
        complaints = Complaint.search([("faulty_lot_id", "in", self.lot_ids.ids)])
        for inspection in self:
            mine = complaints.filtered(lambda c, i=inspection: c.faulty_lot_id in i.lot_ids)
            inspection.complaint_ids = mine
            inspection.complaint_count = len(mine)

    @api.constrains("failed_qty", "quantity")
    def _check_failed_qty(self):
        for inspection in self:
            if inspection.failed_qty < 0 or (
                float_compare(
                    inspection.failed_qty,
                    inspection.quantity,
                    precision_rounding=inspection.uom_id.rounding or 0.01,
                )
                > 0
            ):
                raise ValidationError(
                    _(
                        "Inspection %(name)s: the failed quantity must be between 0 and the "
                        "%(qty)s received.",
                        name=inspection.name,
                        qty=inspection.quantity,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", _("New")) == _("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code("service.parts.inspection")
        return super().create(vals_list)

    def write(self, vals):
        locked = {"failed_qty", "failed_lot_id", "line_ids"} & set(vals)
        if locked and self.filtered(lambda i: i.state != "todo"):
            raise UserError(_("A finished inspection cannot be changed."))
        return super().write(vals)

    @api.model
    def _prepare_from_move(self, move):
        checks = move.product_id.categ_id.inspection_check_ids
        return {
            "picking_id": move.picking_id.id,
            "move_id": move.id,
            "partner_id": (move.picking_id.partner_id.commercial_partner_id).id,
            "product_id": move.product_id.id,
            "lot_ids": [Command.set(move.move_line_ids.lot_id.ids)],
            "quantity": move.quantity,
            "company_id": move.company_id.id,
            "line_ids": [
                Command.create(
                    {
                        "check_id": check.id,
                        "sequence": check.sequence,
                        "name": check.name,
                        "instructions": check.instructions,
                    }
                )
                for check in checks
            ],
        }

    def _check_todo(self):
        for inspection in self:
            if inspection.state != "todo":
                raise UserError(_("Inspection %(name)s is already finished.", name=inspection.name))
            unchecked = inspection.line_ids.filtered(lambda line: not line.result)
            if unchecked:
                raise UserError(
                    _(
                        "Inspection %(name)s: checkpoints without a result: %(checks)s.",
                        name=inspection.name,
                        checks=", ".join(unchecked.mapped("name")),
                    )
                )

    def action_pass(self):
        self._check_todo()
        for inspection in self:
            failed = inspection.line_ids.filtered(lambda line: line.result == "fail")
            if failed or not float_is_zero(
                inspection.failed_qty, precision_rounding=inspection.uom_id.rounding
            ):
                raise UserError(
                    _(
                        "Inspection %(name)s has failed checkpoints or a failed quantity: "
                        "record it as failed.",
                        name=inspection.name,
                    )
                )
        self.write(
            {
                "state": "passed",
                "inspector_id": self.env.user.id,
                "date_done": fields.Datetime.now(),
            }
        )
        return True

    def action_fail(self):
        """Record the failure: the failed quantity leaves the stock for the
        warehouse's quarantine location with a done move."""
        self._check_todo()
        for inspection in self:
            rounding = inspection.uom_id.rounding
            if float_is_zero(inspection.failed_qty, precision_rounding=rounding):
                raise UserError(
                    _("Inspection %(name)s: enter the failed quantity.", name=inspection.name)
                )
            if not inspection.line_ids.filtered(lambda line: line.result == "fail") and not (
                inspection.note and inspection.note.striptags().strip()
            ):
                raise UserError(
                    _(
                        "Inspection %(name)s: mark the failed checkpoints or describe the "
                        "defect in the note.",
                        name=inspection.name,
                    )
                )
            if inspection.tracking != "none" and not inspection.failed_lot_id:
                raise UserError(
                    _("Inspection %(name)s: choose the failed lot/serial.", name=inspection.name)
                )
            warehouse = inspection.move_id.location_dest_id.warehouse_id
            if not warehouse.quarantine_location_id:
                raise UserError(
                    _(
                        "Inspection %(name)s: the receiving warehouse has no quarantine location.",
                        name=inspection.name,
                    )
                )
        # sudo: quality staff move the failed parts without general stock rights;
        # the move is traced to the inspection
        Move = self.env["stock.move"].sudo()
        for inspection in self:
            received = inspection.move_id
            source = received.location_dest_id
            quarantine = source.warehouse_id.quarantine_location_id
            move = Move.create(
                {
                    "name": _("Quarantine: %(name)s", name=inspection.name),
                    "origin": inspection.name,
                    "reference": inspection.name,
                    "product_id": inspection.product_id.id,
                    "product_uom_qty": inspection.failed_qty,
                    "product_uom": inspection.uom_id.id,
                    "location_id": source.id,
                    "location_dest_id": quarantine.id,
                    "company_id": inspection.company_id.id,
                    "move_line_ids": [
                        Command.create(
                            {
                                "product_id": inspection.product_id.id,
                                "product_uom_id": inspection.uom_id.id,
                                "quantity": inspection.failed_qty,
                                "lot_id": inspection.failed_lot_id.id,
                                "location_id": source.id,
                                "location_dest_id": quarantine.id,
                                "company_id": inspection.company_id.id,
                            }
                        )
                    ],
                }
            )
            move._action_confirm(merge=False)
            move.picked = True
            move._action_done()
            inspection.quarantine_move_id = move
        self.write(
            {
                "state": "failed",
                "inspector_id": self.env.user.id,
                "date_done": fields.Datetime.now(),
            }
        )
        return True

    def action_return_to_supplier(self):
        """A return transfer of the quarantined quantity to the supplier,
        linked to the receipt (the purchase's received quantity and refund
        follow when the warehouse validates it)."""
        Picking = self.env["stock.picking"].sudo()  # see action_fail
        for inspection in self:
            if inspection.state != "failed" or inspection.return_picking_id:
                raise UserError(
                    _(
                        "Inspection %(name)s: only a failed inspection without a return "
                        "can be returned to the supplier.",
                        name=inspection.name,
                    )
                )
            received = inspection.move_id
            receipt = inspection.picking_id
            quarantine = inspection.quarantine_move_id.location_dest_id
            return_type = receipt.picking_type_id.return_picking_type_id or receipt.picking_type_id
            picking = Picking.create(
                {
                    "picking_type_id": return_type.id,
                    "location_id": quarantine.id,
                    "location_dest_id": received.location_id.id,
                    "partner_id": receipt.partner_id.id,
                    "origin": _(
                        "Return of %(receipt)s (%(name)s)",
                        receipt=receipt.name,
                        name=inspection.name,
                    ),
                    "return_id": receipt.id,
                    "company_id": inspection.company_id.id,
                    "move_ids": [
                        Command.create(
                            {
                                "name": inspection.product_id.display_name,
                                "product_id": inspection.product_id.id,
                                "product_uom_qty": inspection.failed_qty,
                                "product_uom": inspection.uom_id.id,
                                "location_id": quarantine.id,
                                "location_dest_id": received.location_id.id,
                                "origin_returned_move_id": received.id,
                                "to_refund": True,
                                "purchase_line_id": received.purchase_line_id.id,
                                "company_id": inspection.company_id.id,
                            }
                        )
                    ],
                }
            )
            picking.action_confirm()
            picking.action_assign()
            inspection.return_picking_id = picking
            inspection.message_post(
                body=_("Return to the supplier prepared: %(picking)s.", picking=picking.name)
            )
        return True

    def action_view_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "service_quality.service_complaint_action"
        )
        action["domain"] = [("id", "in", self.complaint_ids.ids)]
        return action
