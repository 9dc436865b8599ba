from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    group_service_technician_prices = fields.Boolean(
        string="Technicians See Prices",
        implied_group="service_sale.group_service_prices",
        group="service_quality.group_service_user",
        help="Technicians see unit prices and totals of service quotes (dispatchers always do).",
    )
    service_post_invoice = fields.Boolean(related="company_id.service_post_invoice", readonly=False)
