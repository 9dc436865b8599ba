from odoo import fields, models


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
