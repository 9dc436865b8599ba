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

    @api.model_create_multi
    def create(self, vals_list):
        inspections = self.env["service.inspection"].browse(
            [vals["inspection_id"] for vals in vals_list if vals.get("inspection_id")]
        )
        inspections._check_evidence_write({"line_ids": True})
        return super().create(vals_list)

    def write(self, vals):
        # the checklist of a finished inspection is part of its record
        if set(vals) & {"inspection_id", "sequence", "name", "result", "note"}:
            self.inspection_id._check_evidence_write({"line_ids": True})
            if "inspection_id" in vals:
                self.inspection_id.browse(vals["inspection_id"])._check_evidence_write(
                    {"line_ids": True}
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        self.inspection_id._check_evidence_write({"line_ids": True})

    @api.constrains("result", "inspection_id")
    def _check_done_answered(self):
        self.inspection_id._check_done_answered()
