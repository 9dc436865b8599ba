from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, is_html_empty

# What an approved plan says: changed only by revising it (reopened by a
# service manager with a reason, then approved again).
APPROVED_CONTENT = (
    "name",
    "risk",
    "risk_level",
    "trigger",
    "contacts",
    "steps",
    "resources",
    "tools",
    "parts",
    "date_start",
    "drill_interval_months",
    "responsible_id",
    "team_id",
    "company_id",
)


class ServiceEmergencyPlan(models.Model):
    """Emergency plan: what can go wrong, what starts the plan, whom to
    call, the steps, the resources and the tools and parts to hold, and how
    often the plan is drilled. A plan whose next drill date has passed is
    flagged overdue by a daily job that gives its responsible an activity.

    Management approves it: a dispatcher submits the plan, a service manager
    who did not submit it approves it. An approved plan is locked; it is
    revised by reopening it (a service manager, with a reason, logged) and
    approving it again."""

    _name = "service.emergency.plan"
    _description = "Emergency Plan"
    _inherit = [
        "service.workflow.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "service.notify.mixin",
        "service.cron.mixin",
    ]
    _order = "drill_overdue desc, next_drill_date, name"
    _check_company_auto = True
    _workflow_fields = ("state", "submitted_by_id", "approved_by_id", "approved_on")
    _workflow_moves = {
        "submitted": ("draft",),
        "approved": ("submitted",),
        "draft": ("submitted",),
    }
    _workflow_final_states = ("approved",)
    _workflow_evidence_fields = (
        *APPROVED_CONTENT,
        "submitted_by_id",
        "approved_by_id",
        "approved_on",
    )
    _workflow_reopen_states = {"approved": "draft"}

    name = fields.Char(required=True, translate=True, tracking=True)
    active = fields.Boolean(default=True)
    risk = fields.Text(required=True, help="What can go wrong and what it endangers.")
    risk_level = fields.Selection(
        [("low", "Low"), ("medium", "Medium"), ("high", "High")],
        default="medium",
        required=True,
        tracking=True,
    )
    trigger = fields.Text(help="The events or readings that start the plan.")
    contacts = fields.Text(help="Who to call, in order, with their numbers.")
    steps = fields.Html(help="What to do, step by step.")
    resources = fields.Text(help="People, vehicles and outside help the plan relies on.")
    tools = fields.Text(
        string="Tool Notes",
        help="Notes on the tools and instruments kept ready (the tools themselves are listed "
        "from the tool register when Equipment Care is installed).",
    )
    parts = fields.Text(
        string="Part Notes",
        help="Notes on the spare parts and materials kept in stock (the parts themselves are "
        "listed with their quantities when Service Parts is installed).",
    )
    date_start = fields.Date(
        string="In Force Since",
        required=True,
        default=fields.Date.context_today,
        help="The first drill is due one interval after this date.",
    )
    drill_interval_months = fields.Integer(
        string="Drill Every (Months)", default=6, required=True, tracking=True
    )
    responsible_id = fields.Many2one(
        "res.users",
        string="Responsible",
        required=True,
        default=lambda self: self.env.user,
        check_company=True,
        tracking=True,
    )
    team_id = fields.Many2one(
        "service.team",
        string="On-Duty Team",
        check_company=True,
        help="Team paged by the emergency orders of this plan.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    state = fields.Selection(
        [("draft", "Draft"), ("submitted", "Submitted"), ("approved", "Approved")],
        default="draft",
        required=True,
        index=True,
        tracking=True,
        copy=False,
    )
    submitted_by_id = fields.Many2one("res.users", readonly=True, copy=False, tracking=True)
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False, tracking=True)
    approved_on = fields.Date(readonly=True, copy=False, tracking=True)
    drill_ids = fields.One2many("service.emergency.drill", "plan_id", string="Drills")
    drill_count = fields.Integer(compute="_compute_drill_count")
    last_drill_date = fields.Date(compute="_compute_drill_dates", store=True)
    next_drill_date = fields.Date(compute="_compute_drill_dates", store=True, index=True)
    drill_overdue = fields.Boolean(
        copy=False,
        readonly=True,
        index=True,
        help="The next drill date has passed without a drill done (set by a daily job).",
    )
    resource_short = fields.Boolean(
        string="Resources Short",
        compute="_compute_resource_shortage",
        search="_search_resource_short",
        help="A tool to hold is not available or a part to hold is below its quantity.",
    )
    resource_shortage = fields.Text(
        string="Shortages",
        compute="_compute_resource_shortage",
        help="What the plan holds short: tools not available, parts below their quantity.",
    )

    _sql_constraints = [
        (
            "drill_interval_positive",
            "CHECK(drill_interval_months > 0)",
            "The drill interval of an emergency plan must be at least one month.",
        ),
    ]

    def _compute_drill_count(self):
        counts = dict(
            self.env["service.emergency.drill"]._read_group(
                [("plan_id", "in", self.ids)], ["plan_id"], ["__count"]
            )
        )
        for plan in self:
            plan.drill_count = counts.get(plan, 0)

    def _compute_resource_shortage(self):
        shortages = self._resource_shortages()
        for plan in self:
            lines = shortages.get(plan.id, [])
            plan.resource_short = bool(lines)
            plan.resource_shortage = "\n".join(lines)

    def _search_resource_short(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Unsupported search on emergency plans short of resources."))
        ids = self._short_plan_ids()
        positive = (operator == "=") == value
        return [("id", "in" if positive else "not in", list(ids))]

    @api.depends("drill_ids.state", "drill_ids.date", "drill_interval_months", "date_start")
    def _compute_drill_dates(self):
        for plan in self:
            done = plan.drill_ids.filtered(lambda d: d.state == "done" and d.date)
            last = max(done.mapped("date")) if done else False
            start = last or plan.date_start or fields.Date.context_today(plan)
            plan.last_drill_date = last
            plan.next_drill_date = start + relativedelta(months=plan.drill_interval_months)

    def write(self, vals):
        res = super().write(vals)
        if {"drill_interval_months", "date_start"} & set(vals):
            self._refresh_drill_overdue()
        return res

    # ------------------------------------------------------------------
    # Approval
    # ------------------------------------------------------------------
    def _workflow_actions_hint(self, field_names):
        return _("the Submit, Approve, Back to Draft and Revise buttons")

    def _workflow_check_move(self, target):
        super()._workflow_check_move(target)
        if self.env.su:
            return
        user = self.env.user
        if target == "submitted" and not user.has_group("service_quality.group_service_dispatcher"):
            raise AccessError(
                _(
                    "Emergency plan %(name)s: only a dispatcher can submit an emergency plan.",
                    name=self[:1].display_name,
                )
            )
        if target in ("approved", "draft") and not user.has_group(
            "service_quality.group_service_manager"
        ):
            if target == "approved" or self.filtered(lambda plan: plan.submitted_by_id != user):
                raise AccessError(
                    _(
                        "Emergency plan %(name)s: only a service manager can approve an "
                        "emergency plan or send it back to draft.",
                        name=self[:1].display_name,
                    )
                )

    def action_submit(self):
        self._workflow_check_move("submitted")
        for plan in self:
            if is_html_empty(plan.steps):
                raise UserError(
                    _(
                        "Emergency plan %(name)s has no steps: write what to do before "
                        "submitting it.",
                        name=plan.display_name,
                    )
                )
        self._workflow_move("submitted", {"submitted_by_id": self.env.uid})
        return True

    def action_approve(self):
        self._workflow_check_move("approved")
        self._check_approver_not_requester(
            "submitted_by_id",
            _("Emergency plan %(name)s was submitted by you: another manager must approve it."),
        )
        self._workflow_move(
            "approved",
            {"approved_by_id": self.env.uid, "approved_on": fields.Date.context_today(self)},
        )
        return True

    def action_draft(self):
        """Back to draft from submitted: sent back by a manager, or withdrawn
        by the dispatcher who submitted it."""
        return self._workflow_move("draft", {"submitted_by_id": False})

    def _workflow_reopen_values(self, target):
        self.ensure_one()
        return {"submitted_by_id": False, "approved_by_id": False, "approved_on": False}

    def _refresh_drill_overdue(self):
        """Clear the overdue flag of plans whose next drill is not yet due
        (a drill was done or the interval changed)."""
        today = fields.Date.context_today(self)
        self.filtered(
            lambda p: p.drill_overdue and p.next_drill_date and p.next_drill_date >= today
        ).sudo().write({"drill_overdue": False})

    def _resource_shortages(self):
        """{plan id: [one line per resource held short]} for ``self``; the
        addons that give the plan its tools and parts add theirs."""
        return {}

    @api.model
    def _short_plan_ids(self):
        """Ids of the plans (of the user's companies) holding a resource
        short; extended like ``_resource_shortages``."""
        return set()

    def action_plan_drill(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Drills"),
            "res_model": "service.emergency.drill",
            "view_mode": "list,form",
            "domain": [("plan_id", "=", self.id)],
            "context": {"default_plan_id": self.id},
        }

    @api.model
    def _cron_flag_overdue_drills(self, batch_size=500):
        """Flag the plans whose drill is overdue and give their responsible
        an activity, one locked batch per call (each plan once: the flag is
        cleared when a drill is done)."""
        today = fields.Date.context_today(self)
        condition = SQL(
            "active AND NOT COALESCE(drill_overdue, FALSE) AND next_drill_date < %s", today
        )
        plans = self._cron_lock_batch(condition, batch_size)
        if plans:
            plans.write({"drill_overdue": True})
            bodies = {}
            assignments = []
            # the note and the activity are read by the plan's responsible
            readers = {plan.id: plan.responsible_id for plan in plans}
            for part in plans._notify_by_lang(readers):
                local_time = part.env["service.local.time"]
                for plan in part:
                    bodies[plan.id] = part.env._(
                        "Drill overdue: plan %(plan)s was due for a drill on %(date)s.",
                        plan=plan.name,
                        date=local_time._format_local_date(plan.next_drill_date),
                    )
                    assignments.append(
                        {
                            "res_id": plan.id,
                            "user_id": plan.responsible_id.id,
                            "summary": part.env._("Hold the overdue emergency drill"),
                        }
                    )
            plans._notify_log_batch(bodies)
            plans._notify_schedule_batch(
                self.env.ref("service_quality.mail_activity_type_emergency_drill"), assignments
            )
        return self._cron_done(len(plans), self._cron_count(condition))
