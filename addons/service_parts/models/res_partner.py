from odoo import fields, models

SUPPLIER_STATUS = [
    ("approved", "Approved"),
    ("conditional", "Conditional"),
    ("blocked", "Blocked"),
]


class ResPartner(models.Model):
    _inherit = "res.partner"

    supplier_status = fields.Selection(
        SUPPLIER_STATUS,
        tracking=True,
        index=True,
        copy=False,
        help="Set by the confirmed supplier evaluations. Blocked: purchase orders to the "
        "supplier cannot be confirmed and replenishment skips him; conditional: only a "
        "purchase manager confirms them.",
    )
    supplier_evaluation_ids = fields.One2many(
        "service.supplier.evaluation", "partner_id", string="Supplier Evaluations"
    )
