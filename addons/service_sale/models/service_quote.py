import base64
import binascii

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.mimetypes import guess_mimetype

PRICE_GROUPS = "service_sale.group_service_prices"
# Set when the quote is created (the order it quotes, its number among the
# order's versions, and what follows from the order): never written after.
SYSTEM_FIELDS = ("order_id", "version", "partner_id", "company_id", "name")
# States a new version replaces: the customer can no longer answer them.
OPEN_STATES = ("draft", "sent")


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
    # a decided version is what the customer answered: kept as it was
    _workflow_final_states = ("accepted", "rejected", "superseded")
    _workflow_evidence_fields = (
        *SYSTEM_FIELDS,
        "line_ids",
        "pricelist_id",
        "fiscal_position_id",
        "signature",
        "signed_by",
        "signed_on",
        "decided_on",
        "reject_reason",
    )

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
        # the version is the quote's number among its order's: the system's
        if any("version" in vals for vals in vals_list) or "default_version" in self.env.context:
            raise UserError(_("Quote versions are numbered by the system: leave the version out."))
        orders = self.env["service.order"].browse(
            {vals["order_id"] for vals in vals_list if vals.get("order_id")}
        )
        orders._check_quote_allowed()
        if orders:
            # sudo: versions the user may not see still count
            last = dict(
                self.sudo()._read_group(
                    [("order_id", "in", orders.ids)], ["order_id"], ["version:max"]
                )
            )
            last = {order.id: version for order, version in last.items()}
            for vals in vals_list:
                if vals.get("order_id"):
                    last[vals["order_id"]] = last.get(vals["order_id"], 0) + 1
                    vals["version"] = last[vals["order_id"]]
        quotes = super().create(vals_list)
        quotes._supersede_older_versions()
        return quotes

    def write(self, vals):
        self._check_system_fields(vals)
        if {"line_ids", "pricelist_id", "fiscal_position_id"} & vals.keys():
            self._check_editable()
        # decided versions: their evidence lock says why, before the signature
        # check below
        self._check_evidence_write(vals)
        if {"signature", "signed_by"} & vals.keys() and not self._workflow_allowed():
            for quote in self.filtered(lambda q: q.state != "sent"):
                raise UserError(
                    _(
                        "Quote %(name)s is not waiting for the customer's signature.",
                        name=quote.name,
                    )
                )
        if vals.get("signature"):
            self._check_signature_data(vals["signature"])
        return super().write(vals)

    def _check_system_fields(self, vals):
        """Refuse a change of the fields set when the quote is created, for
        ``sudo()`` too; only the workflow itself may."""
        if self.sudo(False)._workflow_allowed():
            return
        for name in SYSTEM_FIELDS:
            if name not in vals:
                continue
            value = vals[name]
            value = value.id if isinstance(value, models.BaseModel) else value
            for quote in self:
                current = quote.sudo()[name]
                current = current.id if isinstance(current, models.BaseModel) else current
                if (current or False) != (value or False):
                    raise UserError(
                        _(
                            "Quote %(name)s: %(field)s is set by the system when the quote is "
                            "created and cannot be changed.",
                            name=quote.name,
                            field=self._fields[name]._description_string(self.env),
                        )
                    )

    def _check_editable(self):
        labels = dict(self._fields["state"]._description_selection(self.env))
        for quote in self:
            if quote.state != "draft":
                raise UserError(
                    _(
                        "Quote %(name)s is %(state)s: its lines and prices can no longer be "
                        "changed; create a new version to change it.",
                        name=quote.name,
                        state=labels[quote.state],
                    )
                )

    def _check_signature_data(self, signature):
        """Refuse a signature that is not an image in base64."""
        try:
            data = base64.b64decode(signature, validate=True)
        except (binascii.Error, TypeError, ValueError):
            data = None
        if not data or not guess_mimetype(data).startswith("image/"):
            raise UserError(
                _(
                    "Quote %(name)s: the signature is not a valid image.",
                    name=", ".join(self.mapped("name")),
                )
            )

    def _check_answerable(self):
        self.ensure_one()
        if self.state != "sent":
            raise UserError(
                _("Quote %(name)s is not waiting for the customer's answer.", name=self.name)
            )

    def _check_latest(self):
        """Refuse a decision on a version the order has replaced."""
        for quote in self:
            latest = quote.order_id.quote_id
            if quote != latest:
                raise UserError(
                    _(
                        "Quote %(name)s is an old version: the latest version of order "
                        "%(order)s is %(latest)s.",
                        name=quote.name,
                        order=quote.order_id.name,
                        latest=latest.name,
                    )
                )

    def _check_decision(self):
        """Every check of sending, accepting or rejecting ``self``, before
        anything is written: the latest version of an order still quoted.
        The orders are locked first: a concurrent decision waits, then is
        retried on the state this one leaves."""
        self.order_id._service_lock_rows()
        self._check_latest()
        self.order_id._check_quote_allowed()

    def _supersede_older_versions(self):
        """A new version replaces the older ones the customer has not
        answered: they can no longer be sent, accepted or rejected. The
        accepted version stays in force until the new one is accepted."""
        for quote in self:
            older = quote.order_id.quote_ids.filtered(
                lambda q, new=quote: q.version < new.version and q.state in OPEN_STATES
            )
            if older:
                older._workflow_write({"state": "superseded"})

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_send(self):
        """Send the quote: the customer receives it with a signed link to
        accept or reject it (portal, no login needed)."""
        template = self.env.ref("service_sale.mail_template_service_quote")
        self._check_decision()
        for quote in self:
            if quote.state != "draft":
                raise UserError(_("Quote %(name)s was already sent.", name=quote.name))
            if not quote.line_ids:
                raise UserError(_("Quote %(name)s has no lines.", name=quote.name))
        for quote in self:
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
        self._check_decision()
        signatures = {}
        for quote in self:
            quote._check_answerable()
            quote_signature = signature or quote.signature
            quote_signed_by = signed_by or quote.signed_by
            if not (quote_signature and quote_signed_by):
                raise UserError(
                    _(
                        "Quote %(name)s: the customer's name and signature are required to "
                        "accept it.",
                        name=quote.name,
                    )
                )
            quote._check_signature_data(quote_signature)
            signatures[quote] = (quote_signature, quote_signed_by)
        for quote, (quote_signature, quote_signed_by) in signatures.items():
            previous = quote.order_id.quote_ids.filtered(
                lambda q, current=quote: q != current and q.state == "accepted"
            )
            previous._workflow_write({"state": "superseded"})
            quote._workflow_write(
                {
                    "state": "accepted",
                    "signature": quote_signature,
                    "signed_by": quote_signed_by,
                    "signed_on": now,
                    "decided_on": now,
                }
            )
            quote.order_id.message_post(
                body=_(
                    "Quote %(name)s accepted and signed by %(who)s.",
                    name=quote.name,
                    who=quote_signed_by,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def action_reject(self, reason=None):
        """Rejection by the customer: the order is cancelled and, if its
        category says so, the diagnosis fee is invoiced."""
        now = fields.Datetime.now()
        self._check_decision()
        for quote in self:
            quote._check_answerable()
        for quote in self:
            quote.reject_reason = (reason or quote.reject_reason or "").strip()
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
        """Copy the latest version of each order as a new draft (the accepted
        one stays in force until the new one is accepted; the one waiting for
        the customer is superseded)."""
        orders = self.order_id
        orders._service_lock_rows()
        orders._check_quote_allowed()
        vals_list = []
        for order in orders:
            latest = order.quote_id
            if latest.state == "draft":
                raise UserError(
                    _("Quote %(name)s is still a draft: change it instead.", name=latest.name)
                )
            # sudo: the new version keeps the prices of the previous one,
            # which a technician quoting the order may not see
            vals_list += latest.sudo().copy_data({"order_id": order.id})
        new = self.create(vals_list)
        if len(new) == 1:
            return {
                "type": "ir.actions.act_window",
                "res_model": "service.quote",
                "res_id": new.id,
                "view_mode": "form",
                "target": "current",
            }
        return {
            "type": "ir.actions.act_window",
            "name": _("New Quote Versions"),
            "res_model": "service.quote",
            "domain": [("id", "in", new.ids)],
            "view_mode": "list,form",
            "target": "current",
        }

    def _prepare_sale_line_vals(self):
        """Sale order lines of the accepted version; warranty lines at zero."""
        return [Command.create(line._prepare_sale_line_vals()) for line in self.line_ids]
