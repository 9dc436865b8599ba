from collections import defaultdict
from datetime import datetime, time

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

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
    "return_visit_coverage": True,
    "calibration_on_time": True,
    "certificate_coverage": True,
    "training_hours": True,
}
KPI_SELECTION = [
    ("sla_met_rate", "SLA Met (%)"),
    ("ftf_rate", "First-Time Fix (%)"),
    ("feedback_score", "Average Feedback Score"),
    ("complaint_rate", "Complaints per 100 Orders"),
    ("inspection_pass_rate", "Inspection Pass Rate (%)"),
    ("response_hours", "Average Response Time (h)"),
    ("resolution_hours", "Average Resolution Time (h)"),
    ("return_visit_coverage", "Return-Visit Coverage (%)"),
    ("calibration_on_time", "Calibration on Time (%)"),
    ("certificate_coverage", "Certificate Coverage (%)"),
    ("training_hours", "Training Hours per Technician"),
]
PERCENT_KPIS = (
    "sla_met_rate",
    "ftf_rate",
    "inspection_pass_rate",
    "return_visit_coverage",
    "calibration_on_time",
    "certificate_coverage",
)
# KPIs read from their own records (orders, calibrations, certificates,
# attendances) rather than from the KPI report.
RECORD_KPIS = (
    "return_visit_coverage",
    "calibration_on_time",
    "certificate_coverage",
    "training_hours",
)
# Highest target an objective may set for the KPIs that are neither rates
# (at most 100) nor the feedback score (1 to 5): a year of hours, 100
# complaints per 100 orders.
KPI_TARGET_MAX = {
    "complaint_rate": 100.0,
    "response_hours": 8760.0,
    "resolution_hours": 8760.0,
    "training_hours": 8760.0,
}
# Days an owner gets to act on a missed objective.
CORRECTIVE_ACTION_DAYS = 30
# Fields of an objective its figures depend on: changing one of them makes
# final figures measurable again.
MEASURED_SCOPE = ("kpi", "target", "team_id", "date_from", "date_to", "company_id")
# Figures written by the refresh only (the daily job or the Refresh button).
MEASURED_FIGURES = (
    "actual",
    "has_actual",
    "previous_actual",
    "has_previous",
    "status",
    "trend",
    "is_final",
    "refreshed_at",
    "higher_is_better",
)


class ServiceObjective(models.Model):
    """A quality objective: a target for one KPI of the KPI report, for a
    company (optionally one team) over a period. The actual value, the
    previous period's value (trend) and the status are stored and refreshed
    by a daily job from ``service.kpi.report.get_kpi_values``, the one source
    of every KPI figure. An objective missed at the end of its period opens a
    corrective action."""

    _name = "service.objective"
    _description = "Quality Objective"
    _inherit = [
        "service.workflow.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "service.cron.mixin",
    ]
    _order = "date_from desc, kpi, id"
    _check_company_auto = True
    # the figures are measured, never typed: only the refresh writes them
    _workflow_fields = MEASURED_FIGURES

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
    actual = fields.Float(digits=(16, 2), readonly=True, copy=False)
    has_actual = fields.Boolean(readonly=True, copy=False)
    previous_actual = fields.Float(
        string="Previous Period", digits=(16, 2), readonly=True, copy=False
    )
    has_previous = fields.Boolean(readonly=True, copy=False)
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
        copy=False,
        index=True,
        tracking=True,
    )
    trend = fields.Selection(
        [("improving", "Improving"), ("stable", "Stable"), ("worsening", "Worsening")],
        readonly=True,
        copy=False,
    )
    is_final = fields.Boolean(
        readonly=True,
        copy=False,
        index=True,
        help="Set once the figures were read after the end of the period: they no longer change.",
    )
    refreshed_at = fields.Datetime(readonly=True, copy=False)
    corrective_action_ids = fields.One2many("service.corrective.action", "objective_id")
    corrective_action_count = fields.Integer(compute="_compute_corrective_action_count")

    _sql_constraints = [
        ("period_check", "CHECK (date_from <= date_to)", "An objective ends after it starts."),
    ]

    @api.depends("kpi", "team_id", "date_from", "date_to")
    def _compute_name(self):
        labels = dict(self._fields["kpi"]._description_selection(self.env))
        for objective in self:
            objective.name = objective._generated_name(labels) or objective.name or False

    @api.depends("name", "kpi", "team_id", "date_from", "date_to")
    @api.depends_context("lang")
    def _compute_display_name(self):
        """A name generated from the KPI reads in the reader's language,
        whatever the language of whoever created the objective; a name typed
        by hand stays as typed."""
        kpi_field = self._fields["kpi"]
        labels_by_lang = {
            lang: dict(kpi_field._description_selection(self.with_context(lang=lang).env))
            for lang, _name in self.env["res.lang"].get_installed()
        }
        mine = dict(kpi_field._description_selection(self.env))
        for objective in self:
            generated = {objective._generated_name(labels) for labels in labels_by_lang.values()}
            if objective.name in generated:
                objective.display_name = objective._generated_name(mine)
            else:
                objective.display_name = objective.name

    @api.depends("kpi")
    def _compute_higher_is_better(self):
        for objective in self:
            objective.higher_is_better = KPI_HIGHER_IS_BETTER.get(objective.kpi, True)

    def _compute_corrective_action_count(self):
        for objective in self:
            objective.corrective_action_count = len(objective.corrective_action_ids)

    @api.constrains("kpi", "target")
    def _check_target(self):
        labels = dict(self._fields["kpi"]._description_selection(self.env))
        for objective in self:
            if objective.target < 0:
                raise ValidationError(
                    _("Objective %(name)s: the target cannot be negative.", name=objective.name)
                )
            if objective.kpi in PERCENT_KPIS and objective.target > 100:
                raise ValidationError(
                    _("Objective %(name)s: a rate target is at most 100.", name=objective.name)
                )
            if objective.kpi == "feedback_score" and not 1 <= objective.target <= 5:
                raise ValidationError(
                    _(
                        "Objective %(name)s: the feedback score is between 1 and 5.",
                        name=objective.name,
                    )
                )
            highest = KPI_TARGET_MAX.get(objective.kpi)
            if highest is not None and objective.target > highest:
                highest_text = "%g" % highest
                raise ValidationError(
                    _(
                        "Objective %(name)s: a target of %(kpi)s is at most %(max)s.",
                        name=objective.name,
                        kpi=labels[objective.kpi],
                        max=highest_text,
                    )
                )

    def write(self, vals):
        res = super().write(vals)
        if set(vals) & set(MEASURED_SCOPE):
            # the final figures no longer measure this objective: read again
            self.filtered("is_final")._workflow_write({"is_final": False})
        return res

    def action_refresh(self):
        self._refresh_actuals()
        return True

    def action_view_corrective_actions(self):
        self.ensure_one()
        return self.env["service.corrective.action"]._action_for(
            "objective_id", self, owner_id=self.owner_id.id
        )

    def action_open_kpi_report(self):
        """The KPI pivot on the rows behind the actual value; for a KPI read
        from its records, those records."""
        self.ensure_one()
        if self.kpi in RECORD_KPIS:
            return self._record_kpi_action()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "service_quality.service_kpi_report_action"
        )
        action["domain"] = self._kpi_domain(self.date_from, self.date_to)
        action["context"] = {}
        return action

    def _workflow_actions_hint(self, field_names):
        return _("the Refresh Actual button (the daily job refreshes them too)")

    # ------------------------------------------------------------------
    # Actual values
    # ------------------------------------------------------------------
    def _generated_name(self, labels):
        """KPI label (from ``labels``, in one language), team and period."""
        self.ensure_one()
        if not self.kpi:
            return False
        parts = [labels[self.kpi]]
        if self.team_id:
            parts.append(self.team_id.name)
        if self.date_from and self.date_to:
            parts.append(f"{self.date_from} – {self.date_to}")
        return " · ".join(parts)

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
            if objective.kpi in RECORD_KPIS:
                key = (objective.kpi, objective.company_id.id, objective.team_id.id)
                key += (date_from, date_to)
                if key not in cache:
                    cache[key] = {
                        objective.kpi: objective._record_kpi_value(date_from, date_to, today)
                    }
                return cache[key]
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
            objective._workflow_write(
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

    def _record_kpi_action(self):
        start, end = self._period_bounds(self.date_from, self.date_to)
        if self.kpi == "return_visit_coverage":
            xmlid = "service_quality.service_order_action"
            domain = self._order_domain(self.date_from, self.date_to)
        elif self.kpi == "calibration_on_time":
            xmlid = "equipment_care.equipment_calibration_action"
            domain = [
                ("company_id", "=", self.company_id.id),
                ("next_due_date", ">=", self.date_from),
                ("next_due_date", "<=", self.date_to),
            ]
        elif self.kpi == "certificate_coverage":
            xmlid = "service_training.training_certification_action"
            domain = [("employee_id", "in", self._technicians().ids)]
        else:
            xmlid = "service_training.training_attendance_action"
            domain = [
                ("employee_id", "in", self._technicians().ids),
                ("session_date", ">=", start),
                ("session_date", "<", end),
            ]
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = domain
        action["context"] = {}
        return action

    # ------------------------------------------------------------------
    # KPIs read from their records (sudo: company figures, across rules)
    # ------------------------------------------------------------------
    @api.model
    def _kpi_value(self, kpi, company, date_from, date_to, team=None, report_values=None):
        """The value of ``kpi`` for ``company`` (and ``team``) over
        ``[date_from, date_to]``, wherever it is read from: ``report_values``
        (``get_kpi_values`` of the same scope, read when not given) or the
        records of a KPI of ``RECORD_KPIS``."""
        if kpi in RECORD_KPIS:
            probe = self.new(
                {
                    "kpi": kpi,
                    "company_id": company.id,
                    "team_id": team.id if team else False,
                    "date_from": date_from,
                    "date_to": date_to,
                }
            )
            today = fields.Date.context_today(self)
            return probe._record_kpi_value(date_from, date_to, today)
        if report_values is None:
            domain = [
                ("company_id", "=", company.id),
                ("date", ">=", date_from),
                ("date", "<=", date_to),
            ]
            if team:
                domain.append(("team_id", "=", team.id))
            # company figures, across record rules
            report_values = self.env["service.kpi.report"].sudo().get_kpi_values(domain)
        return report_values[kpi]

    def _record_kpi_value(self, date_from, date_to, today):
        """The value of a KPI of ``RECORD_KPIS`` over ``[date_from, date_to]``
        for the objective's company (and team), ``None`` when nothing counts."""
        self.ensure_one()
        return getattr(self, f"_kpi_{self.kpi}")(date_from, date_to, today)

    def _period_bounds(self, date_from, date_to):
        start = datetime.combine(date_from, time.min)
        return start, datetime.combine(date_to + relativedelta(days=1), time.min)

    def _order_domain(self, date_from, date_to):
        """Orders of the company (and team) finished in the period."""
        start, end = self._period_bounds(date_from, date_to)
        domain = [
            ("company_id", "=", self.company_id.id),
            ("state", "in", ("done", "closed")),
            ("resolved_at", ">=", start),
            ("resolved_at", "<", end),
        ]
        if self.team_id:
            domain.append(("team_id", "=", self.team_id.id))
        return domain

    def _technicians(self):
        """Employees counted as the objective's technicians: the team's
        members, else the company's technicians (service users who do not
        dispatch)."""
        Employee = self.env["hr.employee"].sudo()
        if self.team_id:
            users = self.team_id.member_ids | self.team_id.leader_id
            return Employee.search(
                [("user_id", "in", users.ids), ("company_id", "=", self.company_id.id)]
            )
        technician = self.env.ref("service_quality.group_service_user")
        dispatcher = self.env.ref("service_quality.group_service_dispatcher")
        return Employee.search(
            [
                ("company_id", "=", self.company_id.id),
                ("user_id.groups_id", "in", technician.id),
                ("user_id.groups_id", "not in", dispatcher.id),
            ]
        )

    def _kpi_return_visit_coverage(self, date_from, date_to, today):
        """Orders finished in the period that got a return visit or the
        customer's feedback, among the orders finished in the period."""
        Order = self.env["service.order"].sudo()
        domain = self._order_domain(date_from, date_to)
        total = Order.search_count(domain)
        if not total:
            return None
        covered = Order.search_count(
            [*domain, "|", ("return_visit_done_on", "!=", False), ("feedback_ids", "!=", False)]
        )
        return 100.0 * covered / total

    def _kpi_calibration_on_time(self, date_from, date_to, today):
        """Calibrations falling due in the period (the next due date of the
        previous one) done by their due date, among those done or overdue;
        calibrations not yet due are not judged. Tools have no team: the
        figure is the company's."""
        Calibration = self.env["equipment.calibration"].sudo()
        due = Calibration.search(
            [
                ("company_id", "=", self.company_id.id),
                ("next_due_date", ">=", date_from),
                ("next_due_date", "<=", date_to),
            ]
        )
        if not due:
            return None
        later = Calibration.search(
            [("equipment_id", "in", due.equipment_id.ids), ("date", ">", min(due.mapped("date")))],
            order="date",
        )
        dates = defaultdict(list)
        for calibration in later:
            dates[calibration.equipment_id.id].append(calibration.date)
        judged = on_time = 0
        for calibration in due:
            following = [d for d in dates[calibration.equipment_id.id] if d > calibration.date]
            if following and following[0] <= calibration.next_due_date:
                judged += 1
                on_time += 1
            elif calibration.next_due_date < today and calibration.equipment_id.active:
                judged += 1
        return 100.0 * on_time / judged if judged else None

    def _kpi_certificate_coverage(self, date_from, date_to, today):
        """Technicians holding a certificate valid on the last day of the
        period (today while it runs), among the technicians."""
        technicians = self._technicians()
        if not technicians:
            return None
        day = min(date_to, today)
        holders = (
            self.env["training.certification"]
            .sudo()
            .search(
                [
                    ("employee_id", "in", technicians.ids),
                    ("issue_date", "<=", day),
                    "|",
                    ("expiry_date", "=", False),
                    ("expiry_date", ">=", day),
                    "|",
                    ("revoked_on", "=", False),
                    ("revoked_on", ">", day),
                ]
            )
            .employee_id
        )
        return 100.0 * len(holders) / len(technicians)

    def _kpi_training_hours(self, date_from, date_to, today):
        """Training hours credited to the technicians for sessions of the
        period, divided by the number of technicians."""
        technicians = self._technicians()
        if not technicians:
            return None
        start, end = self._period_bounds(date_from, date_to)
        [(hours,)] = (
            self.env["training.attendance"]
            .sudo()
            ._read_group(
                [
                    ("employee_id", "in", technicians.ids),
                    ("session_date", ">=", start),
                    ("session_date", "<", end),
                ],
                [],
                ["hours:sum"],
            )
        )
        return (hours or 0.0) / len(technicians)

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
        and were not refreshed today, one locked batch per call
        (``service.cron.mixin``); the cron runner calls again while some
        remain."""
        today_start = fields.Datetime.to_datetime(fields.Date.context_today(self))
        condition = SQL(
            "is_final IS NOT TRUE AND (refreshed_at IS NULL OR refreshed_at < %s)", today_start
        )
        objectives = self._cron_lock_batch(condition, batch_size, order=SQL("date_to, id"))
        objectives._refresh_actuals()
        return self._cron_done(len(objectives), self._cron_count(condition))
