from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_date

CLOSED_STATES = ("done", "closed")
# Fields of an order that decide whether later orders repeat its repair.
REPEAT_FIELDS = {"installed_product_id", "category_id", "resolved_at", "state"}
WARRANTY_FIELDS = ("warranty", "warranty_end", "warranty_kind", "repeat_of_id", "is_repeat_repair")


class ServiceOrder(models.Model):
    _inherit = "service.order"

    installed_product_id = fields.Many2one(
        "service.installed.product",
        string="Installed Product",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        # an installed product with orders is archived, never deleted
        ondelete="restrict",
        domain="[('partner_id', 'child_of', partner_id)]",
    )
    product_id = fields.Many2one(
        "product.product",
        string="Product",
        compute="_compute_product_lot",
        store=True,
        readonly=False,
        index="btree_not_null",
        check_company=True,
    )
    lot_id = fields.Many2one(
        "stock.lot",
        string="Lot/Serial Number",
        compute="_compute_product_lot",
        store=True,
        readonly=False,
        index="btree_not_null",
        check_company=True,
        domain="[('product_id', '=', product_id)]",
    )
    # no default: the computation decides (a default would win over it on create)
    warranty = fields.Selection(
        compute="_compute_warranty", store=True, readonly=False, precompute=True, default=None
    )
    warranty_end = fields.Date(
        compute="_compute_warranty", store=True, readonly=False, precompute=True
    )
    warranty_kind = fields.Selection(
        [
            ("manufacturer", "Manufacturer Warranty"),
            ("extended", "Extended Warranty"),
            ("repair", "Repair Warranty"),
        ],
        compute="_compute_warranty",
        store=True,
        index="btree_not_null",
        precompute=True,
        string="Covered By",
        help="What covers the order on the day it was received; empty: chargeable.",
    )
    repeat_of_id = fields.Many2one(
        "service.order",
        string="Repeat Of",
        compute="_compute_warranty",
        store=True,
        index="btree_not_null",
        precompute=True,
        help="Earlier order of the same category on the same installed product, finished "
        "within the category's repair warranty: this one is a repeat repair.",
    )
    is_repeat_repair = fields.Boolean(
        compute="_compute_warranty", store=True, index=True, precompute=True
    )
    warranty_note = fields.Char(compute="_compute_warranty_note", string="Warranty Reason")

    @api.depends("installed_product_id")
    def _compute_product_lot(self):
        for order in self:
            if order.installed_product_id:
                order.product_id = order.installed_product_id.product_id
                order.lot_id = order.installed_product_id.lot_id

    @api.depends(
        "installed_product_id.warranty_end",
        "installed_product_id.extended_warranty_end",
        "received_at",
        "category_id.repair_warranty_days",
    )
    def _compute_warranty(self):
        previous = self._repeat_candidates()
        for order in self:
            if order.state in CLOSED_STATES and order.warranty:
                # a finished order keeps what it was charged for, whatever
                # changes later on its installed product or category (one
                # created finished, from an import, is computed once)
                for name in WARRANTY_FIELDS:
                    order[name] = order[name]
                continue
            installed = order.installed_product_id
            order.repeat_of_id = False
            order.is_repeat_repair = False
            if not installed:
                # no installed product: the warranty stays as the dispatcher set it
                order.warranty = order.warranty or "out"
                order.warranty_end = order.warranty_end
                order.warranty_kind = False
                continue
            on_date = fields.Date.to_date(order.received_at or fields.Datetime.now())
            repeat = order._repeat_of(previous, on_date)
            if repeat:
                days = order.category_id.repair_warranty_days
                order.repeat_of_id = repeat
                order.is_repeat_repair = True
                order.warranty = "in"
                order.warranty_kind = "repair"
                order.warranty_end = fields.Date.to_date(repeat.resolved_at) + timedelta(days=days)
                continue
            coverage = installed._warranty_coverage(on_date)
            order.warranty = "in" if coverage["kind"] else "out"
            order.warranty_kind = coverage["kind"]
            order.warranty_end = coverage["end"]

    def _repeat_candidates(self):
        """Finished orders on the installed products of ``self``, newest first
        (one query for the whole batch)."""
        installed = self.installed_product_id
        if not installed:
            return self.browse()
        return (
            self.sudo()  # sudo: the rule applies whoever opens the order
            .search(
                [
                    ("installed_product_id", "in", installed.ids),
                    ("state", "in", CLOSED_STATES),
                    ("resolved_at", "!=", False),
                ],
                order="resolved_at desc",
            )
            .with_env(self.env)
        )

    def _repeat_of(self, candidates, on_date):
        self.ensure_one()
        days = self.category_id.repair_warranty_days
        if not (self.category_id and days):
            return self.browse()
        for other in candidates:
            if (
                other.installed_product_id == self.installed_product_id
                and other.category_id == self.category_id
                and other.id != self._origin.id
                and fields.Date.to_date(other.resolved_at) <= on_date
                and on_date <= fields.Date.to_date(other.resolved_at) + timedelta(days=days)
            ):
                return other
        return self.browse()

    @api.depends_context("lang")
    @api.depends("warranty", "warranty_kind", "warranty_end", "repeat_of_id")
    def _compute_warranty_note(self):
        for order in self:
            end = format_date(self.env, order.warranty_end) if order.warranty_end else ""
            if order.warranty_kind == "repair":
                order.warranty_note = _(
                    "Repeat repair within %(days)s days of %(order)s: free (until %(end)s).",
                    days=order.category_id.repair_warranty_days,
                    order=order.repeat_of_id.name,
                    end=end,
                )
            elif order.warranty_kind == "extended":
                order.warranty_note = _(
                    "Extended warranty %(contract)s until %(end)s.",
                    contract=order.installed_product_id.extended_warranty_ref,
                    end=end,
                )
            elif order.warranty == "in":
                order.warranty_note = (
                    _("In warranty until %(end)s.", end=end) if end else _("In warranty.")
                )
            elif end:
                order.warranty_note = _("Out of warranty since %(end)s.", end=end)
            else:
                order.warranty_note = _("Out of warranty.")

    @api.onchange("installed_product_id")
    def _onchange_installed_product_id(self):
        installed = self.installed_product_id
        if installed:
            self.partner_id = installed.partner_id
            self.appliance = installed.product_id.display_name
            self.serial_number = installed.serial_number
            if installed.site_address:
                self.address = installed.site_address

    @api.constrains("installed_product_id", "partner_id")
    def _check_installed_product_customer(self):
        for order in self:
            installed = order.installed_product_id
            if installed and installed.partner_id.commercial_partner_id != (
                order.partner_id.commercial_partner_id
            ):
                raise ValidationError(
                    _(
                        "Order %(name)s: installed product %(product)s belongs to %(owner)s, "
                        "not to %(customer)s.",
                        name=order.name,
                        product=installed.display_name,
                        owner=installed.partner_id.display_name,
                        customer=order.partner_id.display_name,
                    )
                )

    def _workflow_locked_fields(self):
        # the appliance serviced and what covered it: what the customer was charged for
        return tuple(
            dict.fromkeys(
                (*super()._workflow_locked_fields(), "installed_product_id", *WARRANTY_FIELDS)
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            installed_id = vals.get("installed_product_id")
            if installed_id and not vals.get("appliance"):
                installed = self.env["service.installed.product"].browse(installed_id)
                vals["appliance"] = installed.product_id.display_name
                vals.setdefault("serial_number", installed.serial_number)
        return super().create(vals_list)

    def write(self, vals):
        touched = REPEAT_FIELDS & vals.keys()
        before = self.installed_product_id if touched else None
        res = super().write(vals)
        if touched and (before or self.installed_product_id):
            self._recompute_later_repeats(before | self.installed_product_id)
        return res

    def action_accept(self):
        res = super().action_accept()
        self._register_installations()
        return res

    def _recompute_later_repeats(self, installed):
        """An order on ``installed`` was finished, reopened, moved to another
        product or category: the open orders on the same products decide
        again whether they repeat a repair (finished orders keep what they
        were charged for). One search for the whole batch."""
        later = (
            self.sudo()  # sudo: the other orders may belong to other technicians
            .search(
                [
                    ("installed_product_id", "in", installed.ids),
                    ("state", "not in", (*CLOSED_STATES, "cancelled")),
                    ("id", "not in", self.ids),
                ]
            )
            .with_env(self.env)
        )
        if later:
            for name in WARRANTY_FIELDS:
                self.env.add_to_compute(self._fields[name], later)

    def _register_installations(self):
        """Done installation orders put their product in the customer's
        installed base (installation date: acceptance date), once."""
        todo = self.filtered(
            lambda o: o.category_id.is_installation and o.product_id and not o.installed_product_id
        )
        if not todo:
            return self.env["service.installed.product"]
        # sudo: whoever accepts the order registers its installation
        Installed = self.env["service.installed.product"].sudo()
        existing = {
            rec.lot_id.id: rec
            for rec in Installed.search(
                [("lot_id", "in", todo.lot_id.ids), ("company_id", "in", todo.company_id.ids)]
            )
        }
        vals_list, orders = [], []
        for order in todo:
            if order.lot_id and order.lot_id.id in existing:
                existing[order.lot_id.id].write(
                    {
                        "partner_id": order.partner_id.id,
                        "install_date": fields.Date.to_date(order.accepted_on),
                        "install_order_id": order.id,
                        "site_address": order.address,
                    }
                )
                # the acceptance's own consequence: written past the lock of done orders
                order._workflow_write({"installed_product_id": existing[order.lot_id.id].id})
                continue
            orders.append(order)
            vals_list.append(
                {
                    "product_id": order.product_id.id,
                    "lot_id": order.lot_id.id,
                    # sudo: the inspector who accepts has no inventory rights
                    "serial_number": order.lot_id.sudo().name or order.serial_number,
                    "partner_id": order.partner_id.id,
                    "site_address": order.address,
                    "install_date": fields.Date.to_date(order.accepted_on),
                    "install_order_id": order.id,
                    "company_id": order.company_id.id,
                }
            )
        created = Installed.create(vals_list)
        for order, installed in zip(orders, created, strict=True):
            order._workflow_write({"installed_product_id": installed.id})
            order.message_post(
                body=_("Registered in the installed base as %(ref)s.", ref=installed.name),
                subtype_xmlid="mail.mt_note",
            )
        return created
