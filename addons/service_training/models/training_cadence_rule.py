from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class TrainingCadenceRule(models.Model):
    """A training cadence every employee of the job positions it names must
    keep: induction passed before first independent work, so many in-service
    sessions per period, a refresher at least every period, or so many
    training hours per week. A daily job records each employee's gaps; a gap
    of a blocking rule stops the person from being dispatched, a warning
    rule notes it on the order."""

    _name = "training.cadence.rule"
    _description = "Training Cadence Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    job_ids = fields.Many2many(
        "hr.job",
        string="Job Positions",
        help="Employees of these positions follow the rule; empty: every employee linked to "
        "a service user of the company.",
    )
    kind = fields.Selection(
        [
            ("induction", "Induction before Independent Work"),
            ("in_service", "In-service Sessions per Period"),
            ("refresher", "Refresher at Least Every Period"),
            ("weekly_hours", "Training Hours per Week"),
        ],
        required=True,
        default="in_service",
    )
    programme = fields.Selection(
        [
            ("induction", "New Technician Induction"),
            ("in_service", "In-service Training"),
            ("other", "Other"),
        ],
        help="Programme of the sessions that count; empty: any training.",
    )
    min_count = fields.Integer(string="Sessions Required", default=1)
    period_months = fields.Integer(string="Period (Months)", default=12)
    min_hours = fields.Float(string="Hours per Week", default=2.0)
    enforcement = fields.Selection(
        [("warning", "Warn when Dispatched"), ("block", "Block Dispatch")],
        required=True,
        default="warning",
    )

    @api.constrains("kind", "min_count", "period_months", "min_hours")
    def _check_values(self):
        for rule in self:
            if rule.kind in ("in_service", "refresher") and (
                rule.min_count < 1 or rule.period_months < 1
            ):
                raise ValidationError(
                    _(
                        "Cadence rule %(name)s needs at least one session over at least one month.",
                        name=rule.name,
                    )
                )
            if rule.kind == "weekly_hours" and rule.min_hours <= 0:
                raise ValidationError(
                    _("Cadence rule %(name)s needs a number of hours per week.", name=rule.name)
                )

    def _applies_to(self, employee):
        self.ensure_one()
        if self.company_id != employee.company_id:
            return False
        if self.job_ids:
            return employee.job_id in self.job_ids
        return bool(employee.user_id) and employee.user_id.has_group(
            "service_quality.group_service_user"
        )

    def _window(self, today):
        """``(start, end)`` datetimes of the sessions that count, ``None`` for
        no limit (induction)."""
        self.ensure_one()
        end = fields.Datetime.to_datetime(today + relativedelta(days=1))
        if self.kind == "induction":
            return None
        if self.kind == "weekly_hours":
            return end - relativedelta(days=7), end
        return end - relativedelta(months=self.period_months), end

    def _gaps(self, employees, today):
        """``[(employee, rule, count, hours)]`` for the employees breaking the
        rules of ``self`` (sessions and hours done in the rule's window): one
        grouped query on attendances per rule."""
        Attendance = self.env["training.attendance"].sudo()  # every employee's record
        gaps = []
        for rule in self:
            subjects = employees.filtered(rule._applies_to)
            if not subjects:
                continue
            domain = [
                ("employee_id", "in", subjects.ids),
                ("attendance", "=", "present"),
                ("session_id.state", "=", "done"),
            ]
            if rule.programme:
                domain.append(("session_id.programme", "=", rule.programme))
            if rule.kind == "induction":
                domain.append(("result", "=", "passed"))
            window = rule._window(today)
            if window:
                domain += [("session_date", ">=", window[0]), ("session_date", "<", window[1])]
            done = {
                employee.id: (count, hours or 0.0)
                for employee, count, hours in Attendance._read_group(
                    domain, ["employee_id"], ["__count", "hours:sum"]
                )
            }
            for employee in subjects:
                count, hours = done.get(employee.id, (0, 0.0))
                if rule._gap_detail(count, hours):
                    gaps.append((employee, rule, count, hours))
        return gaps

    def _gap_detail(self, count, hours):
        self.ensure_one()
        if self.kind == "induction":
            return False if count else _("Induction not passed yet.")
        if self.kind == "weekly_hours":
            if hours >= self.min_hours:
                return False
            return _(
                "%(hours)s h of training over the last 7 days, %(required)s h required.",
                hours=round(hours, 1),
                required=self.min_hours,
            )
        if count >= self.min_count:
            return False
        return _(
            "%(count)s session(s) over the last %(months)s months, %(required)s required.",
            count=count,
            months=self.period_months,
            required=self.min_count,
        )
