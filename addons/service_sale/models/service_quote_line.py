from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

PRICE_GROUPS = "service_sale.group_service_prices"
# Far beyond any repair: a larger unit price or quantity is a typing error.
MAX_PRICE_UNIT = 1e9
MAX_QUANTITY = 1e6
MAX_PRICE_UNIT_LABEL = f"{MAX_PRICE_UNIT:,.0f}"
MAX_QUANTITY_LABEL = f"{MAX_QUANTITY:,.0f}"
# Set from the line's quote when it is created, never moved afterwards.
QUOTE_FIELDS = ("quote_id", "order_id", "company_id")


class ServiceQuoteLine(models.Model):
    _name = "service.quote.line"
    _description = "Service Quote Line"
    _order = "quote_id, sequence, id"
    _check_company_auto = True

    quote_id = fields.Many2one(
        "service.quote", required=True, index=True, ondelete="cascade", check_company=True
    )
    order_id = fields.Many2one(related="quote_id.order_id", store=True, index=True)
    sequence = fields.Integer(default=10)
    line_type = fields.Selection(
        [("labour", "Labour"), ("part", "Part"), ("fee", "Fee")],
        string="Type",
        required=True,
        default="part",
    )
    product_id = fields.Many2one(
        "product.product", required=True, index=True, check_company=True,
        domain="[('sale_ok', '=', True)]",
    )  # fmt: skip
    name = fields.Char(
        string="Description",
        compute="_compute_name",
        store=True,
        readonly=False,
        required=True,
        precompute=True,
    )
    quantity = fields.Float(
        string="Quantity / Hours", default=1.0, required=True, digits="Product Unit of Measure"
    )
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    currency_id = fields.Many2one(related="quote_id.currency_id")
    price_unit = fields.Monetary(
        string="Unit Price / Rate",
        compute="_compute_price_unit",
        store=True,
        readonly=False,
        precompute=True,
        groups=PRICE_GROUPS,
    )
    tax_ids = fields.Many2many(
        "account.tax",
        string="Taxes",
        compute="_compute_tax_ids",
        store=True,
        readonly=False,
        precompute=True,
        check_company=True,
        domain="[('type_tax_use', '=', 'sale')]",
    )
    warranty_covered = fields.Boolean(
        string="Under Warranty",
        compute="_compute_warranty_covered",
        store=True,
        readonly=False,
        precompute=True,
        help="Done free of charge: follows the order's warranty (manufacturer, extended or "
        "repair warranty); a dispatcher may charge a line the warranty does not cover.",
    )
    warranty_reason = fields.Char(
        compute="_compute_warranty_reason",
        help="Why the line is free or charged, as the service report prints it.",
    )
    price_subtotal = fields.Monetary(
        string="Subtotal", compute="_compute_amounts", store=True, groups=PRICE_GROUPS
    )
    price_tax = fields.Monetary(
        string="Tax", compute="_compute_amounts", store=True, groups=PRICE_GROUPS
    )
    price_total = fields.Monetary(
        string="Total", compute="_compute_amounts", store=True, groups=PRICE_GROUPS
    )
    warranty_value = fields.Monetary(
        compute="_compute_amounts",
        store=True,
        groups=PRICE_GROUPS,
        help="Untaxed value given free under warranty.",
    )
    company_id = fields.Many2one(related="quote_id.company_id", store=True, index=True)

    _sql_constraints = [
        ("quantity_positive", "CHECK(quantity > 0)", "A quote line needs a positive quantity."),
    ]

    @api.depends("product_id")
    def _compute_name(self):
        for line in self:
            if line.product_id:
                line.name = line.product_id.get_product_multiline_description_sale()

    @api.depends("product_id", "quantity", "quote_id.pricelist_id")
    def _compute_price_unit(self):
        for line in self:
            if line._is_frozen():
                line.price_unit = line.price_unit
                continue
            if not line.product_id:
                line.price_unit = 0.0
                continue
            pricelist = line.quote_id.pricelist_id
            partner = line.quote_id.order_id.partner_id
            if pricelist:
                line.price_unit = pricelist._get_product_price(
                    line.product_id.with_context(partner=partner),
                    line.quantity or 1.0,
                    currency=line.currency_id,
                    uom=line.product_id.uom_id,
                )
            else:
                line.price_unit = line.product_id.lst_price

    @api.depends("product_id", "quote_id.fiscal_position_id")
    def _compute_tax_ids(self):
        for line in self:
            if line._is_frozen():
                line.tax_ids = line.tax_ids
                continue
            company = line.company_id or self.env.company
            taxes = line.product_id.taxes_id.filtered_domain(
                self.env["account.tax"]._check_company_domain(company)
            )
            fpos = line.quote_id.fiscal_position_id
            line.tax_ids = fpos.map_tax(taxes) if fpos else taxes

    @api.depends("quote_id.order_id.warranty", "line_type")
    def _compute_warranty_covered(self):
        for line in self:
            if line._is_frozen():
                line.warranty_covered = line.warranty_covered
                continue
            line.warranty_covered = (
                line.line_type != "fee" and line.quote_id.order_id.warranty == "in"
            )

    @api.depends_context("lang")
    @api.depends("warranty_covered", "quote_id.order_id.warranty_note")
    def _compute_warranty_reason(self):
        for line in self:
            order = line.quote_id.order_id
            if line.warranty_covered and order.warranty == "in":
                line.warranty_reason = order.warranty_note
            elif line.warranty_covered:
                line.warranty_reason = _("Free of charge, as agreed by the service.")
            elif order.warranty == "in":
                line.warranty_reason = _("Charged: not covered by the warranty.")
            else:
                line.warranty_reason = False

    @api.depends("quantity", "price_unit", "tax_ids", "warranty_covered")
    def _compute_amounts(self):
        for line in self:
            value = (
                line.currency_id.round(line.price_unit * line.quantity)
                if line.currency_id
                else line.price_unit * line.quantity
            )
            if line.warranty_covered:
                line.price_subtotal = line.price_tax = line.price_total = 0.0
                line.warranty_value = value
                continue
            taxes = line.tax_ids.compute_all(
                line.price_unit,
                currency=line.currency_id,
                quantity=line.quantity,
                product=line.product_id,
                partner=line.quote_id.order_id.partner_id,
            )
            line.price_subtotal = taxes["total_excluded"]
            line.price_total = taxes["total_included"]
            line.price_tax = taxes["total_included"] - taxes["total_excluded"]
            line.warranty_value = 0.0

    def _is_frozen(self):
        """A sent or decided version keeps its prices, taxes and warranty."""
        self.ensure_one()
        return bool(self._origin.id) and self.quote_id.state != "draft"

    @api.onchange("line_type")
    def _onchange_line_type(self):
        if self.line_type == "labour" and not self.product_id:
            self.product_id = self.quote_id.order_id.category_id.labour_product_id

    @api.constrains("line_type", "product_id")
    def _check_labour_product(self):
        for line in self:
            if line.line_type == "labour" and line.product_id.type != "service":
                raise ValidationError(
                    _(
                        "Quote %(quote)s: labour line %(line)s needs a service product "
                        "(hourly rate).",
                        quote=line.quote_id.name,
                        line=line.name,
                    )
                )

    @api.constrains("price_unit", "quantity")
    def _check_amounts(self):
        # sudo: the check holds for technicians who may not see prices
        for line in self.sudo():
            if not 0.0 <= line.price_unit <= MAX_PRICE_UNIT:
                raise ValidationError(
                    _(
                        "Quote %(quote)s: line %(line)s needs a unit price between 0 and "
                        "%(max)s (quotes have no discount lines).",
                        quote=line.quote_id.name,
                        line=line.name,
                        max=MAX_PRICE_UNIT_LABEL,
                    )
                )
            if line.quantity > MAX_QUANTITY:
                raise ValidationError(
                    _(
                        "Quote %(quote)s: line %(line)s has a quantity above %(max)s.",
                        quote=line.quote_id.name,
                        line=line.name,
                        max=MAX_QUANTITY_LABEL,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        quotes = self.env["service.quote"].browse(
            {vals["quote_id"] for vals in vals_list if vals.get("quote_id")}
        )
        quotes._check_editable()
        return super().create(vals_list)

    def write(self, vals):
        self.quote_id._check_editable()
        self._check_quote_fields(vals)
        return super().write(vals)

    def _check_quote_fields(self, vals):
        """A line stays on the quote it was created on (for ``sudo()`` too):
        moved to another version, it would change what a customer signed."""
        for name in QUOTE_FIELDS:
            if name not in vals:
                continue
            value = vals[name]
            value = value.id if isinstance(value, models.BaseModel) else value
            for line in self:
                if line.sudo()[name].id != (value or False):
                    raise UserError(
                        _(
                            "Quote %(quote)s: line %(line)s cannot be moved to another quote, "
                            "order or company; add a line to the other quote instead.",
                            quote=line.quote_id.name,
                            line=line.name,
                        )
                    )

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        self.quote_id._check_editable()

    def _prepare_sale_line_vals(self):
        self.ensure_one()
        # sudo: the sale line takes the price whoever closes the order
        line = self.sudo()
        return {
            "product_id": line.product_id.id,
            "name": line.name
            if not line.warranty_covered
            else _("%(name)s (under warranty)", name=line.name),
            "product_uom_qty": line.quantity,
            "product_uom": line.product_id.uom_id.id,
            "price_unit": 0.0 if line.warranty_covered else line.price_unit,
            "tax_id": [fields.Command.set(line.tax_ids.ids)],
            "service_quote_line_id": line.id,
            "sequence": line.sequence,
        }
