from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_date

# States in which a contract covers its products over its dates: running, or
# expired (it covered them until its end date).
IN_FORCE_STATES = ("running", "expired")
# Upper bounds of the contract's terms (the renewal job adds them to dates).
MAX_RENEWAL_MONTHS = 120
MAX_NOTICE_DAYS = 365
MAX_LEAD_DAYS = 365


class ServiceContract(models.Model):
    _name = "service.contract"
    _description = "Maintenance Contract"
    _inherit = [
        "service.workflow.mixin",
        "service.cron.mixin",
        "service.notify.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "date_start desc, id desc"
    _check_company_auto = True
    _workflow_fields = ("state",)
    _workflow_moves = {
        "running": ("draft",),
        "expired": ("running",),
        "cancelled": ("draft", "running"),
        "draft": ("cancelled",),
    }
    # Once started, the contract's customer and company are what its lines,
    # visits and orders were made for.
    _workflow_final_states = IN_FORCE_STATES
    _workflow_evidence_fields = ("partner_id", "company_id")

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="New", index=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True
    )
    site_address = fields.Text(
        compute="_compute_site_address", store=True, readonly=False, string="Site Address"
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        index=True,
        tracking=True,
        domain="[('share', '=', False)]",
        help="Receives the renewal reminders and the quarterly review activities.",
    )
    team_id = fields.Many2one("service.team", string="Team", check_company=True)
    date_start = fields.Date(string="Start Date", required=True, tracking=True)
    date_end = fields.Date(string="End Date", required=True, tracking=True, index=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("running", "Running"),
            ("expired", "Expired"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        index=True,
        tracking=True,
        copy=False,
    )
    auto_renew = fields.Boolean(
        string="Automatic Renewal",
        tracking=True,
        help="At its end date the contract runs for another term instead of expiring.",
    )
    renewal_months = fields.Integer(string="Renewal Term (Months)", default=12)
    renewal_notice_days = fields.Integer(
        string="Renewal Notice (Days)",
        default=30,
        help="The responsible person gets a renewal activity this many days before the end date.",
    )
    renewal_reminded_on = fields.Date(copy=False, readonly=True)
    sla_policy_id = fields.Many2one(
        "service.sla.policy",
        string="SLA Policy",
        check_company=True,
        tracking=True,
        help="Applies to every order of the contract, before the category's policy.",
    )
    category_ids = fields.Many2many(
        "service.category",
        string="Services Included",
        help="Service categories covered; the first one is used for planned visits.",
    )
    product_ids = fields.Many2many(
        "product.product",
        string="Service Products Included",
        domain="[('type', '=', 'service')]",
    )
    order_lead_days = fields.Integer(
        string="Order Lead Time (Days)",
        default=14,
        help="Service orders of planned visits are created this many days before the visit.",
    )
    line_ids = fields.One2many(
        "service.contract.line", "contract_id", string="Covered Products", copy=True
    )
    plan_ids = fields.One2many("service.contract.plan", "contract_id", string="Plans")
    visit_ids = fields.One2many("service.contract.visit", "contract_id", string="Visits")
    order_ids = fields.One2many("service.order", "contract_id", string="Service Orders")
    plan_count = fields.Integer(compute="_compute_counts", string="Plan Count")
    order_count = fields.Integer(compute="_compute_counts", string="Order Count")
    missed_visit_count = fields.Integer(compute="_compute_counts", string="Missed Visits")
    compliance_rate = fields.Float(
        compute="_compute_counts",
        string="Compliance (%)",
        help="Visits done in their period among the visits whose period has ended.",
    )
    note = fields.Html()
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    _sql_constraints = [
        ("dates_check", "CHECK(date_end >= date_start)", "A contract cannot end before it starts."),
    ]

    @api.depends("partner_id")
    def _compute_site_address(self):
        for contract in self:
            if contract.partner_id and not contract.site_address:
                contract.site_address = contract.partner_id._display_address(without_company=True)

    def _compute_counts(self):
        Visit = self.env["service.contract.visit"]
        visits = {
            (contract.id, state): count
            for contract, state, count in Visit._read_group(
                [("contract_id", "in", self.ids)], ["contract_id", "state"], ["__count"]
            )
        }
        plans = dict(
            self.env["service.contract.plan"]._read_group(
                [("contract_id", "in", self.ids)], ["contract_id"], ["__count"]
            )
        )
        orders = dict(
            self.env["service.order"]._read_group(
                [("contract_id", "in", self.ids)], ["contract_id"], ["__count"]
            )
        )
        for contract in self:
            done = visits.get((contract.id, "done"), 0)
            missed = visits.get((contract.id, "missed"), 0)
            contract.plan_count = plans.get(contract, 0)
            contract.order_count = orders.get(contract, 0)
            contract.missed_visit_count = missed
            contract.compliance_rate = 100.0 * done / (done + missed) if done + missed else 0.0

    @api.constrains("renewal_months", "renewal_notice_days", "order_lead_days")
    def _check_terms(self):
        for contract in self:
            if not 1 <= contract.renewal_months <= MAX_RENEWAL_MONTHS:
                raise ValidationError(
                    _(
                        "Contract %(name)s: the renewal term must be between 1 and %(max)s "
                        "months.",
                        name=contract.display_name,
                        max=MAX_RENEWAL_MONTHS,
                    )
                )
            if not 0 <= contract.renewal_notice_days <= MAX_NOTICE_DAYS:
                raise ValidationError(
                    _(
                        "Contract %(name)s: the renewal notice must be between 0 and %(max)s "
                        "days.",
                        name=contract.display_name,
                        max=MAX_NOTICE_DAYS,
                    )
                )
            if not 0 <= contract.order_lead_days <= MAX_LEAD_DAYS:
                raise ValidationError(
                    _(
                        "Contract %(name)s: the order lead time must be between 0 and %(max)s "
                        "days.",
                        name=contract.display_name,
                        max=MAX_LEAD_DAYS,
                    )
                )

    @api.constrains("partner_id")
    def _check_customer(self):
        """The covered products and the orders of a contract are its
        customer's, whichever side changes."""
        self.line_ids._check_customer()
        self.order_ids._check_contract_customer()

    @api.constrains("state", "date_start", "date_end")
    def _check_overlap(self):
        """A product is covered by one contract in force at a time."""
        for contract in self.filtered(lambda c: c.state in IN_FORCE_STATES):
            other, installed = contract._find_overlap()
            if other:
                raise ValidationError(contract._overlap_message(other, installed))

    def _find_overlap(self, date_end=None):
        """The first other contract in force that covers a product of
        ``self`` (one contract) over a period meeting ``self``'s (ending on
        ``date_end`` when given), and that product; empty records if none.
        Periods meet when they share a day: a renewal starting the day after
        the end of the previous contract does not overlap it."""
        self.ensure_one()
        date_end = date_end or self.date_end
        # sudo: a contract the user cannot read still covers the product
        lines = (
            self.env["service.contract.line"]
            .sudo()
            .search(
                [
                    ("installed_product_id", "in", self.line_ids.installed_product_id.ids),
                    ("contract_id", "!=", self.id),
                    ("contract_id.state", "in", IN_FORCE_STATES),
                    ("contract_id.date_start", "<=", date_end),
                    ("contract_id.date_end", ">=", self.date_start),
                ],
                limit=1,
            )
        )
        return lines.contract_id, lines.installed_product_id

    def _overlap_message(self, other, installed):
        self.ensure_one()
        return _(
            "Contract %(name)s (%(start)s to %(end)s) and contract %(other)s (%(other_start)s "
            "to %(other_end)s) would both cover %(product)s: a product is covered by one "
            "contract at a time. End the other contract first, or start this one after it.",
            name=self.display_name,
            start=format_date(self.env, self.date_start),
            end=format_date(self.env, self.date_end),
            other=other.display_name,
            other_start=format_date(self.env, other.date_start),
            other_end=format_date(self.env, other.date_end),
            product=installed.display_name,
        )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "New") == "New":
                vals["name"] = self.env["ir.sequence"].next_by_code("service.contract") or "New"
        return super().create(vals_list)

    def write(self, vals):
        if "date_start" in vals or "date_end" in vals:
            self._check_visits_within(vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_contract_started(self):
        in_force = self.filtered(lambda c: c.state in IN_FORCE_STATES)
        if in_force:
            raise UserError(
                _(
                    "Contract %(name)s has been started: it is kept with its visits and orders "
                    "and cannot be deleted; cancel it instead.",
                    name=in_force[0].display_name,
                )
            )
        # sudo: a visit counts whoever may read it
        self.sudo().visit_ids._check_history_kept()

    def _check_visits_within(self, vals):
        """A contract in force keeps the visits planned within its dates:
        new dates that leave visits out are refused (move or delete the
        planned visits first)."""
        # sudo: every visit of the contract counts, whoever may read it
        Visit = self.env["service.contract.visit"].sudo()
        for contract in self.filtered(lambda c: c.state in IN_FORCE_STATES):
            start = fields.Date.to_date(vals.get("date_start")) or contract.date_start
            end = fields.Date.to_date(vals.get("date_end")) or contract.date_end
            outside = Visit.search(
                [
                    ("contract_id", "=", contract.id),
                    ("plan_id.state", "!=", "cancelled"),
                    "|",
                    ("planned_date", "<", start),
                    ("planned_date", ">", end),
                ]
            )
            if outside:
                names = ", ".join(outside[:5].mapped("display_name"))
                raise UserError(
                    _(
                        "Contract %(name)s cannot run from %(start)s to %(end)s: visits are "
                        "planned or ordered outside these dates (%(visits)s). Move or remove "
                        "these visits first.",
                        name=contract.display_name,
                        start=format_date(self.env, start),
                        end=format_date(self.env, end),
                        visits=names + (", …" if len(outside) > 5 else ""),
                    )
                )

    def _workflow_actions_hint(self, field_names):
        return _("the Start, Cancel and Reset to Draft buttons")

    def action_start(self):
        for contract in self:
            if not contract.line_ids:
                raise UserError(
                    _(
                        "Contract %(name)s covers no installed product: add at least one line.",
                        name=contract.display_name,
                    )
                )
        return self._workflow_move("running")

    def action_cancel(self):
        return self._workflow_move("cancelled")

    def action_draft(self):
        return self._workflow_move("draft")

    def action_create_plan(self):
        """The annual plan of the contract for the year of today (or of the
        contract's start when it starts later), with its visits."""
        self.ensure_one()
        if self.state not in ("draft", "running"):
            raise UserError(
                _(
                    "Contract %(name)s is not running: no plan can be made for it.",
                    name=self.display_name,
                )
            )
        year = max(fields.Date.context_today(self), self.date_start).year
        plan = self.plan_ids.filtered(lambda p: p.year == year and p.state != "cancelled")[:1]
        if not plan:
            plan = self.env["service.contract.plan"].create({"contract_id": self.id, "year": year})
            plan.action_generate_visits()
        return plan.get_formview_action()

    def action_view_plans(self):
        return self._related_action("service.contract.plan", _("Plans"))

    def action_view_orders(self):
        return self._related_action("service.order", _("Service Orders"))

    def action_view_visits(self):
        return self._related_action("service.contract.visit", _("Visits"))

    def _related_action(self, model, name):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": model,
            "view_mode": "list,form",
            "domain": [("contract_id", "=", self.id)],
            "context": {"default_contract_id": self.id},
        }

    # ------------------------------------------------------------------
    # Jobs
    # ------------------------------------------------------------------
    def _renewal_reminder_condition(self, today):
        return SQL(
            "state = 'running' AND renewal_reminded_on IS NULL "
            "AND date_end - LEAST(GREATEST(renewal_notice_days, 0), %s) <= %s",
            MAX_NOTICE_DAYS,
            today,
        )

    def _expiry_condition(self, today):
        return SQL("state = 'running' AND date_end < %s", today)

    @api.model
    def _cron_renewal(self, batch_size=500):
        """Renewal of running contracts, one locked batch per call: a renewal
        activity for the responsible person once the notice period starts,
        then at the end date a new term (automatic renewal) or expiry."""
        today = fields.Date.context_today(self)
        reminder = self._renewal_reminder_condition(today)
        contracts = self._cron_lock_batch(reminder, batch_size)
        if contracts:
            contracts.write({"renewal_reminded_on": today})
            contracts._notify_renewal()
        else:
            contracts = self._cron_lock_batch(self._expiry_condition(today), batch_size)
            contracts._renew_or_expire()
        remaining = self._cron_count(reminder) + self._cron_count(self._expiry_condition(today))
        return self._cron_done(len(contracts), remaining)

    def _notify_renewal(self):
        activity_type = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        bodies, activities = {}, []
        # a loop, not a comprehension: ``_`` finds the language in this frame
        for contract in self:
            bodies[contract.id] = _(
                "Contract %(name)s ends on %(date)s: renewal to be agreed with %(customer)s.",
                name=contract.name,
                date=format_date(self.env, contract.date_end),
                customer=contract.partner_id.display_name,
            )
            if contract.user_id:
                activities.append(
                    {
                        "res_id": contract.id,
                        "user_id": contract.user_id.id,
                        "summary": _("Renew contract %(name)s", name=contract.name),
                        "date_deadline": contract.date_end,
                    }
                )
        self._notify_log_batch(bodies, {c.id: c.user_id.partner_id for c in self})
        self._notify_schedule_batch(activity_type, activities)

    def _renew_or_expire(self):
        """Renew the contracts set to renew automatically, expire the others.
        A contract whose next term would overlap another contract covering
        one of its products (the customer's new contract) expires instead."""
        today = fields.Date.context_today(self)
        renewed, bodies = self.browse(), {}
        for contract in self.filtered("auto_renew"):
            # terms missed while the job did not run are renewed at once; a
            # term out of bounds (older data) counts as the nearest bound
            months = min(max(contract.renewal_months, 1), MAX_RENEWAL_MONTHS)
            date_end = contract.date_end
            while date_end < today:
                date_end += relativedelta(months=months)
            other, installed = contract._find_overlap(date_end=date_end)
            if other:
                bodies[contract.id] = _(
                    "Contract not renewed: contract %(other)s covers %(product)s from %(date)s.",
                    other=other.display_name,
                    product=installed.display_name,
                    date=format_date(self.env, other.date_start),
                )
                continue
            contract.write({"date_end": date_end, "renewal_reminded_on": False})
            bodies[contract.id] = _(
                "Contract renewed until %(date)s.", date=format_date(self.env, date_end)
            )
            renewed |= contract
        expiring = self - renewed
        expiring._workflow_move("expired")
        for contract in expiring:
            bodies.setdefault(contract.id, _("Contract expired."))
        self._notify_log_batch(bodies)
