from odoo import api, models


class ServiceOrder(models.Model):
    """The technician's day: the Service app opens on his agenda."""

    _inherit = "service.order"

    @api.model
    def _action_service_home(self):
        """First screen of the Service app: the agenda (today's and upcoming
        appointments) for technicians, the order list for the office
        (dispatchers, quality inspectors, managers, archivists)."""
        user = self.env.user
        office = any(
            user.has_group(group)
            for group in (
                "service_quality.group_service_dispatcher",
                "service_quality.group_quality_inspector",
                "service_quality.group_archivist",
            )
        )
        xmlid = (
            "service_quality.service_order_action"
            if office
            else "service_quality.service_order_action_agenda"
        )
        return self.env["ir.actions.act_window"]._for_xml_id(xmlid)
