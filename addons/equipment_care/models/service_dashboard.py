from odoo import _, api, models


class ServiceDashboard(models.AbstractModel):
    _inherit = "service.dashboard"

    @api.model
    def _dashboard_figures(self, start, end):
        """Tool room figure of the service overview: tools in use whose
        calibration is overdue (they cannot be checked out)."""
        figures = super()._dashboard_figures(start, end)
        Tool = self.env["maintenance.equipment"]
        if Tool.has_access("read"):
            domain = [("is_tool", "=", True), ("calibration_overdue", "=", True)]
            count = Tool.search_count(domain)
            figures.append(
                self._count_figure(
                    "tools_calibration_overdue",
                    _("Tools Overdue for Calibration"),
                    count,
                    90,
                    "danger",
                    "equipment_care.maintenance_equipment_action_tool",
                    domain,
                    _("Tools whose next calibration date has passed."),
                )
            )
        return figures
