from odoo import fields, models


class MaintenanceEquipment(models.Model):
    _inherit = "maintenance.equipment"

    tool_code = fields.Char(string="Tool Code", copy=False, index=True, tracking=True)
    care_status = fields.Selection(
        [
            ("available", "Available"),
            ("checked_out", "Checked Out"),
            ("in_repair", "In Repair"),
            ("calibration_due", "Calibration Due"),
            ("blocked", "Blocked"),
            ("retired", "Retired"),
        ],
        string="Care Status",
        default="available",
        required=True,
        index=True,
        tracking=True,
    )
    next_inspection_date = fields.Date(index=True)
    next_calibration_date = fields.Date(index=True)

    _sql_constraints = [
        ("tool_code_uniq", "unique(tool_code)", "The tool code must be unique."),
    ]
