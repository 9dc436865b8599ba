from odoo import fields, models


class ServiceSlaPolicy(models.Model):
    _name = "service.sla.policy"
    _description = "Service SLA Policy"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    response_hours = fields.Float(default=24.0, required=True)
    resolve_hours = fields.Float(default=48.0, required=True)
    warning_percent = fields.Integer(default=80, required=True)
    calendar_id = fields.Many2one("resource.calendar", string="Working Hours", check_company=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
