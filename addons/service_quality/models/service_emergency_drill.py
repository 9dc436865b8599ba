from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import is_html_empty


class ServiceEmergencyDrill(models.Model):
    """A drill of an emergency plan: when, who took part, what was found and
    what follows (activities given to the people who act on the findings)."""

    _name = "service.emergency.drill"
    _description = "Emergency Drill"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    plan_id = fields.Many2one(
        "service.emergency.plan",
        string="Emergency Plan",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    participant_ids = fields.Many2many("res.users", string="Participants", check_company=True)
    findings = fields.Html()
    follow_up = fields.Text(
        string="Follow-up Actions",
        help="What must change after the drill; give each person an activity.",
    )
    state = fields.Selection(
        [("planned", "Planned"), ("done", "Done")],
        default="planned",
        required=True,
        tracking=True,
        index=True,
    )
    company_id = fields.Many2one(
        related="plan_id.company_id", store=True, index=True, precompute=True
    )

    @api.depends("plan_id.name", "date")
    def _compute_name(self):
        for drill in self:
            drill.name = f"{drill.plan_id.name or ''} {fields.Date.to_string(drill.date) or ''}"

    def action_done(self):
        for drill in self:
            if drill.state != "planned":
                raise UserError(_("Drill %(name)s is already done.", name=drill.name))
            missing = []
            if not drill.participant_ids:
                missing.append(_("participants"))
            if is_html_empty(drill.findings):
                missing.append(_("findings"))
            if missing:
                raise UserError(
                    _(
                        "Drill %(name)s cannot be done, missing: %(missing)s.",
                        name=drill.name,
                        missing=", ".join(missing),
                    )
                )
        self.write({"state": "done"})
        self.plan_id._refresh_drill_overdue()
        return True
