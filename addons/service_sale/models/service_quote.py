from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError

PRICE_GROUPS = "service_sale.group_service_prices"


class ServiceQuote(models.Model):
    """One version of the quote of a service order. A version is edited as a
    draft, sent, then accepted or rejected by the customer; a change after
    that is a new version, and every version is kept."""

    _name = "service.quote"
    _description = "Service Quote Version"
    _inherit = ["service.workflow.mixin", "mail.thread"]
    _order = "order_id, version desc"
    _check_company_auto = True
    _workflow_fields = ("state", "signed_on", "decided_on")

    name = fields.Char(compute="_compute_name", store=True)
    order_id = fields.Many2one(
        "service.order", required=True, index=True, ondelete="cascade", check_company=True
    )
    partner_id = fields.Many2one(related="order_id.partner_id", store=True, index=True)
    version = fields.Integer(required=True, default=1, readonly=True, copy=False)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("sent", "Sent"),
            ("accepted", "Accepted"),
            ("rejected", "Rejected"),
            ("superseded", "Superseded"),
        ],
        default="draft",
        required=True,
        index=True,
        tracking=True,
        copy=False,
    )
    line_ids = fields.One2many("service.quote.line", "quote_id", string="Lines", copy=True)
    pricelist_id = fields.Many2one(
        "product.pricelist",
        compute="_compute_pricelist_id",
        store=True,
        readonly=False,
        check_company=True,
    )
    currency_id = fields.Many2one(
        "res.currency", compute="_compute_currency_id", store=True, readonly=True
    )
    fiscal_position_id = fields.Many2one(
        "account.fiscal.position",
        compute="_compute_fiscal_position_id",
        store=True,
        readonly=False,
        check_company=True,
    )
    amount_untaxed = fields.Monetary(compute="_compute_amounts", store=True, groups=PRICE_GROUPS)
    amount_tax = fields.Monetary(
        string="Taxes", compute="_compute_amounts", store=True, groups=PRICE_GROUPS
    )
    amount_total = fields.Monetary(
        string="Total", compute="_compute_amounts", store=True, groups=PRICE_GROUPS
    )
    warranty_value = fields.Monetary(
        string="Given Under Warranty",
        compute="_compute_amounts",
        store=True,
        groups=PRICE_GROUPS,
        help="Untaxed value of the lines done free under warranty.",
    )
    has_chargeable = fields.Boolean(
        compute="_compute_amounts", store=True, string="Chargeable Lines"
    )
    signature = fields.Binary(copy=False, attachment=True)
    signed_by = fields.Char(copy=False)
    signed_on = fields.Datetime(copy=False)
    decided_on = fields.Datetime(string="Decided On", copy=False)
    reject_reason = fields.Text(copy=False)
    company_id = fields.Many2one(related="order_id.company_id", store=True, index=True)

    _sql_constraints = [
        ("order_version_unique", "UNIQUE(order_id, version)", "A quote version exists twice."),
    ]

    @api.depends("order_id.name", "version")
    def _compute_name(self):
        for quote in self:
            quote.name = f"{quote.order_id.name or ''}-V{quote.version}"

    @api.depends("order_id.partner_id")
    def _compute_pricelist_id(self):
        for quote in self:
            if quote.state == "draft" or not quote.pricelist_id:
                quote.pricelist_id = quote.order_id.partner_id.property_product_pricelist

    @api.depends("pricelist_id", "order_id.company_id")
    def _compute_currency_id(self):
        for quote in self:
            quote.currency_id = (
                quote.pricelist_id.currency_id or quote.order_id.company_id.currency_id
            )

    @api.depends("order_id.partner_id")
    def _compute_fiscal_position_id(self):
        FiscalPosition = self.env["account.fiscal.position"]
        for quote in self:
            partner = quote.order_id.partner_id
            quote.fiscal_position_id = (
                FiscalPosition.with_company(quote.company_id)._get_fiscal_position(partner)
                if partner
                else False
            )

    @api.depends(
        "line_ids.price_subtotal", "line_ids.price_tax", "line_ids.warranty_value",
        "line_ids.warranty_covered",
    )  # fmt: skip
    def _compute_amounts(self):
        for quote in self:
            lines = quote.line_ids
            quote.amount_untaxed = sum(lines.mapped("price_subtotal"))
            quote.amount_tax = sum(lines.mapped("price_tax"))
            quote.amount_total = quote.amount_untaxed + quote.amount_tax
            quote.warranty_value = sum(lines.mapped("warranty_value"))
            quote.has_chargeable = any(not line.warranty_covered for line in lines)

    def _workflow_actions_hint(self, field_names):
        return _("the quote buttons (Send, Accept, Reject, New Version)")

    @api.model_create_multi
    def create(self, vals_list):
        todo = [vals for vals in vals_list if "version" not in vals and vals.get("order_id")]
        if todo:
            last = dict(
                self.sudo()._read_group(
                    [("order_id", "in", [vals["order_id"] for vals in todo])],
                    ["order_id"],
                    ["version:max"],
                )
            )
            last = {order.id: version for order, version in last.items()}
            for vals in todo:
                last[vals["order_id"]] = last.get(vals["order_id"], 0) + 1
                vals["version"] = last[vals["order_id"]]
        return super().create(vals_list)

    def write(self, vals):
        frozen = {"line_ids", "pricelist_id", "fiscal_position_id"} & set(vals)
        if frozen:
            self._check_editable()
        if {"signature", "signed_by"} & set(vals) and not self._workflow_allowed():
            for quote in self.filtered(lambda q: q.state != "sent"):
                raise UserError(
                    _(
                        "Quote %(name)s is not waiting for the customer's signature.",
                        name=quote.name,
                    )
                )
        return super().write(vals)

    def _check_editable(self):
        for quote in self:
            if quote.state != "draft":
                raise UserError(
                    _(
                        "Quote %(name)s is %(state)s: create a new version to change it.",
                        name=quote.name,
                        state=dict(self._fields["state"]._description_selection(self.env))[
                            quote.state
                        ],
                    )
                )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_send(self):
        """Send the quote: the customer receives it with a signed link to
        accept or reject it (portal, no login needed)."""
        template = self.env.ref("service_sale.mail_template_service_quote")
        for quote in self:
            if quote.state != "draft":
                raise UserError(_("Quote %(name)s was already sent.", name=quote.name))
            if not quote.line_ids:
                raise UserError(_("Quote %(name)s has no lines.", name=quote.name))
            quote._workflow_write({"state": "sent"})
            order = quote.order_id
            order._portal_ensure_token()
            if not order.partner_id.email:
                order.message_post(
                    body=_(
                        "Quote %(name)s is ready; the customer has no email address: share "
                        "the link or have it signed on site.",
                        name=quote.name,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
                continue
            template.send_mail(
                quote.id, force_send=False, email_layout_xmlid="mail.mail_notification_light"
            )
            order.message_post(
                body=_(
                    "Quote %(name)s sent to %(email)s for acceptance.",
                    name=quote.name,
                    email=order.partner_id.email,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_accept(self, signature=None, signed_by=None):
        """Acceptance by the customer (portal, signed link, or signed on the
        technician's screen in the back-end)."""
        now = fields.Datetime.now()
        for quote in self:
            if quote.state != "sent":
                raise UserError(
                    _("Quote %(name)s is not waiting for the customer's answer.", name=quote.name)
                )
            signature = signature or quote.signature
            signed_by = signed_by or quote.signed_by
            if not (signature and signed_by):
                raise UserError(
                    _(
                        "Quote %(name)s: the customer's name and signature are required to "
                        "accept it.",
                        name=quote.name,
                    )
                )
            previous = quote.order_id.quote_ids.filtered(
                lambda q, current=quote: q != current and q.state == "accepted"
            )
            previous._workflow_write({"state": "superseded"})
            quote._workflow_write(
                {
                    "state": "accepted",
                    "signature": signature,
                    "signed_by": signed_by,
                    "signed_on": now,
                    "decided_on": now,
                }
            )
            quote.order_id.message_post(
                body=_(
                    "Quote %(name)s accepted and signed by %(who)s.", name=quote.name, who=signed_by
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_reject(self, reason=None):
        """Rejection by the customer: the order is cancelled and, if its
        category says so, the diagnosis fee is invoiced."""
        now = fields.Datetime.now()
        for quote in self:
            if quote.state != "sent":
                raise UserError(
                    _("Quote %(name)s is not waiting for the customer's answer.", name=quote.name)
                )
            reason = (reason or quote.reject_reason or "").strip()
            quote.reject_reason = reason
            quote._workflow_write({"state": "rejected", "decided_on": now})
            order = quote.order_id
            has_accepted = order.quote_ids.filtered(lambda q: q.state == "accepted")
            if has_accepted:
                # a rejected change keeps the accepted version in force
                order.message_post(
                    body=_(
                        "Quote %(name)s rejected; version %(version)s stays in force.",
                        name=quote.name,
                        version=has_accepted[:1].version,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
                continue
            order.sudo()._service_quote_rejected(quote)
        return True

    def action_new_version(self):
        """Copy the latest version as a new draft (the accepted one stays in
        force until the new one is accepted)."""
        self.ensure_one()
        latest = self.order_id.quote_ids.sorted("version", reverse=True)[:1]
        if latest.state == "draft":
            raise UserError(
                _("Quote %(name)s is still a draft: change it instead.", name=latest.name)
            )
        new = latest.copy({"order_id": latest.order_id.id})
        return {
            "type": "ir.actions.act_window",
            "res_model": "service.quote",
            "res_id": new.id,
            "view_mode": "form",
            "target": "current",
        }

    def _prepare_sale_line_vals(self):
        """Sale order lines of the accepted version; warranty lines at zero."""
        return [Command.create(line._prepare_sale_line_vals()) for line in self.line_ids]
