from odoo import fields, models


class EquipmentCarePlan(models.Model):
    _inherit = "equipment.care.plan"

    part_ids = fields.One2many(
        "equipment.care.plan.part",
        "plan_id",
        string="Parts per Maintenance",
        copy=True,
        help="Spare parts each maintenance of the plan uses on one tool: counted in the parts "
        "demand forecast for the plan's due dates of the coming weeks.",
    )
