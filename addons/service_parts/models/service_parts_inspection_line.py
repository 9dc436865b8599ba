from odoo import fields, models


class ServicePartsInspectionLine(models.Model):
    _name = "service.parts.inspection.line"
    _description = "Incoming Inspection Result"
    _order = "inspection_id, sequence, id"

    inspection_id = fields.Many2one(
        "service.parts.inspection", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    check_id = fields.Many2one("service.parts.inspection.check", string="Checklist Item")
    name = fields.Char(string="Checkpoint", required=True)
    instructions = fields.Text()
    result = fields.Selection([("pass", "Pass"), ("fail", "Fail")])
    note = fields.Char()
    company_id = fields.Many2one(related="inspection_id.company_id", store=True, index=True)
