from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .service_order_selections import PRIORITIES

# Criteria counted when ranking matching policies: the more of them a policy
# sets, the more specific it is.
MATCH_FIELDS = ("category_ids", "priority", "partner_ids", "partner_category_ids", "team_ids")


class ServiceSlaPolicy(models.Model):
    _name = "service.sla.policy"
    _description = "Service SLA Policy"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    category_ids = fields.Many2many(
        "service.category", string="Categories", help="Leave empty to match any category."
    )
    priority = fields.Selection(
        PRIORITIES,
        help="Leave empty to match any priority.",
    )
    partner_ids = fields.Many2many(
        "res.partner", string="Customers", help="Leave empty to match any customer."
    )
    partner_category_ids = fields.Many2many(
        "res.partner.category", string="Customer Tags", help="Leave empty to match any tag."
    )
    team_ids = fields.Many2many(
        "service.team", string="Teams", check_company=True, help="Leave empty to match any team."
    )
    response_hours = fields.Float(default=24.0, required=True)
    resolve_hours = fields.Float(default=48.0, required=True)
    warning_percent = fields.Integer(default=80, required=True)
    use_24x7 = fields.Boolean(
        string="24x7",
        help="Count deadlines in plain hours, ignoring working hours and holidays.",
    )
    calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        check_company=True,
        help="Working calendar for the deadlines. Empty: the team's, else the company's.",
    )
    escalation_user_ids = fields.Many2many(
        "res.users",
        string="Escalation Users",
        help="Receive an activity when an order under this policy breaches its SLA.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    @api.constrains("response_hours", "resolve_hours", "warning_percent")
    def _check_hours(self):
        for policy in self:
            if policy.response_hours <= 0 or policy.resolve_hours <= 0:
                raise ValidationError(
                    _(
                        "SLA policy %(name)s: response and resolution hours must be "
                        "greater than zero.",
                        name=policy.name,
                    )
                )
            if policy.resolve_hours < policy.response_hours:
                raise ValidationError(
                    _(
                        "SLA policy %(name)s: the resolution time cannot be shorter "
                        "than the response time.",
                        name=policy.name,
                    )
                )
            if not 1 <= policy.warning_percent <= 100:
                raise ValidationError(
                    _(
                        "SLA policy %(name)s: the warning threshold must be between 1 "
                        "and 100 percent.",
                        name=policy.name,
                    )
                )

    def _specificity(self):
        self.ensure_one()
        return sum(1 for name in MATCH_FIELDS if self[name])

    def _matches(self, order_vals):
        """``order_vals``: dict with category, priority, partner (record), team."""
        self.ensure_one()
        if self.category_ids and order_vals["category"] not in self.category_ids:
            return False
        if self.priority and self.priority != order_vals["priority"]:
            return False
        partner = order_vals["partner"]
        if self.partner_ids and not (
            partner in self.partner_ids or partner.commercial_partner_id in self.partner_ids
        ):
            return False
        if self.partner_category_ids and not (
            self.partner_category_ids
            & (partner.category_id | partner.commercial_partner_id.category_id)
        ):
            return False
        if self.team_ids and order_vals["team"] not in self.team_ids:
            return False
        return True

    def _select_for(self, order_vals):
        """Most specific matching policy in ``self`` (ties: sequence order)."""
        best = self.browse()
        best_rank = -1
        for policy in self:
            if policy._matches(order_vals):
                rank = policy._specificity()
                if rank > best_rank:
                    best, best_rank = policy, rank
        return best
