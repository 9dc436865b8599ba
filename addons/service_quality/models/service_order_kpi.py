from odoo import fields, models


class ServiceOrder(models.Model):
    """KPI inputs on service orders: rework links for the first-time-fix
    rate, and the order's complaints."""

    _inherit = "service.order"

    rework_of_id = fields.Many2one(
        "service.order",
        string="Rework Of",
        index="btree_not_null",
        copy=False,
        check_company=True,
        help="Set when this order repeats the work of an earlier order: that "
        "earlier order then no longer counts as fixed the first time when "
        "this one comes within 30 days of its resolution.",
    )
    rework_ids = fields.One2many("service.order", "rework_of_id", string="Rework Orders")
    complaint_ids = fields.One2many("service.complaint", "service_order_id", string="Complaints")
