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
    member_ids = fields.Many2many("res.users", string="Members", check_company=True)
    calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        check_company=True,
        help="Working calendar used for SLA deadlines. Defaults to the company's.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    order_ids = fields.One2many("service.order", "team_id", string="Orders")
    open_order_count = fields.Integer(compute="_compute_open_order_count")

    def _compute_open_order_count(self):
        counts = dict(
            self.env["service.order"]._read_group(
                [("team_id", "in", self.ids), ("state", "not in", ("done", "closed", "cancelled"))],
                ["team_id"],
                ["__count"],
            )
        )
        for team in self:
            team.open_order_count = counts.get(team, 0)

    def action_view_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "service_quality.service_order_action"
        )
        action["domain"] = [("team_id", "=", self.id)]
        action["context"] = {"default_team_id": self.id}
        return action
