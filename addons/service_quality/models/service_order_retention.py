from odoo import api, fields, models


class ServiceOrder(models.Model):
    """Service orders under records retention (archiving, lock, access log)."""

    _name = "service.order"
    _inherit = ["service.order", "service.retention.mixin"]

    closed_at = fields.Datetime(
        string="Closed On", readonly=True, copy=False, index=True, help="When the order was closed."
    )
    contract_end_date = fields.Date(
        string="Contract End",
        index=True,
        tracking=True,
        help="End of the service contract covering this order: the order is kept at least "
        "two years after it.",
    )

    def write(self, vals):
        if vals.get("state") == "closed" and "closed_at" not in vals:
            vals = dict(vals, closed_at=fields.Datetime.now())
        return super().write(vals)

    def _retention_dependents(self):
        """An order's file includes its customer feedback."""
        feedback = self.env["service.feedback"].search([("service_order_id", "in", self.ids)])
        return [*super()._retention_dependents(), (feedback, "service_order_id")]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("state") == "closed" and not vals.get("closed_at"):
                vals["closed_at"] = fields.Datetime.now()
        return super().create(vals_list)
