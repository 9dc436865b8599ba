from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ServiceContractLinePart(models.Model):
    _name = "service.contract.line.part"
    _description = "Part Planned per Maintenance Visit"
    _order = "line_id, id"

    line_id = fields.Many2one(
        "service.contract.line", required=True, index=True, ondelete="cascade"
    )
    product_id = fields.Many2one(
        "product.product", string="Part", required=True, domain="[('is_storable', '=', True)]"
    )
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure", required=True)
    company_id = fields.Many2one(
        related="line_id.company_id", store=True, index=True, precompute=True
    )

    @api.constrains("quantity")
    def _check_quantity(self):
        for part in self:
            if part.quantity <= 0:
                raise ValidationError(
                    _(
                        "Contract %(contract)s: the quantity of %(part)s per visit must be "
                        "positive.",
                        contract=part.line_id.contract_id.display_name,
                        part=part.product_id.display_name,
                    )
                )
