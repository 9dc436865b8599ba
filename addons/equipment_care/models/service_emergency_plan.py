from odoo import _, api, fields, models

# Care statuses in which a tool cannot be taken out for an emergency.
UNAVAILABLE_STATUSES = ("in_repair", "calibration_due", "blocked", "retired")


class ServiceEmergencyPlan(models.Model):
    """The tools an emergency plan holds, taken from the tool register: a
    tool in repair, due for calibration, blocked, retired or archived puts
    the plan short of resources."""

    _inherit = "service.emergency.plan"

    tool_ids = fields.Many2many(
        "maintenance.equipment",
        "service_emergency_plan_tool_rel",
        "plan_id",
        "equipment_id",
        string="Tools",
        check_company=True,
        context={"active_test": False},
        domain="[('is_tool', '=', True), ('active', '=', True)]",
        help="Tools from the register kept ready for this plan.",
    )
    unavailable_tool_ids = fields.Many2many(
        "maintenance.equipment",
        string="Tools Not Available",
        compute="_compute_unavailable_tool_ids",
        help="Tools of the plan in repair, due for calibration, blocked, retired or archived.",
    )

    @api.depends("tool_ids.care_status", "tool_ids.active")
    def _compute_unavailable_tool_ids(self):
        for plan in self:
            plan.unavailable_tool_ids = plan.tool_ids.filtered(
                lambda t: not t.active or t.care_status in UNAVAILABLE_STATUSES
            )

    def _resource_shortages(self):
        shortages = super()._resource_shortages()
        statuses = dict(
            self.env["maintenance.equipment"]
            ._fields["care_status"]
            ._description_selection(self.env)
        )
        for plan in self:
            for tool in plan.with_context(active_test=False).tool_ids:
                if not tool.active or tool.care_status in UNAVAILABLE_STATUSES:
                    status = statuses.get(tool.care_status) if tool.active else _("Archived")
                    shortages.setdefault(plan.id, []).append(
                        _("Tool %(tool)s: %(status)s", tool=tool.display_name, status=status)
                    )
        return shortages

    @api.model
    def _short_plan_ids(self):
        ids = super()._short_plan_ids()
        tools = (
            self.env["maintenance.equipment"]
            .with_context(active_test=False)
            .search(["|", ("active", "=", False), ("care_status", "in", UNAVAILABLE_STATUSES)])
        )
        if tools:
            ids |= set(self.search([("tool_ids", "in", tools.ids)]).ids)
        return ids
