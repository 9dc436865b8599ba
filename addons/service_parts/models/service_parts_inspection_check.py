from odoo import fields, models


class ServicePartsInspectionCheck(models.Model):
    _name = "service.parts.inspection.check"
    _description = "Incoming Inspection Checkpoint"
    _order = "categ_id, sequence, id"

    sequence = fields.Integer(default=10)
    name = fields.Char(string="Checkpoint", required=True, translate=True)
    categ_id = fields.Many2one(
        "product.category", string="Product Category", required=True, index=True, ondelete="cascade"
    )
    instructions = fields.Text(translate=True)
    active = fields.Boolean(default=True)
