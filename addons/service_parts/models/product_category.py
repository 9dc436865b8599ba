from odoo import fields, models


class ProductCategory(models.Model):
    _inherit = "product.category"

    incoming_inspection = fields.Boolean(
        help="Receipts of products of this category open an incoming inspection with the "
        "checklist below."
    )
    inspection_check_ids = fields.One2many(
        "service.parts.inspection.check", "categ_id", string="Inspection Checklist"
    )
