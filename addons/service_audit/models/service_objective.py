from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

# KPIs an objective can target: key of ``service.kpi.report.get_kpi_values``
# -> True when a higher value is better.
KPI_HIGHER_IS_BETTER = {
    "sla_met_rate": True,
    "ftf_rate": True,
    "feedback_score": True,
    "complaint_rate": False,
    "inspection_pass_rate": True,
    "response_hours": False,
    "resolution_hours": False,
}
KPI_SELECTION = [
    ("sla_met_rate", "SLA Met (%)"),
    ("ftf_rate", "First-Time Fix (%)"),
    ("feedback_score", "Average Feedback Score"),
    ("complaint_rate", "Complaints per 100 Orders"),
    ("inspection_pass_rate", "Inspection Pass Rate (%)"),
    ("response_hours", "Average Response Time (h)"),
    ("resolution_hours", "Average Resolution Time (h)"),
]
PERCENT_KPIS = ("sla_met_rate", "ftf_rate", "inspection_pass_rate")
# Days an owner gets to act on a missed objective.
CORRECTIVE_ACTION_DAYS = 30


class ServiceObjective(models.Model):
    """A quality objective: a target for one KPI of the KPI report, for a
    company (optionally one team) over a period. The actual value, the
    previous period's value (trend) and the status are stored and refreshed
    by a daily job from ``service.kpi.report.get_kpi_values``, the one source
    of every KPI figure. An objective missed at the end of its period opens a
    corrective action."""

    _name = "service.objective"
    _description = "Quality Objective"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_from desc, kpi, id"
    _check_company_auto = True

    name = fields.Char(
        compute="_compute_name", store=True, readonly=False, required=True, precompute=True
    )
    kpi = fields.Selection(KPI_SELECTION, string="KPI", required=True, tracking=True)
    target = fields.Float(required=True, tracking=True, digits=(16, 2))
    higher_is_better = fields.Boolean(compute="_compute_higher_is_better", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    team_id = fields.Many2one(
        "service.team",
        string="Team",
        index=True,
        check_company=True,
        help="Leave empty for an objective of the whole company.",
    )
    date_from = fields.Date(string="From", required=True, index=True, tracking=True)
    date_to = fields.Date(string="To", required=True, index=True, tracking=True)
    owner_id = fields.Many2one(
        "res.users",
        string="Owner",
        required=True,
        default=lambda self: self.env.user,
        check_company=True,
        tracking=True,
        help="Owns the corrective action opened when the objective is missed.",
    )
    actual = fields.Float(digits=(16, 2), readonly=True)
    has_actual = fields.Boolean(readonly=True)
    previous_actual = fields.Float(string="Previous Period", digits=(16, 2), readonly=True)
    has_previous = fields.Boolean(readonly=True)
    status = fields.Selection(
        [
            ("no_data", "No Data"),
            ("met", "Met"),
            ("at_risk", "At Risk"),
            ("missed", "Missed"),
        ],
        default="no_data",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
    )
    trend = fields.Selection(
        [("improving", "Improving"), ("stable", "Stable"), ("worsening", "Worsening")],
        readonly=True,
    )
    is_final = fields.Boolean(
        readonly=True,
        index=True,
        help="Set once the figures were read after the end of the period: they no longer change.",
    )
    refreshed_at = fields.Datetime(readonly=True)
    corrective_action_ids = fields.One2many("service.corrective.action", "objective_id")
    corrective_action_count = fields.Integer(compute="_compute_corrective_action_count")

    _sql_constraints = [
        ("period_check", "CHECK (date_from <= date_to)", "An objective ends after it starts."),
    ]

    @api.depends("kpi", "team_id", "date_from", "date_to")
    def _compute_name(self):
        labels = dict(self._fields["kpi"]._description_selection(self.env))
        for objective in self:
            if not objective.kpi:
                objective.name = objective.name or False
                continue
            parts = [labels[objective.kpi]]
            if objective.team_id:
                parts.append(objective.team_id.name)
            if objective.date_from and objective.date_to:
                parts.append(f"{objective.date_from} – {objective.date_to}")
            objective.name = " · ".join(parts)

    @api.depends("kpi")
    def _compute_higher_is_better(self):
        for objective in self:
            objective.higher_is_better = KPI_HIGHER_IS_BETTER.get(objective.kpi, True)

    def _compute_corrective_action_count(self):
        for objective in self:
            objective.corrective_action_count = len(objective.corrective_action_ids)

    @api.constrains("kpi", "target")
    def _check_target(self):
        for objective in self:
            if objective.target < 0:
                raise ValidationError(
                    _("Objective %(name)s: the target cannot be negative.", name=objective.name)
                )
            if objective.kpi in PERCENT_KPIS and objective.target > 100:
                raise ValidationError(
                    _("Objective %(name)s: a rate target is at most 100.", name=objective.name)
                )
            if objective.kpi == "feedback_score" and objective.target > 5:
                raise ValidationError(
                    _(
                        "Objective %(name)s: the feedback score is between 1 and 5.",
                        name=objective.name,
                    )
                )

    def write(self, vals):
        if set(vals) & {"kpi", "target", "team_id", "date_from", "date_to", "company_id"}:
            vals = dict(vals, is_final=False)
        return super().write(vals)

    def action_refresh(self):
        self._refresh_actuals()
        return True

    def action_view_corrective_actions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "service_quality.service_corrective_action_action"
        )
        action["domain"] = [("objective_id", "=", self.id)]
        action["context"] = {"default_objective_id": self.id, "default_owner_id": self.owner_id.id}
        return action

    def action_open_kpi_report(self):
        """The KPI pivot on the rows behind the actual value."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "service_quality.service_kpi_report_action"
        )
        action["domain"] = self._kpi_domain(self.date_from, self.date_to)
        action["context"] = {}
        return action

    # ------------------------------------------------------------------
    # Actual values
    # ------------------------------------------------------------------
    def _kpi_domain(self, date_from, date_to):
        domain = [
            ("company_id", "=", self.company_id.id),
            ("date", ">=", date_from),
            ("date", "<=", date_to),
        ]
        if self.team_id:
            domain.append(("team_id", "=", self.team_id.id))
        return domain

    def _previous_period(self):
        """The period of the same length just before the objective's."""
        days = (self.date_to - self.date_from).days
        previous_to = self.date_from - relativedelta(days=1)
        return previous_to - relativedelta(days=days), previous_to

    def _status_for(self, value, today):
        if value is None:
            return "no_data"
        reached = value >= self.target if self.higher_is_better else value <= self.target
        if reached:
            return "met"
        return "missed" if self.date_to < today else "at_risk"

    def _trend_for(self, value, previous):
        if value is None or previous is None:
            return False
        delta = value - previous
        if abs(delta) < 0.05:
            return "stable"
        return "improving" if (delta > 0) == self.higher_is_better else "worsening"

    def _refresh_actuals(self):
        """Read the actual and previous values of the objectives from the KPI
        report: one ``get_kpi_values`` query per distinct (company, team,
        period), however many KPIs share it. Opens a corrective action for
        each objective found missed."""
        Report = self.env["service.kpi.report"].sudo()  # company figures, across record rules
        today = fields.Date.context_today(self)
        cache = {}

        def kpis(objective, date_from, date_to):
            key = (objective.company_id.id, objective.team_id.id, date_from, date_to)
            if key not in cache:
                cache[key] = Report.get_kpi_values(objective._kpi_domain(date_from, date_to))
            return cache[key]

        now = fields.Datetime.now()
        missed = self.browse()
        for objective in self:
            value = kpis(objective, objective.date_from, objective.date_to)[objective.kpi]
            previous = kpis(objective, *objective._previous_period())[objective.kpi]
            status = objective._status_for(value, today)
            if status == "missed" and objective.status != "missed":
                missed |= objective
            objective.write(
                {
                    "actual": value or 0.0,
                    "has_actual": value is not None,
                    "previous_actual": previous or 0.0,
                    "has_previous": previous is not None,
                    "status": status,
                    "trend": objective._trend_for(value, previous),
                    "refreshed_at": now,
                    "is_final": objective.date_to < today,
                }
            )
        missed._open_corrective_actions()

    def _open_corrective_actions(self):
        Action = self.env["service.corrective.action"].sudo()  # the job runs for every owner
        deadline = fields.Date.context_today(self) + relativedelta(days=CORRECTIVE_ACTION_DAYS)
        vals_list = []
        for objective in self.filtered(lambda o: not o.corrective_action_ids):
            vals_list.append(
                {
                    "name": _(
                        "Objective missed: %(name)s (target %(target)s, actual %(actual)s)",
                        name=objective.name,
                        target=objective.target,
                        actual=round(objective.actual, 2),
                    ),
                    "objective_id": objective.id,
                    "owner_id": objective.owner_id.id,
                    "deadline": deadline,
                    "company_id": objective.company_id.id,
                }
            )
        return Action.create(vals_list)

    def format_value(self, value, has_value):
        """The value as people read it ("–" when nothing counts)."""
        self.ensure_one()
        if not has_value:
            return "–"
        return f"{value:.2f}" if self.kpi == "feedback_score" else f"{value:.1f}"

    @api.model
    def _cron_refresh_objectives(self, batch_size=500):
        """Refresh the objectives whose figures may still change (not final)
        and were not refreshed today, one locked batch per call; the cron
        runner calls again while some remain."""
        today_start = fields.Datetime.to_datetime(fields.Date.context_today(self))
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT id FROM service_objective
             WHERE is_final IS NOT TRUE
               AND (refreshed_at IS NULL OR refreshed_at < %s)
             ORDER BY date_to, id
             LIMIT %s
             FOR UPDATE SKIP LOCKED
            """,
            (today_start, batch_size),
        )
        objectives = self.browse([row[0] for row in self.env.cr.fetchall()])
        objectives._refresh_actuals()
        remaining = self.search_count(
            [
                ("is_final", "=", False),
                "|",
                ("refreshed_at", "=", False),
                ("refreshed_at", "<", today_start),
            ]
        )
        self.env["ir.cron"]._notify_progress(done=len(objectives), remaining=remaining)
        return len(objectives)
