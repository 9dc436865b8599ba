from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

KPI_WINDOW_MONTHS = 3
CRON_BATCH = 500


class TrainingEvaluation(models.Model):
    _name = "training.evaluation"
    _description = "Training Effectiveness Review"
    _inherit = ["service.cron.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "review_date, id"
    _check_company_auto = True

    attendance_id = fields.Many2one(
        "training.attendance", required=True, index=True, ondelete="cascade"
    )
    session_id = fields.Many2one(
        "training.session", related="attendance_id.session_id", store=True, index=True
    )
    course_id = fields.Many2one(
        "training.course", related="attendance_id.course_id", store=True, index=True
    )
    employee_id = fields.Many2one(
        "hr.employee", related="attendance_id.employee_id", store=True, index=True
    )
    user_id = fields.Many2one("res.users", related="employee_id.user_id", store=True, index=True)
    milestone = fields.Selection(
        [
            ("end", "End of Session"),
            ("3m", "3 Months"),
            ("6m", "6 Months"),
            ("12m", "12 Months"),
        ],
        required=True,
        index=True,
    )
    review_date = fields.Date(required=True, index=True)
    state = fields.Selection(
        [("planned", "Planned"), ("measured", "Measured"), ("done", "Reviewed")],
        default="planned",
        required=True,
        index=True,
        tracking=True,
    )
    feedback_avg_before = fields.Float(string="Feedback Before", digits=(16, 2))
    sla_met_rate_before = fields.Float(string="SLA Met % Before", digits=(16, 1))
    complaints_before = fields.Integer()
    orders_before = fields.Integer()
    feedback_avg_after = fields.Float(string="Feedback After", digits=(16, 2))
    sla_met_rate_after = fields.Float(string="SLA Met % After", digits=(16, 1))
    complaints_after = fields.Integer()
    orders_after = fields.Integer()
    feedback_delta = fields.Float(compute="_compute_deltas", digits=(16, 2))
    sla_met_rate_delta = fields.Float(compute="_compute_deltas", digits=(16, 1))
    complaints_delta = fields.Integer(compute="_compute_deltas")
    rating = fields.Selection(
        [
            ("1", "Poor"),
            ("2", "Fair"),
            ("3", "Good"),
            ("4", "Very Good"),
            ("5", "Excellent"),
        ],
        string="Effectiveness",
    )
    comment = fields.Text()
    reviewer_id = fields.Many2one("res.users", tracking=True, readonly=True)
    company_id = fields.Many2one(
        "res.company", related="attendance_id.company_id", store=True, index=True
    )

    _sql_constraints = [
        (
            "attendance_milestone_uniq",
            "unique(attendance_id, milestone)",
            "One review per milestone and attendee.",
        ),
    ]

    @api.depends("employee_id.name", "course_id.name", "milestone")
    def _compute_display_name(self):
        labels = dict(self._fields["milestone"]._description_selection(self.env))
        for review in self:
            review.display_name = " · ".join(
                part
                for part in (
                    review.employee_id.name,
                    review.course_id.name,
                    labels.get(review.milestone),
                )
                if part
            )

    @api.depends(
        "feedback_avg_before",
        "feedback_avg_after",
        "sla_met_rate_before",
        "sla_met_rate_after",
        "complaints_before",
        "complaints_after",
    )
    def _compute_deltas(self):
        for ev in self:
            ev.feedback_delta = ev.feedback_avg_after - ev.feedback_avg_before
            ev.sla_met_rate_delta = ev.sla_met_rate_after - ev.sla_met_rate_before
            ev.complaints_delta = ev.complaints_after - ev.complaints_before

    @api.model
    def _kpi_vals(self, kpi, suffix):
        return {
            f"feedback_avg_{suffix}": kpi["feedback_avg"] or 0.0,
            f"sla_met_rate_{suffix}": kpi["sla_met_rate"] or 0.0,
            f"complaints_{suffix}": kpi["complaints"],
            f"orders_{suffix}": kpi["orders"],
        }

    def _fill_kpis_before(self):
        """KPIs over the 3 months before the session, one call per session."""
        report = self.env["service.kpi.report"]
        by_session = defaultdict(lambda: self.browse())
        for ev in self:
            by_session[ev.session_id] |= ev
        for session, evaluations in by_session.items():
            date_to = session.date_start
            date_from = date_to - relativedelta(months=KPI_WINDOW_MONTHS)
            kpis = report._get_technician_scores(evaluations.user_id.ids, date_from, date_to)
            for ev in evaluations.filtered("user_id"):
                ev.write(self._kpi_vals(kpis[ev.user_id.id], "before"))

    def _fill_kpis_after(self):
        """KPIs from the session end to the review date, one call per
        (session, milestone)."""
        report = self.env["service.kpi.report"]
        groups = defaultdict(lambda: self.browse())
        for ev in self:
            groups[(ev.session_id, ev.review_date)] |= ev
        for (session, review_date), evaluations in groups.items():
            date_from = session.date_end
            date_to = fields.Datetime.to_datetime(review_date)
            if date_to <= date_from:
                date_to = date_from + relativedelta(days=1)
            kpis = report._get_technician_scores(evaluations.user_id.ids, date_from, date_to)
            for ev in evaluations:
                vals = {"state": "measured"}
                if ev.user_id:
                    vals.update(self._kpi_vals(kpis[ev.user_id.id], "after"))
                ev.write(vals)

    def action_done(self):
        for ev in self:
            if not ev.rating:
                raise UserError(
                    _(
                        "Give an effectiveness rating to the review of %(employee)s "
                        "(%(course)s) before closing it.",
                        employee=ev.employee_id.name,
                        course=ev.course_id.name,
                    )
                )
        self.write({"state": "done", "reviewer_id": self.env.uid})
        return True

    @api.constrains("review_date", "session_id")
    def _check_review_date(self):
        for ev in self:
            if ev.review_date < fields.Date.to_date(ev.session_id.date_start):
                raise ValidationError(
                    _("A review cannot precede its session %(name)s.", name=ev.session_id.name)
                )

    @api.model
    def _cron_measure_due_evaluations(self, batch_size=CRON_BATCH):
        """Fill the after-training KPIs of reviews whose date has come: one
        locked batch per call."""
        condition = SQL("state = 'planned' AND review_date <= %s", fields.Date.context_today(self))
        # sudo: system job measuring every company's reviews
        evaluations = self.sudo()._cron_lock_batch(condition, batch_size)
        evaluations._fill_kpis_after()
        return self._cron_done(len(evaluations), self._cron_count(condition))
