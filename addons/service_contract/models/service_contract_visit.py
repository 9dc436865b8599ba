from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, format_date

from .service_contract import MAX_LEAD_DAYS


class ServiceContractVisit(models.Model):
    """A planned maintenance visit of a covered product in one period; a job
    turns it into a service order ahead of time and flags it missed when
    its order is not done by the end of the period."""

    _name = "service.contract.visit"
    _description = "Planned Maintenance Visit"
    _inherit = ["service.cron.mixin", "service.notify.mixin"]
    _order = "planned_date, id"
    _check_company_auto = True

    plan_id = fields.Many2one(
        "service.contract.plan", required=True, index=True, ondelete="cascade", check_company=True
    )
    line_id = fields.Many2one(
        "service.contract.line", required=True, index=True, ondelete="cascade", check_company=True
    )
    contract_id = fields.Many2one(
        related="plan_id.contract_id", store=True, index=True, precompute=True
    )
    partner_id = fields.Many2one(related="contract_id.partner_id", store=True, precompute=True)
    installed_product_id = fields.Many2one(
        related="line_id.installed_product_id", store=True, index=True, precompute=True
    )
    period_start = fields.Date(required=True)
    period_end = fields.Date(required=True, index=True)
    planned_date = fields.Date(required=True, index=True)
    order_ids = fields.One2many("service.order", "contract_visit_id", string="Service Orders")
    order_id = fields.Many2one(
        "service.order", compute="_compute_order_id", store=True, index="btree_not_null"
    )
    user_id = fields.Many2one(
        related="order_id.user_id", string="Technician", store=True, index="btree_not_null"
    )
    missed = fields.Boolean(default=False, readonly=True, copy=False, index=True)
    state = fields.Selection(
        [
            ("planned", "Planned"),
            ("ordered", "Ordered"),
            ("done", "Done"),
            ("missed", "Missed"),
        ],
        compute="_compute_state",
        store=True,
        index=True,
    )
    company_id = fields.Many2one(
        related="plan_id.company_id", store=True, index=True, precompute=True
    )

    _sql_constraints = [
        (
            "line_period_unique",
            "UNIQUE(plan_id, line_id, period_start)",
            "A covered product has one visit per period of a plan.",
        ),
        ("period_check", "CHECK(period_end >= period_start)", "A period ends after it starts."),
    ]

    @api.depends("order_ids")
    def _compute_order_id(self):
        for visit in self:
            visit.order_id = visit.order_ids[:1]

    @api.depends("order_id.state", "missed")
    def _compute_state(self):
        for visit in self:
            if visit.missed:
                visit.state = "missed"
            elif visit.order_id.state in ("done", "closed"):
                visit.state = "done"
            elif visit.order_id:
                visit.state = "ordered"
            else:
                visit.state = "planned"

    @api.depends("installed_product_id", "period_start")
    def _compute_display_name(self):
        for visit in self:
            visit.display_name = "%s (%s)" % (
                visit.installed_product_id.display_name or "",
                format_date(self.env, visit.period_start, date_format="MMM yyyy"),
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_history(self):
        self._check_history_kept()

    def _check_history_kept(self):
        """Visits done, missed or ordered are the contract's record (its
        compliance, its orders): refuse anything that would delete them,
        naming the first one."""
        # sudo: a visit counts whoever may read it
        kept = self.sudo().filtered(lambda v: v.state != "planned" or v.order_ids)
        if kept:
            visit = kept[0]
            states = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                _(
                    "Visit %(visit)s of contract %(contract)s is %(state)s: it is part of the "
                    "contract's record and cannot be deleted.",
                    visit=visit.display_name,
                    contract=visit.contract_id.display_name,
                    state=states[visit.state],
                )
            )

    # ------------------------------------------------------------------
    # Jobs
    # ------------------------------------------------------------------
    def _order_condition(self, today):
        return SQL(
            """order_id IS NULL AND state = 'planned'
               AND EXISTS (
                   SELECT 1 FROM service_contract_plan p
                     JOIN service_contract c ON c.id = p.contract_id
                    WHERE p.id = service_contract_visit.plan_id AND p.state = 'approved'
                      AND c.state = 'running'
                      AND service_contract_visit.planned_date
                          - LEAST(GREATEST(c.order_lead_days, 0), %s) <= %s)""",
            MAX_LEAD_DAYS,
            today,
        )

    @api.model
    def _cron_create_orders(self, batch_size=200):
        """Service orders of the planned visits of approved plans whose date
        is within the contract's lead time, one locked batch per call. The
        unique link of an order to its visit keeps re-runs from creating a
        second order."""
        today = fields.Date.context_today(self)
        condition = self._order_condition(today)
        visits = self._cron_lock_batch(condition, batch_size)
        visits._create_orders()
        return self._cron_done(len(visits), self._cron_count(condition))

    def _create_orders(self):
        if not self:
            return self.env["service.order"]
        values = []
        for visit in self:
            contract = visit.contract_id
            installed = visit.installed_product_id  # read for the whole batch at once
            values.append(
                {
                    "partner_id": contract.partner_id.id,
                    "installed_product_id": installed.id,
                    "appliance": installed.product_id.display_name,
                    "serial_number": installed.serial_number,
                    "category_id": visit.line_id._visit_category().id,
                    "team_id": contract.team_id.id,
                    "contract_id": contract.id,
                    "contract_visit_id": visit.id,
                    "address": contract.site_address,
                    "company_id": visit.company_id.id,
                    "description": _(
                        "Planned maintenance visit of contract %(contract)s, period %(start)s "
                        "to %(end)s, planned on %(date)s.",
                        contract=contract.name,
                        start=format_date(self.env, visit.period_start),
                        end=format_date(self.env, visit.period_end),
                        date=format_date(self.env, visit.planned_date),
                    ),
                }
            )
        # sudo: the job creates the orders for the contract's company
        return self.env["service.order"].sudo().with_context(tracking_disable=True).create(values)

    def _missed_condition(self, today):
        return SQL(
            """missed IS NOT TRUE AND period_end < %s AND state IN ('planned', 'ordered')
               AND EXISTS (SELECT 1 FROM service_contract_plan p
                            WHERE p.id = service_contract_visit.plan_id
                              AND p.state = 'approved')""",
            today,
        )

    @api.model
    def _cron_flag_missed(self, batch_size=500):
        """Flag the visits whose order is not done by the end of their period
        and note them on their contract, one locked batch per call."""
        today = fields.Date.context_today(self)
        condition = self._missed_condition(today)
        visits = self._cron_lock_batch(condition, batch_size)
        if visits:
            visits.write({"missed": True})
            bodies = {}
            for contract in visits.contract_id:
                missed = visits.filtered(lambda v, c=contract: v.contract_id == c)
                bodies[contract.id] = _(
                    "Planned visits missed (not done by the end of their period): %(visits)s.",
                    visits=", ".join(missed.mapped("display_name")),
                )
            visits.contract_id._notify_log_batch(
                bodies, {c.id: c.user_id.partner_id for c in visits.contract_id}
            )
        return self._cron_done(len(visits), self._cron_count(condition))
