from odoo import fields, models


class ServiceTeam(models.Model):
    _name = "service.team"
    _description = "Service Team"
    _inherit = ["mail.thread"]
    _order = "sequence, name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    leader_id = fields.Many2one(
        "res.users", string="Team Leader", tracking=True, check_company=True
    )
    member_ids = fields.Many2many(
        "res.users", string="Members", check_company=True
    )
    calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        check_company=True,
        help="Working calendar used for SLA deadlines. Defaults to the company's.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
