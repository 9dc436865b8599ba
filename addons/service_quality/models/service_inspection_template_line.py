from odoo import fields, models


class ServiceInspectionTemplateLine(models.Model):
    _name = "service.inspection.template.line"
    _description = "Inspection Template Checklist Item"
    _order = "template_id, sequence, id"

    template_id = fields.Many2one(
        "service.inspection.template", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Checklist Item", required=True, translate=True)
