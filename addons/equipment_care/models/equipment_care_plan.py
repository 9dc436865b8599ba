from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

PLAN_DEFAULTS = {
    # plan type: (interval in days, created ahead by days)
    "daily_check": (1, 0),
    "quarterly": (91, 14),
    "annual_overhaul": (365, 30),
    "calibration": (365, 30),
}
# requests created per ``create`` call by the care-plan job
CREATE_CHUNK = 1000


class EquipmentCarePlan(models.Model):
    _name = "equipment.care.plan"
    _description = "Equipment Care Plan"
    _inherit = ["service.cron.mixin", "mail.thread"]
    _order = "plan_type, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    plan_type = fields.Selection(
        [
            ("daily_check", "Daily Check"),
            ("quarterly", "Quarterly Maintenance"),
            ("annual_overhaul", "Annual Overhaul"),
            ("calibration", "Calibration"),
        ],
        required=True,
        default="quarterly",
        tracking=True,
    )
    equipment_id = fields.Many2one(
        "maintenance.equipment", string="Tool", index=True, check_company=True, ondelete="cascade"
    )
    category_id = fields.Many2one(
        "maintenance.equipment.category",
        string="Equipment Category",
        index=True,
        ondelete="cascade",
    )
    interval_days = fields.Integer(
        string="Every (days)",
        compute="_compute_plan_defaults",
        store=True,
        readonly=False,
        required=True,
        precompute=True,
    )
    lead_days = fields.Integer(
        string="Created Ahead (days)",
        compute="_compute_plan_defaults",
        store=True,
        readonly=False,
        precompute=True,
        help="How many days before the due date the maintenance request is created.",
    )
    start_date = fields.Date(
        string="First Due",
        required=True,
        default=fields.Date.context_today,
        help="Due date of the first request; afterwards the next date follows "
        "the actual completion.",
    )
    duration = fields.Float(string="Duration (hours)", default=1.0)
    maintenance_team_id = fields.Many2one("maintenance.team", string="Team", check_company=True)
    technician_user_id = fields.Many2one("res.users", string="Technician")
    instructions = fields.Html()
    request_ids = fields.One2many("maintenance.request", "care_plan_id", string="Requests")
    request_count = fields.Integer(compute="_compute_request_count")
    active = fields.Boolean(default=True)
    requests_generated_on = fields.Date(
        readonly=True, copy=False, help="Last day the scheduled job generated this plan's requests."
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    @api.depends("plan_type")
    def _compute_plan_defaults(self):
        for plan in self:
            plan.interval_days, plan.lead_days = PLAN_DEFAULTS[plan.plan_type or "quarterly"]

    def _compute_request_count(self):
        counts = dict(
            self.env["maintenance.request"]._read_group(
                [("care_plan_id", "in", self.ids)], ["care_plan_id"], ["__count"]
            )
        )
        for plan in self:
            plan.request_count = counts.get(plan, 0)

    @api.constrains("lead_days", "interval_days", "equipment_id", "category_id")
    def _check_plan(self):
        for plan in self:
            if bool(plan.equipment_id) == bool(plan.category_id):
                raise ValidationError(
                    _(
                        "Plan %(name)s applies to one tool or to one equipment category, not both "
                        "and not neither.",
                        name=plan.name,
                    )
                )
            if plan.interval_days <= 0 or plan.lead_days < 0:
                raise ValidationError(
                    _(
                        "Plan %(name)s: the interval must be at least one day and the lead time "
                        "cannot be negative.",
                        name=plan.name,
                    )
                )
            if plan.plan_type != "daily_check" and plan.lead_days >= plan.interval_days:
                raise ValidationError(
                    _(
                        "Plan %(name)s: the lead time must be shorter than the interval.",
                        name=plan.name,
                    )
                )

    def action_view_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "maintenance.hr_equipment_request_action"
        )
        action["domain"] = [("care_plan_id", "=", self.id)]
        action["context"] = {"default_care_plan_id": self.id}
        return action

    def action_generate_requests(self):
        return self._generate_requests()

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _get_tools(self):
        """``{plan: tools}`` of the plans in ``self`` (active tools that are not
        retired): the plan's tool, or the tools of its category in its company
        or shared. One search for all the category plans."""
        Tool = self.env["maintenance.equipment"]
        category_plans = self.filtered("category_id")
        by_category = {}
        if category_plans:
            tools = Tool.search(
                [
                    ("category_id", "in", category_plans.category_id.ids),
                    ("company_id", "in", [*category_plans.company_id.ids, False]),
                    ("care_status", "!=", "retired"),
                ],
                order="id",
            )
            for tool in tools:
                by_category.setdefault(tool.category_id.id, []).append(tool)
        result = {}
        for plan in self:
            if plan.equipment_id:
                candidates = plan.equipment_id
            else:
                candidates = Tool.concat(
                    *(
                        tool
                        for tool in by_category.get(plan.category_id.id, ())
                        if not tool.company_id or tool.company_id == plan.company_id
                    )
                )
            result[plan] = candidates.filtered(lambda t: t.active and t.care_status != "retired")
        return result

    def _next_due_dates(self, tools_by_plan):
        """``{plan: {tool_id: due date}}`` for the tools of each plan that have
        no open request of it: the first due date, then the last completion
        plus the interval (the next date follows the actual completion). Two
        grouped queries whatever the number of plans and tools."""
        requests = self.env["maintenance.request"].with_context(active_test=False)
        base = [("care_plan_id", "in", self.ids)]
        open_pairs = {
            (plan.id, tool.id)
            for plan, tool in requests._read_group(
                [*base, ("stage_id.done", "=", False)], ["care_plan_id", "equipment_id"]
            )
        }
        last_done = {
            (plan.id, tool.id): close_date
            for plan, tool, close_date in requests._read_group(
                [*base, ("stage_id.done", "=", True), ("close_date", "!=", False)],
                ["care_plan_id", "equipment_id"],
                ["close_date:max"],
            )
        }
        result = {}
        for plan in self:
            due = result[plan] = {}
            for tool in tools_by_plan.get(plan, ()):
                key = (plan.id, tool.id)
                if key in open_pairs:
                    continue
                if plan.plan_type == "calibration" and tool.next_calibration_date:
                    due[tool.id] = tool.next_calibration_date
                elif key in last_done:
                    due[tool.id] = last_done[key] + relativedelta(days=plan.interval_days)
                else:
                    due[tool.id] = plan.start_date
        return result

    def _generate_requests(self):
        """Create the preventive requests due within the lead time; a tool with
        an open request of the plan gets none, so running twice is harmless.
        The plans are handled together: one lock, one tool search, two grouped
        reads and one ``create`` whatever their number."""
        if not self:
            return self.env["maintenance.request"]
        today = fields.Date.context_today(self)
        # Two runs at once: the second skips the plans the first is working on.
        self.env.cr.execute(
            SQL(
                "SELECT id FROM equipment_care_plan WHERE id IN %s FOR UPDATE SKIP LOCKED",
                tuple(self.ids),
            )
        )
        locked = {row[0] for row in self.env.cr.fetchall()}
        plans = self.filtered(lambda p: p.id in locked)
        tools_by_plan = plans._get_tools()
        due_by_plan = plans._next_due_dates(tools_by_plan)
        vals_list = []
        for plan in plans:
            tools = tools_by_plan[plan]
            for tool_id, due in due_by_plan[plan].items():
                if due - relativedelta(days=plan.lead_days) > today:
                    continue
                tool = tools.browse(tool_id)
                team = plan.maintenance_team_id or tool.maintenance_team_id
                vals_list.append(
                    {
                        "name": "%s: %s" % (plan.name, tool.display_name),
                        "equipment_id": tool.id,
                        "care_plan_id": plan.id,
                        "maintenance_type": "preventive",
                        "request_date": today,
                        "schedule_date": fields.Datetime.to_datetime(due) + relativedelta(hours=8),
                        "duration": plan.duration,
                        "user_id": (plan.technician_user_id or tool.technician_user_id).id,
                        "description": plan.instructions,
                        "company_id": plan.company_id.id,
                    }
                    | ({"maintenance_team_id": team.id} if team else {})
                )
        Request = self.env["maintenance.request"]
        created = []
        for start in range(0, len(vals_list), CREATE_CHUNK):
            created += Request.create(vals_list[start : start + CREATE_CHUNK]).ids
            # memory stays flat however many tools a category has
            self.env.flush_all()
            self.env.invalidate_all()
        return Request.browse(created)

    @api.model
    def _cron_generate_requests(self, batch_size=50):
        """Generate the due requests of the plans not handled yet today
        (``requests_generated_on``): one locked batch of plans per call."""
        today = fields.Date.context_today(self)
        condition = SQL(
            "active AND (requests_generated_on IS NULL OR requests_generated_on < %s)", today
        )
        plans = self._cron_lock_batch(condition, batch_size)
        plans._generate_requests()
        plans.write({"requests_generated_on": today})
        return self._cron_done(len(plans), self._cron_count(condition))
