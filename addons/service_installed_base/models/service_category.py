from odoo import fields, models


class ServiceCategory(models.Model):
    _inherit = "service.category"

    is_installation = fields.Boolean(
        string="Installation",
        help="A done order of this category registers its product in the customer's "
        "installed base (installation date = acceptance date).",
    )
    repair_warranty_days = fields.Integer(
        string="Repair Warranty (Days)",
        default=90,
        help="A new order of this category on the same installed product within this many "
        "days of the previous one's completion is a repeat repair, done free of charge.",
    )

    _sql_constraints = [
        (
            "repair_warranty_days_positive",
            "CHECK(repair_warranty_days >= 0)",
            "The repair warranty cannot be negative.",
        ),
    ]
