from odoo import fields, models


class ServiceCategory(models.Model):
    _inherit = "service.category"

    labour_product_id = fields.Many2one(
        "product.product",
        string="Labour Product",
        domain="[('type', '=', 'service')]",
        help="Service product whose price (from the customer's pricelist) is the hourly rate "
        "of labour lines.",
    )
    diagnosis_fee_product_id = fields.Many2one(
        "product.product",
        string="Diagnosis Fee",
        domain="[('type', '=', 'service')]",
        help="Charged (and invoiced) when the customer rejects the quote. Empty: no fee.",
    )
