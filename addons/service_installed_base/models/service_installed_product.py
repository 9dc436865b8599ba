from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date

# Fifty years: longer than any appliance's warranty (and far from the largest
# date Python and the database can hold).
MAX_WARRANTY_MONTHS = 600


class ServiceInstalledProduct(models.Model):
    _name = "service.installed.product"
    _description = "Installed Product"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "install_date desc, id desc"
    _check_company_auto = True
    _rec_names_search = [
        "name",
        "serial_number",
        "product_id.name",
        "partner_id.name",
        "partner_id.phone",
        "partner_id.mobile",
    ]

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="New", index=True
    )
    active = fields.Boolean(default=True)
    product_id = fields.Many2one(
        "product.product", string="Product", required=True, index=True, tracking=True,
        check_company=True,
    )  # fmt: skip
    tracking = fields.Selection(related="product_id.tracking")
    lot_id = fields.Many2one(
        "stock.lot",
        string="Lot/Serial Number",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain="[('product_id', '=', product_id)]",
    )
    serial_number = fields.Char(
        compute="_compute_serial_number",
        store=True,
        readonly=False,
        index="trigram",
        help="Serial number of the lot, or typed for products not tracked in Inventory.",
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True
    )
    phone = fields.Char(related="partner_id.phone", string="Phone")
    site_address = fields.Text(
        compute="_compute_site_address", store=True, readonly=False, string="Site Address"
    )
    install_date = fields.Date(string="Installation Date", tracking=True, index=True)
    sale_date = fields.Date(string="Sale Date")
    install_order_id = fields.Many2one(
        "service.order", string="Installation Order", index="btree_not_null", readonly=True,
        check_company=True, copy=False,
    )  # fmt: skip
    warranty_start = fields.Date(
        compute="_compute_warranty_start",
        store=True,
        readonly=False,
        tracking=True,
        help="Installation date, else sale date.",
    )
    warranty_months = fields.Integer(
        string="Warranty (Months)",
        compute="_compute_warranty_months",
        store=True,
        readonly=False,
        help="Manufacturer warranty, taken from the product when the record is created.",
    )
    warranty_end = fields.Date(
        string="Warranty End", compute="_compute_warranty_end", store=True, index=True
    )
    extended_warranty_ref = fields.Char(string="Extended Warranty Contract", tracking=True)
    extended_warranty_end = fields.Date(string="Extended Warranty End", tracking=True)
    warranty_status = fields.Selection(
        [
            ("manufacturer", "In Warranty"),
            ("extended", "Extended Warranty"),
            ("expired", "Out of Warranty"),
        ],
        compute="_compute_warranty_status",
        search="_search_warranty_status",
        help="Status today (not stored: it changes with the date).",
    )
    order_ids = fields.One2many("service.order", "installed_product_id", string="Service Orders")
    order_count = fields.Integer(compute="_compute_history_counts", string="Orders")
    part_count = fields.Integer(compute="_compute_history_counts", string="Parts")
    complaint_count = fields.Integer(compute="_compute_history_counts", string="Complaints")
    feedback_count = fields.Integer(compute="_compute_history_counts", string="Feedback")
    note = fields.Html()
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    _sql_constraints = [
        (
            "lot_company_unique",
            "UNIQUE(lot_id, company_id)",
            "A serial number can be installed only once.",
        ),
    ]

    @api.depends("lot_id")
    def _compute_serial_number(self):
        for record in self:
            if record.lot_id:
                record.serial_number = record.lot_id.name

    @api.depends("partner_id")
    def _compute_site_address(self):
        for record in self:
            if record.partner_id and not record.site_address:
                record.site_address = record.partner_id._display_address(without_company=True)

    @api.depends("install_date", "sale_date")
    def _compute_warranty_start(self):
        for record in self:
            record.warranty_start = record.install_date or record.sale_date

    @api.depends("product_id")
    def _compute_warranty_months(self):
        for record in self:
            record.warranty_months = record.product_id.service_warranty_months

    @api.depends("warranty_start", "warranty_months")
    def _compute_warranty_end(self):
        for record in self:
            # a period out of bounds is refused by _check_warranty_months
            if record.warranty_start and 0 < record.warranty_months <= MAX_WARRANTY_MONTHS:
                record.warranty_end = record.warranty_start + relativedelta(
                    months=record.warranty_months, days=-1
                )
            else:
                record.warranty_end = False

    @api.depends("warranty_end", "extended_warranty_end")
    @api.depends_context("date")
    def _compute_warranty_status(self):
        today = fields.Date.context_today(self)
        for record in self:
            record.warranty_status = record._warranty_coverage(today)["kind"] or "expired"

    def _search_warranty_status(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise ValidationError(_("Unsupported search on the warranty status."))
        values = {value} if isinstance(value, str) else set(value or ())
        today = fields.Date.context_today(self)
        domains = {
            "manufacturer": [("warranty_end", ">=", today)],
            "extended": [
                "&",
                "|",
                ("warranty_end", "=", False),
                ("warranty_end", "<", today),
                ("extended_warranty_end", ">=", today),
            ],
            "expired": [
                "&",
                "|",
                ("warranty_end", "=", False),
                ("warranty_end", "<", today),
                "|",
                ("extended_warranty_end", "=", False),
                ("extended_warranty_end", "<", today),
            ],
        }
        parts = [domains[v] for v in values if v in domains]
        domain = ["|"] * (len(parts) - 1) + [leaf for part in parts for leaf in part]
        if not parts:
            domain = [(0, "=", 1)]
        if operator in ("!=", "not in"):
            domain = ["!", *domain]
        return domain

    def _compute_history_counts(self):
        orders = dict(
            self.env["service.order"]._read_group(
                [("installed_product_id", "in", self.ids)], ["installed_product_id"], ["__count"]
            )
        )
        counts = {}
        for model in ("service.order.part", "service.complaint", "service.feedback"):
            per_installed = counts.setdefault(model, {})
            groups = self.env[model]._read_group(
                [("service_order_id.installed_product_id", "in", self.ids)],
                ["service_order_id"],
                ["__count"],
            )
            for order, count in groups:
                key = order.installed_product_id.id
                per_installed[key] = per_installed.get(key, 0) + count
        for record in self:
            record.order_count = orders.get(record, 0)
            record.part_count = counts["service.order.part"].get(record.id, 0)
            record.complaint_count = counts["service.complaint"].get(record.id, 0)
            record.feedback_count = counts["service.feedback"].get(record.id, 0)

    @api.depends("name", "product_id", "serial_number")
    def _compute_display_name(self):
        for record in self:
            label = record.product_id.display_name or ""
            if record.serial_number:
                label = f"{label} ({record.serial_number})"
            record.display_name = f"{record.name} {label}".strip() if record.name else label

    @api.constrains("lot_id", "product_id")
    def _check_lot_product(self):
        for record in self:
            if record.lot_id and record.lot_id.product_id != record.product_id:
                raise ValidationError(
                    _(
                        "Installed product %(name)s: serial number %(lot)s belongs to "
                        "%(product)s, not to %(expected)s.",
                        name=record.name,
                        lot=record.lot_id.name,
                        product=record.lot_id.product_id.display_name,
                        expected=record.product_id.display_name,
                    )
                )

    @api.constrains("warranty_months")
    def _check_warranty_months(self):
        for record in self:
            record._check_warranty_months_value(record.warranty_months)

    def _check_warranty_months_value(self, months, name=None):
        """Refuse a warranty period out of 0..MAX_WARRANTY_MONTHS, before the
        warranty end is computed from it."""
        try:
            value = int(months or 0)
        except (TypeError, ValueError, OverflowError):
            return  # not a number: refused by the field's conversion
        if 0 <= value <= MAX_WARRANTY_MONTHS:
            return
        raise ValidationError(
            _(
                "Installed product %(name)s: the warranty must be between 0 and %(max)s "
                "months, not %(months)s.",
                name=name or self.name,
                max=MAX_WARRANTY_MONTHS,
                months=months,
            )
        )

    @api.constrains("install_date", "sale_date")
    def _check_dates(self):
        # the user's today, or the UTC one when it is already later (an
        # installation registered from an acceptance time in UTC)
        today = max(fields.Date.context_today(self), fields.Date.today())
        for record in self:
            for name in ("install_date", "sale_date"):
                if record[name] and record[name] > today:
                    raise ValidationError(
                        _(
                            "Installed product %(name)s: the %(field)s %(date)s is in the future.",
                            name=record.name,
                            field=self._fields[name]._description_string(self.env),
                            date=format_date(self.env, record[name]),
                        )
                    )
            if record.sale_date and record.install_date and record.sale_date > record.install_date:
                raise ValidationError(
                    _(
                        "Installed product %(name)s: it was sold on %(sale)s, after its "
                        "installation on %(install)s.",
                        name=record.name,
                        sale=format_date(self.env, record.sale_date),
                        install=format_date(self.env, record.install_date),
                    )
                )

    @api.constrains("extended_warranty_end", "warranty_end", "extended_warranty_ref")
    def _check_extended_warranty(self):
        for record in self:
            if record.extended_warranty_end and not record.extended_warranty_ref:
                raise ValidationError(
                    _(
                        "Installed product %(name)s: an extended warranty needs its contract "
                        "reference.",
                        name=record.name,
                    )
                )
            if (
                record.extended_warranty_end
                and record.warranty_end
                and record.extended_warranty_end <= record.warranty_end
            ):
                raise ValidationError(
                    _(
                        "Installed product %(name)s: the extended warranty must end after the "
                        "manufacturer warranty (%(end)s).",
                        name=record.name,
                        end=format_date(self.env, record.warranty_end),
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "New") == "New":
                vals["name"] = (
                    self.env["ir.sequence"].next_by_code("service.installed.product") or "New"
                )
            if "warranty_months" in vals:
                # before the database or the warranty end overflows on it
                self._check_warranty_months_value(vals["warranty_months"], vals["name"])
        return super().create(vals_list)

    def write(self, vals):
        if "warranty_months" in vals:
            for record in self:
                record._check_warranty_months_value(vals["warranty_months"])
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_history(self):
        """Installed products with a service history are archived, not
        deleted: their orders keep them as the evidence of what was repaired
        and under which warranty."""
        history = self._history_counts()
        for record in self:
            found = history.get(record.id)
            if found:
                raise UserError(
                    _(
                        "Installed product %(name)s cannot be deleted: %(history)s refer to it. "
                        "Archive it instead.",
                        name=record.display_name,
                        history=", ".join(found),
                    )
                )

    def action_view_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "service_quality.service_order_action"
        )
        action["domain"] = [("installed_product_id", "=", self.id)]
        action["context"] = {
            "default_installed_product_id": self.id,
            "default_partner_id": self.partner_id.id,
        }
        return action

    def action_view_parts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "equipment_care.service_order_part_action"
        )
        action["domain"] = [("service_order_id.installed_product_id", "=", self.id)]
        action["context"] = {}
        return action

    def action_view_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "service_quality.service_complaint_action"
        )
        action["domain"] = [("service_order_id.installed_product_id", "=", self.id)]
        action["context"] = {"default_partner_id": self.partner_id.id}
        return action

    def action_view_feedback(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "service_quality.service_feedback_action"
        )
        action["domain"] = [("service_order_id.installed_product_id", "=", self.id)]
        action["context"] = {}
        return action

    def _history_counts(self):
        """What refers to each installed product of ``self``, as texts such as
        "3 service orders", by installed product id. Addons whose records point
        at installed products add theirs to ``super()``'s."""
        # sudo: every order counts, also those the user may not see
        groups = (
            self.env["service.order"]
            .sudo()
            .with_context(active_test=False)
            ._read_group(
                [("installed_product_id", "in", self.ids)], ["installed_product_id"], ["__count"]
            )
        )
        return {
            installed.id: [_("%(count)s service orders", count=count)]
            for installed, count in groups
        }

    def _warranty_coverage(self, on_date):
        """What covers ``self`` on ``on_date``: ``{"kind": "manufacturer" |
        "extended" | False, "end": date or False}``. The manufacturer warranty
        runs to ``warranty_end`` included, then the extended one to
        ``extended_warranty_end`` included."""
        self.ensure_one()
        if self.warranty_end and on_date <= self.warranty_end:
            return {"kind": "manufacturer", "end": self.warranty_end}
        if self.extended_warranty_end and on_date <= self.extended_warranty_end:
            return {"kind": "extended", "end": self.extended_warranty_end}
        return {"kind": False, "end": self.extended_warranty_end or self.warranty_end}
