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
        month, all from the KPI report's engine (``get_kpi_values``), and the
        month's complaints by complaint category and status. Every figure
        uses one definition: a record counts in the month it was received
        (orders and complaints alike), so the complaint tables add up to the
        complaint total."""
        self.ensure_one()
        start, end = self._period()
        Report = self.env["service.kpi.report"]
        domain = [
            ("company_id", "=", self.company_id.id),
            ("date", ">=", start),
            ("date", "<", end),
        ]
        complaints = self.env["service.complaint"]
        # the report's complaint rows: received in the month (UTC dates, as the view)
        complaint_domain = [
            ("company_id", "=", self.company_id.id),
            ("received_at", ">=", fields.Datetime.to_datetime(start)),
            ("received_at", "<", fields.Datetime.to_datetime(end)),
        ]
        by_category = complaints._read_group(complaint_domain, ["category_id"], ["__count"])
        by_state = complaints._read_group(complaint_domain, ["state"], ["__count"])

        def rows(groupby):
            return [
                dict(values, group=values[groupby])
                for values in Report.get_kpi_values(domain, [groupby])
            ]

        return {
            "start": start,
            "end": end - relativedelta(days=1),
            "total": Report.get_kpi_values(domain),
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
