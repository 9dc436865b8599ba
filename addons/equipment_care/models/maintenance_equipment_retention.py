from odoo import models


class MaintenanceEquipment(models.Model):
    """Equipment files under records retention: archived equipment is
    read-only except for archivists, and opening, printing or exporting it is
    logged."""

    _name = "maintenance.equipment"
    _inherit = ["maintenance.equipment", "service.retention.mixin"]

    def _retention_dependents(self):
        """A tool's file is the tool with its retirement, check-outs,
        maintenance requests (faults and care), calibrations and own care
        plans: destroyed as a whole, the restricted references first."""
        env = self.env(context=dict(self.env.context, active_test=False))
        domain = [("equipment_id", "in", self.ids)]
        return [
            *super()._retention_dependents(),
            (env["equipment.retirement"].search(domain), "equipment_id"),
            (env["equipment.checkout"].search(domain), "equipment_id"),
            (env["maintenance.request"].search(domain), "equipment_id"),
            (env["equipment.calibration"].search(domain), "equipment_id"),
            (env["equipment.care.plan"].search(domain), "equipment_id"),
        ]
