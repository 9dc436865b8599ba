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

    def _workflow_locked_fields(self):
        # the tools are part of what management approved
        return (*super()._workflow_locked_fields(), "tool_ids")

    def _resource_shortages(self):
        shortages = super()._resource_shortages()
        statuses = dict(
            self.env["maintenance.equipment"]
            ._fields["care_status"]
            ._description_selection(self.env)
        )
        # sudo: the plan tells whoever reads it that a tool it holds is not
        # available, archived tools included (their files are the archivists')
        for plan in self:
            for tool in plan.sudo().with_context(active_test=False).tool_ids:
                if not tool.active or tool.care_status in UNAVAILABLE_STATUSES:
                    status = statuses.get(tool.care_status) if tool.active else _("Archived")
                    shortages.setdefault(plan.id, []).append(
                        _("Tool %(tool)s: %(status)s", tool=tool.display_name, status=status)
                    )
        return shortages

    @api.model
    def _short_plan_ids(self):
        ids = super()._short_plan_ids()
        # sudo: archived tools count too (see ``_resource_shortages``)
        tools = (
            self.env["maintenance.equipment"]
            .sudo()
            .with_context(active_test=False)
            .search(["|", ("active", "=", False), ("care_status", "in", UNAVAILABLE_STATUSES)])
        )
        if tools:
            plans = self.with_context(active_test=False).search(
                [("active", "=", True), ("tool_ids", "in", tools.ids)]
            )
            ids |= set(plans.ids)
        return ids
