from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    service_notify_email = fields.Boolean(
        string="Tell Customers by Email",
        default=True,
        help="Email customers at each step of their service orders and complaints.",
    )
    service_notify_sms = fields.Boolean(
        string="Tell Customers by SMS",
        default=True,
        help="Text customers at each step of their service orders and complaints, through the "
        "SMS provider of the company.",
    )
