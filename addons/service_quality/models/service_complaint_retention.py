from odoo import api, fields, models


class ServiceComplaint(models.Model):
    """Complaints under records retention (archiving, lock, access log)."""

    _name = "service.complaint"
    _inherit = ["service.complaint", "service.retention.mixin"]

    closed_at = fields.Datetime(
        string="Closed On",
        readonly=True,
        copy=False,
        index=True,
        help="When the complaint was closed.",
    )

    def write(self, vals):
        if vals.get("state") == "closed" and "closed_at" not in vals:
            vals = dict(vals, closed_at=fields.Datetime.now())
        return super().write(vals)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("state") == "closed" and not vals.get("closed_at"):
                vals["closed_at"] = fields.Datetime.now()
        return super().create(vals_list)
