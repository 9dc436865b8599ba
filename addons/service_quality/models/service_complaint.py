from odoo import api, fields, models


class ServiceComplaint(models.Model):
    _name = "service.complaint"
    _description = "Service Complaint"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "received_at desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="New", index=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True
    )
    service_order_id = fields.Many2one(
        "service.order", string="Service Order", index=True, check_company=True, tracking=True
    )
    technician_id = fields.Many2one(
        "res.users",
        related="service_order_id.user_id",
        store=True,
        index=True,
        string="Technician",
    )
    channel = fields.Selection(
        [
            ("phone", "Phone"),
            ("email", "Email"),
            ("web", "Website"),
            ("portal", "Portal"),
            ("walk_in", "Walk-in"),
            ("feedback", "Low Feedback Score"),
            ("other", "Other"),
        ],
        default="phone",
        required=True,
    )
    severity = fields.Selection(
        [("general", "General"), ("major", "Major")],
        default="general",
        required=True,
        tracking=True,
        index=True,
    )
    received_at = fields.Datetime(default=fields.Datetime.now, required=True, index=True)
    description = fields.Html()
    state = fields.Selection(
        [
            ("new", "New"),
            ("acknowledged", "Acknowledged"),
            ("investigating", "Investigating"),
            ("action", "Action"),
            ("resolved", "Resolved"),
            ("closed", "Closed"),
        ],
        default="new",
        required=True,
        tracking=True,
        index=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "New") == "New":
                vals["name"] = self.env["ir.sequence"].next_by_code("service.complaint") or "New"
        return super().create(vals_list)
