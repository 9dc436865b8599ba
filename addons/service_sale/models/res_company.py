from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    service_post_invoice = fields.Boolean(
        string="Post Service Invoices",
        default=True,
        help="Post the invoice of a done service order at once (else it stays a draft "
        "for the accountant).",
    )
