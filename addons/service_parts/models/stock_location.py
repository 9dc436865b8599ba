from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError


class StockLocation(models.Model):
    _inherit = "stock.location"

    van_user_id = fields.Many2one(
        "res.users",
        string="Van of",
        index="btree_not_null",
        help="The technician whose vehicle this location is: the spare parts of his "
        "appointments are transferred here and consumed from here.",
    )

    _sql_constraints = [
        (
            "van_user_company_uniq",
            "unique(van_user_id, company_id)",
            "A technician has one van location per company.",
        ),
    ]

    @api.constrains("van_user_id", "usage")
    def _check_van_usage(self):
        for location in self:
            if location.van_user_id and location.usage != "internal":
                raise ValidationError(
                    _(
                        "Location %(location)s: a van must be an internal location.",
                        location=location.display_name,
                    )
                )

    @api.model
    def _van_by_user(self, users, company):
        """Van location of each of ``users`` in ``company`` (one query)."""
        vans = self.search([("van_user_id", "in", users.ids), ("company_id", "=", company.id)])
        return {van.van_user_id.id: van for van in vans}

    def action_return_van_stock(self):
        """Send back to the warehouse's stock whatever is in the van and not
        reserved for a coming appointment: one transfer per van, reserved."""
        pickings = self.env["stock.picking"]
        for van in self:
            if not van.van_user_id:
                raise UserError(_("Location %(location)s is not a van.", location=van.display_name))
            warehouse = van.warehouse_id
            if not warehouse:
                raise UserError(
                    _(
                        "Van %(location)s belongs to no warehouse to return parts to.",
                        location=van.display_name,
                    )
                )
            quants = self.env["stock.quant"].search(
                [("location_id", "child_of", van.id), ("quantity", ">", 0)]
            )
            moves = []
            for quant in quants:
                free = quant.quantity - quant.reserved_quantity
                if free <= 0:
                    continue
                moves.append(
                    Command.create(
                        {
                            "name": _("Van return: %(product)s", product=quant.product_id.name),
                            "product_id": quant.product_id.id,
                            "product_uom_qty": free,
                            "product_uom": quant.product_id.uom_id.id,
                            "location_id": van.id,
                            "location_dest_id": warehouse.lot_stock_id.id,
                            "company_id": van.company_id.id,
                        }
                    )
                )
            if not moves:
                raise UserError(
                    _("Van %(location)s has nothing to return.", location=van.display_name)
                )
            picking = self.env["stock.picking"].create(
                {
                    "picking_type_id": warehouse.int_type_id.id,
                    "location_id": van.id,
                    "location_dest_id": warehouse.lot_stock_id.id,
                    "origin": _("Van return %(location)s", location=van.name),
                    "company_id": van.company_id.id,
                    "move_ids": moves,
                }
            )
            picking.action_confirm()
            picking.action_assign()
            pickings |= picking
        return {
            "type": "ir.actions.act_window",
            "name": _("Van Returns"),
            "res_model": "stock.picking",
            "view_mode": "list,form",
            "domain": [("id", "in", pickings.ids)],
        }

    def action_count_van_stock(self):
        """The van's stock in Inventory's count screen, like any location."""
        self.ensure_one()
        action = self.env["stock.quant"].action_view_inventory()
        action["domain"] = [("location_id", "child_of", self.id)]
        action["name"] = _("Count %(location)s", location=self.display_name)
        return action
