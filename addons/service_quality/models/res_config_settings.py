from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    service_notify_email = fields.Boolean(related="company_id.service_notify_email", readonly=False)
    service_notify_sms = fields.Boolean(related="company_id.service_notify_sms", readonly=False)
