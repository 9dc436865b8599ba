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
        company_dependent=True,
        tracking=True,
        copy=False,
        help="Set, per company, by the company's confirmed supplier evaluations. Blocked: "
        "the company's purchase orders to the supplier cannot be confirmed and its "
        "replenishment skips him; conditional: only a purchase manager confirms them.",
    )
    supplier_evaluation_ids = fields.One2many(
        "service.supplier.evaluation", "partner_id", string="Supplier Evaluations"
    )
