from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from .service_contract_line import FREQUENCY_MONTHS

QUARTERS = [("q1", "Q1"), ("q2", "Q2"), ("q3", "Q3"), ("q4", "Q4")]


class ServiceContractPlan(models.Model):
    """Annual maintenance plan of a contract: one planned visit per covered
    product and period, drafted and submitted by a dispatcher, approved by a
    service manager who is not the submitter, reviewed every quarter."""

    _name = "service.contract.plan"
    _description = "Annual Maintenance Plan"
    _inherit = [
        "service.workflow.mixin",
        "service.cron.mixin",
        "service.notify.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "year desc, id desc"
    _check_company_auto = True
    _workflow_fields = ("state", "submitted_by_id", "approved_by_id", "approved_on")
    _workflow_moves = {
        "submitted": ("draft",),
        "approved": ("submitted",),
        "draft": ("submitted", "cancelled"),
        "cancelled": ("draft", "submitted", "approved"),
    }

    name = fields.Char(compute="_compute_name", store=True)
    contract_id = fields.Many2one(
        "service.contract", required=True, index=True, check_company=True, ondelete="cascade"
    )
    partner_id = fields.Many2one(related="contract_id.partner_id", store=True, index=True)
    year = fields.Integer(
        required=True, default=lambda self: fields.Date.context_today(self).year, index=True
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("approved", "Approved"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        index=True,
        tracking=True,
        copy=False,
    )
    submitted_by_id = fields.Many2one("res.users", readonly=True, copy=False, tracking=True)
    approved_by_id = fields.Many2one(
        "res.users", string="Approved By", readonly=True, copy=False, tracking=True
    )
    approved_on = fields.Date(readonly=True, copy=False)
    visit_ids = fields.One2many("service.contract.visit", "plan_id", string="Visits")
    review_ids = fields.One2many("service.contract.plan.review", "plan_id", string="Reviews")
    visit_count = fields.Integer(compute="_compute_visit_count")
    review_due = fields.Selection(
        QUARTERS,
        string="Review Due",
        compute="_compute_review_due",
        help="The last ended quarter of the plan's year that has no review yet.",
    )
    review_reminded_quarter = fields.Integer(
        default=0, copy=False, readonly=True, help="Last quarter (1-4) whose review was asked for."
    )
    company_id = fields.Many2one(
        related="contract_id.company_id", store=True, index=True, precompute=True
    )

    _sql_constraints = [
        (
            "year_check",
            "CHECK(year BETWEEN 2000 AND 2100)",
            "A plan's year must be between 2000 and 2100.",
        ),
    ]

    @api.depends("contract_id.name", "year")
    def _compute_name(self):
        for plan in self:
            plan.name = f"{plan.contract_id.name or ''} / {plan.year}"

    def _compute_visit_count(self):
        counts = dict(
            self.env["service.contract.visit"]._read_group(
                [("plan_id", "in", self.ids)], ["plan_id"], ["__count"]
            )
        )
        for plan in self:
            plan.visit_count = counts.get(plan, 0)

    @api.depends("review_ids.quarter", "year", "state")
    def _compute_review_due(self):
        today = fields.Date.context_today(self)
        for plan in self:
            ended = plan._ended_quarters(today)
            quarter = f"q{ended}" if ended else False
            if (
                plan.state != "approved"
                or not quarter
                or quarter in plan.review_ids.mapped("quarter")
            ):
                quarter = False
            plan.review_due = quarter

    @api.constrains("contract_id", "year", "state")
    def _check_one_plan_per_year(self):
        for plan in self.filtered(lambda p: p.state != "cancelled"):
            twin = self.search_count(
                [
                    ("contract_id", "=", plan.contract_id.id),
                    ("year", "=", plan.year),
                    ("state", "!=", "cancelled"),
                    ("id", "!=", plan.id),
                ]
            )
            if twin:
                raise ValidationError(
                    _(
                        "Contract %(contract)s already has a plan for %(year)s.",
                        contract=plan.contract_id.display_name,
                        year=plan.year,
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_history(self):
        # sudo: a visit counts whoever may read it
        self.sudo().visit_ids._check_history_kept()

    def _ended_quarters(self, today):
        """Number of quarters of the plan's year ended by ``today`` (0-4)."""
        self.ensure_one()
        return max(0, min(4, (today.year - self.year) * 4 + (today.month - 1) // 3))

    def _workflow_actions_hint(self, field_names):
        return _("the Submit, Approve, Back to Draft and Cancel buttons")

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_generate_visits(self):
        """(Re)generate the planned visits of draft plans: one per covered
        product and period of the year within the contract's dates."""
        for plan in self:
            if plan.state != "draft":
                raise UserError(
                    _(
                        "Plan %(name)s is not a draft: its visits can no longer be generated.",
                        name=plan.display_name,
                    )
                )
        self.visit_ids.unlink()
        values = []
        for plan in self:
            for line in plan.contract_id.line_ids:
                values += plan._visit_values(line)
        self.env["service.contract.visit"].create(values)
        return True

    def _visit_values(self, line):
        """Values of the visits of ``line`` in the plan's year."""
        self.ensure_one()
        contract = self.contract_id
        months = FREQUENCY_MONTHS[line.frequency]
        values = []
        for index in range(12 // months):
            start = date(self.year, 1 + index * months, 1)
            end = start + relativedelta(months=months, days=-1)
            if end < contract.date_start or start > contract.date_end:
                continue
            values.append(
                {
                    "plan_id": self.id,
                    "line_id": line.id,
                    "period_start": start,
                    "period_end": end,
                    "planned_date": max(start, contract.date_start),
                }
            )
        return values

    def action_submit(self):
        self._workflow_check_move("submitted")
        for plan in self:
            if not plan.visit_ids:
                raise UserError(_("Plan %(name)s has no planned visit.", name=plan.display_name))
        self._workflow_move("submitted", {"submitted_by_id": self.env.uid})
        return True

    def _workflow_check_move(self, target):
        super()._workflow_check_move(target)
        if target == "submitted" and not self.env.su:
            if not self.env.user.has_group("service_quality.group_service_dispatcher"):
                raise AccessError(
                    _(
                        "Plan %(name)s: only a dispatcher can submit a maintenance plan.",
                        name=self[:1].display_name,
                    )
                )
        if target == "approved" and not self.env.su:
            if not self.env.user.has_group("service_quality.group_service_manager"):
                raise AccessError(
                    _(
                        "Plan %(name)s: only a service manager can approve a maintenance plan.",
                        name=self[:1].display_name,
                    )
                )

    def action_approve(self):
        self._workflow_check_move("approved")
        self._check_approver_not_requester(
            lambda plan: plan.submitted_by_id or plan.create_uid,
            _("Plan %(name)s was drafted and submitted by you: another manager must approve it."),
        )
        self._workflow_move(
            "approved",
            {"approved_by_id": self.env.uid, "approved_on": fields.Date.context_today(self)},
        )
        return True

    def action_draft(self):
        if self.visit_ids.filtered("order_id"):
            raise UserError(
                _(
                    "Plan %(name)s already has service orders: it cannot go back to draft.",
                    name=self.visit_ids.filtered("order_id")[0].plan_id.display_name,
                )
            )
        return self._workflow_move(
            "draft", {"submitted_by_id": False, "approved_by_id": False, "approved_on": False}
        )

    def action_cancel(self):
        return self._workflow_move("cancelled")

    def action_add_review(self):
        self.ensure_one()
        ended = self._ended_quarters(fields.Date.context_today(self))
        return {
            "type": "ir.actions.act_window",
            "res_model": "service.contract.plan.review",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_plan_id": self.id,
                "default_quarter": f"q{max(ended, 1)}",
            },
        }

    # ------------------------------------------------------------------
    # Jobs
    # ------------------------------------------------------------------
    def _review_condition(self, today):
        ended = (today.year * 4) + (today.month - 1) // 3
        return SQL(
            "state = 'approved' AND review_reminded_quarter < LEAST(4, %s - year * 4)",
            ended,
        )

    @api.model
    def _cron_review_reminders(self, batch_size=500):
        """Ask the contract's responsible for the quarterly review of each
        approved plan once its quarter has ended (one activity per plan and
        quarter), one locked batch per call."""
        today = fields.Date.context_today(self)
        condition = self._review_condition(today)
        plans = self._cron_lock_batch(condition, batch_size)
        activity_type = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        activities = []
        for plan in plans:
            ended = plan._ended_quarters(today)
            plan.review_reminded_quarter = ended
            if plan.review_due and plan.contract_id.user_id:
                activities.append(
                    {
                        "res_id": plan.id,
                        "user_id": plan.contract_id.user_id.id,
                        "summary": _(
                            "Quarterly review Q%(quarter)s of %(plan)s",
                            quarter=ended,
                            plan=plan.display_name,
                        ),
                    }
                )
        plans._notify_schedule_batch(activity_type, activities)
        return self._cron_done(len(plans), self._cron_count(condition))
