from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .service_installed_product import MAX_WARRANTY_MONTHS


class ProductTemplate(models.Model):
    _inherit = "product.template"

    service_warranty_months = fields.Integer(
        string="Manufacturer Warranty (Months)",
        help="Warranty of the product counted from its installation (or sale) date. "
        "Zero: no manufacturer warranty.",
    )

    _sql_constraints = [
        (
            "service_warranty_months_positive",
            "CHECK(service_warranty_months >= 0)",
            "The warranty period of a product cannot be negative.",
        ),
    ]

    @api.constrains("service_warranty_months")
    def _check_service_warranty_months(self):
        for template in self:
            template._check_service_warranty_months_value(
                template.service_warranty_months, template.name
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if "service_warranty_months" in vals:
                # before the database overflows on it
                self._check_service_warranty_months_value(
                    vals["service_warranty_months"], vals.get("name")
                )
        return super().create(vals_list)

    def write(self, vals):
        if "service_warranty_months" in vals:
            for template in self:
                template._check_service_warranty_months_value(
                    vals["service_warranty_months"], template.name
                )
        return super().write(vals)

    def _check_service_warranty_months_value(self, months, name):
        try:
            value = int(months or 0)
        except (TypeError, ValueError, OverflowError):
            return  # not a number: refused by the field's conversion
        if value <= MAX_WARRANTY_MONTHS:
            return  # a negative period is refused by the SQL constraint
        raise ValidationError(
            _(
                "Product %(name)s: the manufacturer warranty must be at most %(max)s months, "
                "not %(months)s.",
                name=name,
                max=MAX_WARRANTY_MONTHS,
                months=months,
            )
        )
