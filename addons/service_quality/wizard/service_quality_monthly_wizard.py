from dateutil.relativedelta import relativedelta

from odoo import fields, models


class ServiceQualityMonthlyWizard(models.TransientModel):
    _name = "service.quality.monthly.wizard"
    _description = "Print the Monthly Quality Report"

    month = fields.Date(
        string="Month",
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1)
        - relativedelta(months=1),
        help="Any day of the month to report on.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )

    def _period(self):
        start = self.month.replace(day=1)
        return start, start + relativedelta(months=1)

    def _get_figures(self):
        """Totals and per-category / per-team / per-technician lines of the
        month, from the KPI report (grouped queries only)."""
        self.ensure_one()
        start, end = self._period()
        Report = self.env["service.kpi.report"]
        domain = [
            ("company_id", "=", self.company_id.id),
            ("date", ">=", start),
            ("date", "<", end),
        ]
        aggregates = [
            "order_count:sum",
            "closed_count:sum",
            "response_hours:avg",
            "resolution_hours:avg",
            "sla_met_rate:avg",
            "ftf_rate:avg",
            "feedback_score:avg",
            "complaint_count:sum",
            "complaint_rate:avg",
            "inspection_pass_rate:avg",
        ]
        keys = [a.split(":")[0] for a in aggregates]

        def clean(values):
            # ``_read_group`` returns False for the average of only NULL rows
            return [None if value is False else value for value in values]

        def rows(groupby):
            result = []
            for group, *values in Report._read_group(domain, [groupby], aggregates):
                result.append(dict(zip(["group", *keys], [group, *clean(values)], strict=False)))
            return result

        total = dict(zip(keys, clean(Report._read_group(domain, [], aggregates)[0]), strict=False))
        complaints = self.env["service.complaint"]
        complaint_domain = [
            ("company_id", "=", self.company_id.id),
            ("received_at", ">=", fields.Datetime.to_datetime(start)),
            ("received_at", "<", fields.Datetime.to_datetime(end)),
        ]
        by_category = complaints._read_group(complaint_domain, ["category_id"], ["__count"])
        by_state = complaints._read_group(complaint_domain, ["state"], ["__count"])
        return {
            "start": start,
            "end": end - relativedelta(days=1),
            "total": total,
            "by_category": rows("category_id"),
            "by_team": rows("team_id"),
            "by_technician": rows("user_id"),
            "complaints_by_category": by_category,
            "complaints_by_state": by_state,
            "state_labels": dict(complaints._fields["state"]._description_selection(self.env)),
        }

    def action_print(self):
        self.ensure_one()
        return self.env.ref("service_quality.action_report_quality_monthly").report_action(self)
