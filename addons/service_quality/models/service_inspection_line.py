from odoo import api, fields, models


class ServiceInspectionLine(models.Model):
    _name = "service.inspection.line"
    _description = "Inspection Checklist Line"
    _order = "inspection_id, sequence, id"

    inspection_id = fields.Many2one(
        "service.inspection", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Checklist Item", required=True)
    result = fields.Selection(
        [("pass", "Pass"), ("fail", "Fail"), ("na", "Not Applicable")], index=True
    )
    note = fields.Text()
    corrective_action_ids = fields.One2many(
        "service.corrective.action", "inspection_line_id", string="Corrective Actions"
    )
    state = fields.Selection(related="inspection_id.state")
    company_id = fields.Many2one(related="inspection_id.company_id", store=True, index=True)

    @api.constrains("result", "inspection_id")
    def _check_done_answered(self):
        self.inspection_id._check_done_answered()
