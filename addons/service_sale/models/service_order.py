from collections import defaultdict

from markupsafe import Markup

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

PRICE_GROUPS = "service_sale.group_service_prices"
# States in which the technician works on the order.
WORK_STATES = ("in_progress", "to_accept")
# States in which the order is quoted: a quote is made, sent, accepted or
# rejected until the work is finished (the customer's answer then changes
# nothing: the work is done, the order closed or cancelled).
QUOTE_STATES = ("new", "assessed", "approved", "scheduled", "in_progress")


class ServiceOrder(models.Model):
    _inherit = "service.order"

    quote_ids = fields.One2many("service.quote", "order_id", string="Quote Versions")
    quote_id = fields.Many2one(
        "service.quote",
        string="Current Quote",
        compute="_compute_quote_id",
        store=True,
        index="btree_not_null",
        help="Latest version of the quote.",
    )
    quote_state = fields.Selection(related="quote_id.state", string="Quote Status", store=True)
    quote_version = fields.Integer(related="quote_id.version", string="Quote Version")
    quote_accepted_id = fields.Many2one(
        "service.quote",
        compute="_compute_quote_id",
        store=True,
        string="Accepted Quote",
        help="Version in force: the last one the customer accepted.",
    )
    quote_in_force_id = fields.Many2one(
        "service.quote",
        compute="_compute_quote_id",
        store=True,
        index="btree_not_null",
        string="Quote in Force",
        help="The accepted version, else the latest one when nothing in it is charged "
        "(warranty work needs no acceptance).",
    )
    quote_line_ids = fields.One2many(
        related="quote_id.line_ids", string="Quote Lines", readonly=True
    )
    quote_total = fields.Monetary(
        related="quote_id.amount_total", string="Quote Total", groups=PRICE_GROUPS
    )
    quote_currency_id = fields.Many2one(related="quote_id.currency_id", string="Quote Currency")
    sale_order_ids = fields.One2many("sale.order", "service_order_id", string="Sales Orders")
    sale_order_count = fields.Integer(compute="_compute_sale_figures")
    invoice_ids = fields.Many2many(
        "account.move", compute="_compute_sale_figures", string="Invoices"
    )
    invoice_count = fields.Integer(compute="_compute_sale_figures")
    payment_state = fields.Selection(
        [
            ("none", "Nothing to Invoice"),
            ("to_invoice", "To Invoice"),
            ("not_paid", "Not Paid"),
            ("partial", "Partially Paid"),
            ("in_payment", "In Payment"),
            ("paid", "Paid"),
        ],
        compute="_compute_payment_state",
        store=True,
        index=True,
        string="Payment Status",
        copy=False,
    )
    revenue = fields.Monetary(
        compute="_compute_payment_state",
        store=True,
        groups=PRICE_GROUPS,
        help="Untaxed amount invoiced for the order (posted invoices, net of credit notes).",
    )

    @api.depends("quote_ids.state", "quote_ids.version", "quote_ids.has_chargeable")
    def _compute_quote_id(self):
        for order in self:
            versions = order.quote_ids.sorted("version", reverse=True)
            latest = versions[:1]
            accepted = versions.filtered(lambda q: q.state == "accepted")[:1]
            order.quote_id = latest
            order.quote_accepted_id = accepted
            free = latest if latest.line_ids and not latest.has_chargeable else latest.browse()
            order.quote_in_force_id = accepted or free

    @api.depends("sale_order_ids.invoice_ids.state")
    def _compute_sale_figures(self):
        for order in self:
            order.sale_order_count = len(order.sale_order_ids)
            order.invoice_ids = order.sale_order_ids.invoice_ids
            order.invoice_count = len(order.invoice_ids)

    @api.depends(
        "sale_order_ids.invoice_ids.payment_state",
        "sale_order_ids.invoice_ids.state",
        "sale_order_ids.invoice_status",
    )
    def _compute_payment_state(self):
        for order in self:
            moves = order.sale_order_ids.invoice_ids.filtered(lambda m: m.state == "posted")
            order.revenue = sum(moves.mapped("amount_untaxed_signed"))
            invoices = moves.filtered(lambda m: m.move_type == "out_invoice")
            if not order.sale_order_ids or (
                not invoices and not any(order.sale_order_ids.mapped("amount_total"))
            ):
                order.payment_state = "none"
            elif not invoices:
                order.payment_state = "to_invoice"
            else:
                states = set(invoices.mapped("payment_state"))
                if states <= {"paid", "reversed"}:
                    order.payment_state = "paid"
                elif states <= {"paid", "in_payment", "reversed"}:
                    order.payment_state = "in_payment"
                elif states & {"paid", "in_payment", "partial"}:
                    order.payment_state = "partial"
                else:
                    order.payment_state = "not_paid"

    # ------------------------------------------------------------------
    # Workflow
    # ------------------------------------------------------------------
    def _check_transition_requirements(self, new_state):
        super()._check_transition_requirements(new_state)
        if new_state not in WORK_STATES:
            return
        quote = self.quote_id
        if not quote or not quote.has_chargeable:
            return
        if quote.state != "accepted":
            raise UserError(
                _(
                    "Order %(name)s: the customer has not accepted quote %(quote)s yet; work "
                    "on chargeable lines cannot start.",
                    name=self.name,
                    quote=quote.name,
                )
            )

    def action_accept(self):
        # two acceptances of one order at once: the second waits for the
        # first, then is retried (serialization failure) and told the order
        # is already done, instead of failing halfway through the invoicing
        self._service_lock_rows()
        res = super().action_accept()
        self._service_invoice()
        return res

    def action_new_quote(self):
        self.ensure_one()
        self._check_quote_allowed()
        if self.quote_id:
            return self.quote_id.action_new_version()
        quote = self.env["service.quote"].create({"order_id": self.id})
        return self.action_open_quote(quote)

    def action_open_quote(self, quote=None):
        self.ensure_one()
        quote = quote or self.quote_id
        return {
            "type": "ir.actions.act_window",
            "res_model": "service.quote",
            "res_id": quote.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_view_quotes(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("service_sale.service_quote_action")
        action["domain"] = [("order_id", "=", self.id)]
        action["context"] = {"default_order_id": self.id}
        return action

    def action_view_sale_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.action_orders")
        action["domain"] = [("service_order_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    def action_view_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        action["domain"] = [("id", "in", self.invoice_ids.ids)]
        action["context"] = {"create": False}
        return action

    # ------------------------------------------------------------------
    # Quotes
    # ------------------------------------------------------------------
    def _quote_answerable(self):
        """Whether a quote of the order may still be created, sent, accepted
        or rejected (the portal shows the buttons only then)."""
        self.ensure_one()
        return self.state in QUOTE_STATES

    def _check_quote_allowed(self):
        """Refuse a quote created, sent, accepted or rejected on an order whose
        work is finished, or that is done, closed or cancelled. The system user
        (data files loading the history of finished orders) is exempt; a
        ``sudo()`` of a user's request (the portal) is not."""
        if self.env.user._is_superuser():
            return
        labels = dict(self._fields["state"]._description_selection(self.env))
        for order in self:
            if not order._quote_answerable():
                raise UserError(
                    _(
                        "Order %(name)s is %(state)s: its quote can no longer be created, "
                        "sent, accepted or rejected.",
                        name=order.name,
                        state=labels[order.state],
                    )
                )

    def _service_lock_rows(self):
        """Lock the rows of ``self`` until the end of the transaction: a
        concurrent decision on the same orders waits, then is retried on the
        state the first one left."""
        if self.ids:
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM %s WHERE id IN %s FOR UPDATE",
                    SQL.identifier(self._table),
                    tuple(self.ids),
                )
            )

    # ------------------------------------------------------------------
    # Invoicing
    # ------------------------------------------------------------------
    def _service_invoice(self):
        """Done orders: the accepted quote becomes a confirmed sale order
        linked to the order, and its invoice (chargeable lines at their price,
        warranty lines at zero). Parts keep the stock moves the order made."""
        # sudo: the quality inspector who accepts the work does not sell (no
        # right on sale orders, not even to see that there is none yet)
        todo = self.filtered(lambda o: o.quote_in_force_id and not o.sudo().sale_order_ids)
        if not todo:
            return self.env["account.move"]
        vals_list = [
            order._prepare_sale_order_vals(
                order.quote_in_force_id._prepare_sale_line_vals(),
                pricelist=order.quote_in_force_id.pricelist_id,
            )
            for order in todo
        ]
        return self._service_create_sale_and_invoice(vals_list)

    def _service_quote_rejected(self, quote):
        """The customer rejected ``quote``: the order is cancelled, with the
        diagnosis fee of its category invoiced if there is one."""
        self.ensure_one()
        reason = _("Quote %(name)s rejected by the customer.", name=quote.name)
        if quote.reject_reason:
            reason = f"{reason} {quote.reject_reason}"
        fee = self.category_id.diagnosis_fee_product_id
        if fee:
            pricelist = quote.pricelist_id
            price = (
                pricelist._get_product_price(fee, 1.0, currency=quote.currency_id)
                if pricelist
                else fee.lst_price
            )
            taxes = fee.taxes_id.filtered_domain(
                self.env["account.tax"]._check_company_domain(self.company_id)
            )
            if quote.fiscal_position_id:
                taxes = quote.fiscal_position_id.map_tax(taxes)
            line = {
                "product_id": fee.id,
                "name": _("Diagnosis fee (%(order)s)", order=self.name),
                "product_uom_qty": 1.0,
                "price_unit": price,
                "tax_id": [Command.set(taxes.ids)],
            }
            self._service_create_sale_and_invoice(
                [self._prepare_sale_order_vals([Command.create(line)], pricelist=pricelist)]
            )
        self.action_cancel(reason=reason)

    def _prepare_sale_order_vals(self, line_commands, pricelist=None):
        self.ensure_one()
        pricelist = pricelist or self.quote_accepted_id.pricelist_id
        vals = {
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "origin": self.name,
            "client_order_ref": self.name,
            "service_order_id": self.id,
            "order_line": line_commands,
        }
        if pricelist:
            vals["pricelist_id"] = pricelist.id
        if self.user_id:
            vals["user_id"] = self.user_id.id
        return vals

    def _service_create_sale_and_invoice(self, vals_list):
        """Confirmed sale orders from ``vals_list`` and their invoices, for a
        batch of orders: one create, confirm, invoice and post for all, the
        delivered quantities written per distinct quantity and the orders'
        history lines logged together."""
        SaleOrder = self.env["sale.order"].sudo()
        sales = SaleOrder.with_context(mail_create_nosubscribe=True, mail_create_nolog=True).create(
            vals_list
        )
        # confirming and posting subscribe each customer to his document, one
        # by one: subscribe them beforehand, one call per customer
        self._service_subscribe_customers(sales)
        sales.action_confirm()
        # the work was done on site: everything is delivered
        by_quantity = defaultdict(list)
        for line in sales.order_line:
            by_quantity[line.product_uom_qty].append(line.id)
        SaleLine = self.env["sale.order.line"].sudo()
        for quantity, line_ids in by_quantity.items():
            SaleLine.browse(line_ids).qty_delivered = quantity
        # warranty work stays on its sale order, at zero: nothing to bill
        to_invoice = sales.filtered(lambda s: s.amount_total)
        # not final: there are no down payments to deduct (the final pass
        # loops over every line of the batch for each invoice)
        invoices = (
            to_invoice._create_invoices(grouped=True) if to_invoice else self.env["account.move"]
        )
        posting = invoices.filtered(lambda m: m.company_id.service_post_invoice)
        if posting:
            self._service_subscribe_customers(posting)
            posting.action_post()
        bodies = {}
        for sale in sales:
            bodies[sale.service_order_id.id] = Markup("<p>%s</p>") % _(
                "Invoiced through %(sale)s: %(invoices)s.",
                sale=sale.name,
                invoices=", ".join(sale.invoice_ids.mapped("display_name")) or "-",
            )
        self.env["service.order"].browse(list(bodies))._message_log_batch(bodies)
        return invoices

    def _service_subscribe_customers(self, documents):
        """Subscribe each document's customer to it, one call per customer
        for the batch instead of one per document."""
        by_partner = defaultdict(list)
        for document in documents:
            if document.partner_id:
                by_partner[document.partner_id.id].append(document.id)
        for partner_id, document_ids in by_partner.items():
            documents.browse(document_ids).message_subscribe([partner_id])
