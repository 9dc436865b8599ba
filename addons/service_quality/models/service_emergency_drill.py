from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import is_html_empty


class ServiceEmergencyDrill(models.Model):
    """A drill of an emergency plan: when, who took part, what was found and
    what follows: each follow-up is a corrective action with an owner and a
    deadline, reminded and checked for effectiveness like any other."""

    _name = "service.emergency.drill"
    _description = "Emergency Drill"
    _inherit = ["service.workflow.mixin", "mail.thread", "mail.activity.mixin"]
    _workflow_fields = ("state",)
    _workflow_moves = {"done": ("planned",)}
    # a done drill is the record of the drill: what happened stays; its
    # follow-ups (corrective actions) go on
    _workflow_final_states = ("done",)
    _workflow_evidence_fields = ("plan_id", "date", "participant_ids", "findings", "follow_up")
    _workflow_reopen_states = {"done": "planned"}
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
        string="Follow-up Notes",
        help="What must change after the drill; each change is a corrective action below.",
    )
    corrective_action_ids = fields.One2many(
        "service.corrective.action", "drill_id", string="Corrective Actions"
    )
    corrective_action_count = fields.Integer(compute="_compute_corrective_action_count")
    open_action_count = fields.Integer(
        string="Open Actions", compute="_compute_corrective_action_count"
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

    @api.depends("plan_id.name", "date")
    @api.depends_context("lang")
    def _compute_display_name(self):
        """The plan's name in the reader's language (the stored ``name`` is
        in the language of whoever planned the drill)."""
        for drill in self:
            date = fields.Date.to_string(drill.date) or ""
            drill.display_name = f"{drill.plan_id.name or ''} {date}".strip()

    @api.depends("corrective_action_ids.state")
    def _compute_corrective_action_count(self):
        counts = {
            (drill, state): count
            for drill, state, count in self.env["service.corrective.action"]._read_group(
                [("drill_id", "in", self.ids)], ["drill_id", "state"], ["__count"]
            )
        }
        for drill in self:
            drill.corrective_action_count = sum(
                count for (d, _state), count in counts.items() if d == drill
            )
            drill.open_action_count = counts.get((drill, "open"), 0)

    def action_view_corrective_actions(self):
        self.ensure_one()
        return self.env["service.corrective.action"]._action_for("drill_id", self)

    def _workflow_actions_hint(self, field_names):
        return _("the Drill Done button")

    def action_done(self):
        for drill in self:
            if drill.state != "planned":
                raise UserError(_("Drill %(name)s is already done.", name=drill.name))
            missing = []
            if not drill.participant_ids:
                missing.append(_("participants"))
            if is_html_empty(drill.findings):
                missing.append(_("findings"))
            if (drill.follow_up or "").strip() and not drill.corrective_action_ids:
                missing.append(_("a corrective action for the follow-up notes"))
            if missing:
                raise UserError(
                    _(
                        "Drill %(name)s cannot be done, missing: %(missing)s.",
                        name=drill.name,
                        missing=", ".join(missing),
                    )
                )
        self._workflow_move("done")
        self.plan_id._refresh_drill_overdue()
        return True
