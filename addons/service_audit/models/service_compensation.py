from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError


class ServiceCompensation(models.Model):
    """Returns, exchanges, recalls and compensation given to customers,
    linked to the complaint (and order) they settle, approved by a manager
    and counted in the KPI figures."""

    _name = "service.compensation"
    _description = "Return, Exchange or Compensation"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"

    name = fields.Char(required=True, readonly=True, copy=False, default="New")
    kind = fields.Selection(
        [
            ("return", "Return"),
            ("exchange", "Exchange"),
            ("recall", "Recall"),
            ("compensation", "Compensation"),
        ],
        required=True,
        index=True,
        tracking=True,
    )
    date = fields.Date(required=True, index=True, default=fields.Date.context_today)
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True)
    complaint_id = fields.Many2one(
        "service.complaint", index=True, ondelete="restrict", check_company=True
    )
    service_order_id = fields.Many2one(
        "service.order", index=True, ondelete="restrict", check_company=True
    )
    product_id = fields.Many2one("product.product", index=True)
    appliance = fields.Char(help="Appliance concerned (brand, model, serial number).")
    amount = fields.Monetary(tracking=True)
    currency_id = fields.Many2one(
        "res.currency", required=True, default=lambda self: self.env.company.currency_id
    )
    reason = fields.Text(required=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("approved", "Approved"),
            ("done", "Done"),
            ("rejected", "Rejected"),
        ],
        required=True,
        default="draft",
        index=True,
        tracking=True,
        readonly=True,
    )
    approved_by_id = fields.Many2one("res.users", readonly=True, string="Decided By")
    approved_on = fields.Datetime(readonly=True, string="Decided On")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    _sql_constraints = [
        ("amount_positive", "CHECK(amount >= 0)", "The amount cannot be negative."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        seq = self.env["ir.sequence"]
        for vals in vals_list:
            if vals.get("name", "New") == "New":
                vals["name"] = seq.next_by_code("service.compensation") or "New"
        return super().create(vals_list)

    @api.onchange("complaint_id")
    def _onchange_complaint_id(self):
        for record in self.filtered("complaint_id"):
            record.partner_id = record.complaint_id.partner_id
            record.service_order_id = record.complaint_id.service_order_id

    @api.onchange("service_order_id")
    def _onchange_service_order_id(self):
        for record in self.filtered("service_order_id"):
            record.partner_id = record.partner_id or record.service_order_id.partner_id
            record.appliance = record.appliance or record.service_order_id.appliance

    @api.constrains("complaint_id", "service_order_id", "kind")
    def _check_origin(self):
        for record in self:
            if not record.complaint_id and not record.service_order_id:
                raise ValidationError(
                    _(
                        "%(name)s must be linked to the complaint or the service order it settles.",
                        name=record.name,
                    )
                )

    def action_approve(self):
        if not self.env.user.has_group("service_quality.group_service_manager"):
            raise AccessError(_("Only a service manager can approve returns and compensation."))
        for record in self:
            if record.state != "draft":
                raise UserError(_("%(name)s is not waiting for approval.", name=record.name))
            if record.kind == "compensation" and not record.amount:
                raise UserError(
                    _("Compensation %(name)s has no amount to approve.", name=record.name)
                )
        self.write(
            {
                "state": "approved",
                "approved_by_id": self.env.uid,
                "approved_on": fields.Datetime.now(),
            }
        )
        return True

    def action_reject(self):
        if not self.env.user.has_group("service_quality.group_service_manager"):
            raise AccessError(_("Only a service manager can reject returns and compensation."))
        for record in self:
            if record.state != "draft":
                raise UserError(_("%(name)s is not waiting for approval.", name=record.name))
        self.write(
            {
                "state": "rejected",
                "approved_by_id": self.env.uid,
                "approved_on": fields.Datetime.now(),
            }
        )
        return True

    def action_done(self):
        for record in self:
            if record.state != "approved":
                raise UserError(
                    _("%(name)s must be approved before it is carried out.", name=record.name)
                )
        self.write({"state": "done"})
        return True
