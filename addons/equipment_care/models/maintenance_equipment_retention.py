from odoo import models


class MaintenanceEquipment(models.Model):
    """Equipment files under records retention: archived equipment is
    read-only except for archivists, and opening, printing or exporting it is
    logged."""

    _name = "maintenance.equipment"
    _inherit = ["maintenance.equipment", "service.retention.mixin"]
