from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.float_utils import float_compare


class ServiceEmergencyPlanPart(models.Model):
    """A spare part an emergency plan holds: the quantity to keep on hand
    at the plan's stock location. Below it, the plan is short."""

    _name = "service.emergency.plan.part"
    _description = "Emergency Plan Part to Hold"
    _order = "plan_id, id"
    _check_company_auto = True

    plan_id = fields.Many2one(
        "service.emergency.plan",
        string="Emergency Plan",
        required=True,
        index=True,
        ondelete="cascade",
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
        string="Quantity to Hold", required=True, default=1.0, digits="Product Unit of Measure"
    )
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    qty_on_hand = fields.Float(
        string="On Hand",
        compute="_compute_qty_on_hand",
        digits="Product Unit of Measure",
        help="Quantity on hand at the plan's stock location and its sublocations.",
    )
    is_short = fields.Boolean(string="Short", compute="_compute_qty_on_hand")
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)

    _sql_constraints = [
        (
            "plan_product_unique",
            "UNIQUE(plan_id, product_id)",
            "A part is listed once per emergency plan.",
        ),
    ]

    @api.depends("product_id", "quantity", "plan_id.parts_location_id")
    def _compute_qty_on_hand(self):
        on_hand = self._on_hand()
        for line in self:
            line.qty_on_hand = on_hand.get(line.id, 0.0)
            line.is_short = (
                float_compare(
                    line.qty_on_hand,
                    line.quantity,
                    precision_rounding=line.product_id.uom_id.rounding or 0.01,
                )
                < 0
            )

    @api.model_create_multi
    def create(self, vals_list):
        plan_ids = {vals.get("plan_id") for vals in vals_list}
        self.env["service.emergency.plan"].browse(
            pid for pid in plan_ids if pid
        )._check_parts_open()
        return super().create(vals_list)

    def write(self, vals):
        plans = self.plan_id
        if vals.get("plan_id"):
            plans |= plans.browse(vals["plan_id"])
        plans._check_parts_open()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved_plan(self):
        self.plan_id._check_parts_open()

    @api.constrains("quantity")
    def _check_quantity(self):
        for line in self:
            if line.quantity <= 0:
                raise ValidationError(
                    _(
                        "Emergency plan %(plan)s: the quantity of %(part)s to hold must be "
                        "positive.",
                        plan=line.plan_id.name,
                        part=line.product_id.display_name,
                    )
                )

    def _on_hand(self):
        """{line id: quantity on hand at its plan's location}, one quant
        read per location."""
        by_location = defaultdict(lambda: self.browse())
        for line in self:
            if line.product_id and line.plan_id.parts_location_id:
                by_location[line.plan_id.parts_location_id] |= line
        result = {}
        # sudo: whoever reads the plan sees the stock it holds, not the quants
        Quant = self.env["stock.quant"].sudo()
        for location, lines in by_location.items():
            quantities = dict(
                Quant._read_group(
                    [
                        ("product_id", "in", lines.product_id.ids),
                        ("location_id", "child_of", location.id),
                    ],
                    ["product_id"],
                    ["quantity:sum"],
                )
            )
            for line in lines:
                result[line.id] = quantities.get(line.product_id, 0.0)
        return result
