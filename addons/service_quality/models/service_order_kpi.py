from odoo import api, fields, models


class ServiceOrder(models.Model):
    """KPI inputs on service orders: rework links for the first-time-fix
    rate, and complaint counts for the smart button."""

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
    complaint_count = fields.Integer(compute="_compute_complaint_count")

    @api.depends("complaint_ids")
    def _compute_complaint_count(self):
        counts = dict(
            self.env["service.complaint"]._read_group(
                [("service_order_id", "in", self.ids)], ["service_order_id"], ["__count"]
            )
        )
        for order in self:
            order.complaint_count = counts.get(order, 0)

    def action_view_complaints(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Complaints"),
            "res_model": "service.complaint",
            "view_mode": "list,form",
            "domain": [("service_order_id", "=", self.id)],
            "context": {
                "default_service_order_id": self.id,
                "default_partner_id": self.partner_id.id,
            },
        }
