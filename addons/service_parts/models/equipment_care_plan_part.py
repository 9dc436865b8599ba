from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class EquipmentCarePlanPart(models.Model):
    """A spare part each maintenance of a care plan uses, per tool: the
    parts demand forecast multiplies it by the plan's tools and its due
    dates ahead."""

    _name = "equipment.care.plan.part"
    _description = "Care Plan Spare Part"
    _order = "plan_id, id"
    _check_company_auto = True

    plan_id = fields.Many2one(
        "equipment.care.plan", string="Care Plan", required=True, index=True, ondelete="cascade"
    )
    product_id = fields.Many2one(
        "product.product",
        string="Part",
        required=True,
        index=True,
        check_company=True,
        domain="[('is_storable', '=', True)]",
    )
    quantity = fields.Float(
        string="Quantity per Maintenance",
        required=True,
        default=1.0,
        digits="Product Unit of Measure",
    )
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    location_id = fields.Many2one(
        "stock.location",
        string="Taken From",
        required=True,
        check_company=True,
        domain="[('usage', '=', 'internal')]",
        default=lambda self: self._default_location_id(),
        help="Stock location the parts are taken from: its warehouse carries the demand.",
    )
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)

    def _default_location_id(self):
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        )
        return warehouse.lot_stock_id

    @api.constrains("quantity")
    def _check_quantity(self):
        for line in self:
            if line.quantity <= 0:
                raise ValidationError(
                    _(
                        "Care plan %(plan)s: the quantity of %(part)s per maintenance must be "
                        "positive.",
                        plan=line.plan_id.name,
                        part=line.product_id.display_name,
                    )
                )
