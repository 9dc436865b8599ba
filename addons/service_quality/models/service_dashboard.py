from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError
from odoo.tools.misc import formatLang

from .service_order_selections import OPEN_STATES

# Periods of the dashboard's figures: label and (first day, first day after)
# relative to today.
PERIODS = ("month", "last_month", "quarter", "year")
TREND_MONTHS = 12


class ServiceDashboard(models.AbstractModel):
    """The managers' service overview (*Service → Reporting → KPI Dashboard*).

    The headline figures of the KPI report come from
    ``service.kpi.report.get_kpi_values`` (the report's own engine), the
    others from the records they count, always with the domain of the action
    that opens them: a figure and the list behind it cannot disagree.

    Other addons add figures by overriding ``_dashboard_figures`` and
    appending ``self._dashboard_figure(...)`` dicts to the list ``super()``
    returns (equipment_care: tools overdue for calibration; service_training:
    certificates expiring within 30 days)."""

    _name = "service.dashboard"
    _description = "Service Dashboard"

    # ------------------------------------------------------------------
    # Entry point of the client action
    # ------------------------------------------------------------------
    @api.model
    def get_dashboard(self, period="month"):
        """Everything the dashboard shows, as plain JSON: the period, the
        headline figures (each with the action opening its records) and the
        monthly trends of the last 12 months."""
        self._check_dashboard_access()
        if period not in PERIODS:
            period = "month"
        start, end = self._dashboard_period(period)
        figures = sorted(self._dashboard_figures(start, end), key=lambda f: f["sequence"])
        return {
            "period": period,
            "periods": [
                {"key": key, "label": label} for key, label in self._dashboard_period_labels()
            ],
            "period_label": _(
                "%(start)s to %(end)s",
                start=fields.Date.to_string(start),
                end=fields.Date.to_string(end - relativedelta(days=1)),
            ),
            "figures": figures,
            "trends": self._dashboard_trends(),
            "analysis_action": self._kpi_analysis_action(start, end),
        }

    @api.model
    def _check_dashboard_access(self):
        user = self.env.user
        if not (
            user.has_group("service_quality.group_service_dispatcher")
            or user.has_group("service_quality.group_quality_inspector")
        ):
            raise AccessError(
                _("The service dashboard is for dispatchers, quality inspectors and managers.")
            )

    @api.model
    def _dashboard_period_labels(self):
        return [
            ("month", _("This Month")),
            ("last_month", _("Last Month")),
            ("quarter", _("This Quarter")),
            ("year", _("This Year")),
        ]

    @api.model
    def _dashboard_period(self, period):
        """``(first day, first day after)`` of ``period`` in the user's time zone."""
        today = fields.Date.context_today(self)
        month = today.replace(day=1)
        if period == "last_month":
            return month - relativedelta(months=1), month
        if period == "quarter":
            first = month.replace(month=3 * ((today.month - 1) // 3) + 1)
            return first, first + relativedelta(months=3)
        if period == "year":
            first = today.replace(month=1, day=1)
            return first, first + relativedelta(years=1)
        return month, month + relativedelta(months=1)

    # ------------------------------------------------------------------
    # Figures
    # ------------------------------------------------------------------
    @api.model
    def _dashboard_figures(self, start, end):
        """Headline figures over ``[start, end)`` (live ones ignore the
        period). Override to add figures: append ``_dashboard_figure``
        dicts to the list returned by ``super()``."""
        Report = self.env["service.kpi.report"]
        live = Report.get_kpi_values([("row_type", "=", "order")])
        period = Report.get_kpi_values([("date", ">=", start), ("date", "<", end)])
        # the KPI report dates rows by the UTC day of reception: same bounds here
        received = [
            ("received_at", ">=", fields.Datetime.to_datetime(start)),
            ("received_at", "<", fields.Datetime.to_datetime(end)),
        ]
        orders = [*received, ("state", "!=", "cancelled")]
        figures = [
            self._dashboard_figure(
                "open_orders",
                _("Open Orders"),
                live["open_count"],
                "integer",
                count=live["open_count"],
                sequence=10,
                action=self._order_action(_("Open Orders"), [("state", "in", OPEN_STATES)]),
                help=_("Orders received and not done yet."),
            ),
            self._dashboard_figure(
                "at_risk",
                _("At Risk"),
                live["at_risk_count"],
                "integer",
                count=live["at_risk_count"],
                sequence=20,
                level="warning" if live["at_risk_count"] else "success",
                action=self._order_action(
                    _("Orders at Risk"),
                    [("state", "in", OPEN_STATES), ("sla_status", "=", "at_risk")],
                ),
                help=_("Open orders close to their response or resolution deadline."),
            ),
            self._dashboard_figure(
                "breached",
                _("Breached"),
                live["breached_count"],
                "integer",
                count=live["breached_count"],
                sequence=30,
                level="danger" if live["breached_count"] else "success",
                action=self._order_action(
                    _("Breached Orders"),
                    [("state", "in", OPEN_STATES), ("sla_status", "=", "breached")],
                ),
                help=_("Open orders that missed a deadline."),
            ),
            self._dashboard_figure(
                "sla_met_rate",
                _("SLA Met"),
                period["sla_met_rate"],
                "percent",
                count=period["sla_judged_count"],
                sequence=40,
                level=self._rate_level(period["sla_met_rate"], 95, 80),
                action=self._order_action(
                    _("Orders with a Met or Breached SLA"),
                    [*orders, ("sla_status", "in", ("met", "breached"))],
                ),
                help=_("Orders of the period whose SLA was met, among those met or breached."),
            ),
            self._dashboard_figure(
                "ftf_rate",
                _("First-Time Fix"),
                period["ftf_rate"],
                "percent",
                count=period["ftf_count"],
                sequence=50,
                level=self._rate_level(period["ftf_rate"], 90, 75),
                action=self._order_action(
                    _("Finished Orders"), [*received, ("state", "in", ("done", "closed"))]
                ),
                help=_("Finished orders of the period with no rework within 30 days."),
            ),
            self._dashboard_figure(
                "feedback_score",
                _("Average Score"),
                period["feedback_score"],
                "score",
                count=period["feedback_count"],
                sequence=60,
                level=self._rate_level(period["feedback_score"], 4.5, 3.5),
                action=self._order_action(
                    _("Rated Orders"), [*orders, ("feedback_ids", "!=", False)]
                ),
                help=_("Average overall score (1 to 5) of the orders of the period."),
            ),
            self._dashboard_figure(
                "complaint_rate",
                _("Complaints per 100 Orders"),
                period["complaint_rate"],
                "rate",
                count=period["complaint_count"],
                sequence=70,
                level=(
                    None
                    if period["complaint_rate"] is None
                    else "danger"
                    if period["complaint_rate"] > 5
                    else "warning"
                    if period["complaint_rate"] > 2
                    else "success"
                ),
                action=self._records_action(
                    "service_quality.service_complaint_action",
                    _("Complaints Received"),
                    received,
                    archived=True,
                ),
                help=_(
                    "Complaints received in the period for every 100 orders received; "
                    "%(count)s complaints.",
                    count=period["complaint_count"],
                ),
            ),
        ]
        if self.env["service.corrective.action"].has_access("read"):
            overdue_domain = [("is_overdue", "=", True)]
            overdue = self.env["service.corrective.action"].search_count(overdue_domain)
            figures.append(
                self._count_figure(
                    "overdue_actions",
                    _("Overdue Corrective Actions"),
                    overdue,
                    80,
                    "danger",
                    "service_quality.service_corrective_action_action",
                    overdue_domain,
                    _("Open corrective actions past their deadline."),
                )
            )
        return figures

    @api.model
    def _dashboard_figure(
        self, key, label, value, kind, count, action, sequence=100, level=None, help=None
    ):
        """One headline figure. ``kind``: integer, percent, score (1-5) or
        rate (per 100); ``value`` None shows "–" (nothing to measure);
        ``count`` is the number of records ``action`` opens; ``level``
        colours the card (success, warning, danger)."""
        return {
            "key": key,
            "label": label,
            "value": value,
            "kind": kind,
            "display": self._format_figure(value, kind),
            "count": count,
            "action": action,
            "sequence": sequence,
            "level": level,
            "help": help or "",
        }

    @api.model
    def _count_figure(self, key, label, count, sequence, level, xmlid, domain, help, name=None):
        """A figure counting the ``count`` records of ``domain``, opened with
        the window action ``xmlid`` (titled ``name``, else ``label``); the
        card takes ``level`` when there are some, success otherwise."""
        return self._dashboard_figure(
            key,
            label,
            count,
            "integer",
            count=count,
            sequence=sequence,
            level=level if count else "success",
            action=self._records_action(xmlid, name or label, domain),
            help=help,
        )

    @api.model
    def _format_figure(self, value, kind):
        if value is None:
            return "–"
        if kind == "integer":
            return formatLang(self.env, value, digits=0)
        if kind == "percent":
            return "%s %%" % formatLang(self.env, value, digits=1)
        if kind == "score":
            return formatLang(self.env, value, digits=2)
        return formatLang(self.env, value, digits=1)

    @api.model
    def _rate_level(self, value, good, fair):
        if value is None:
            return None
        return "success" if value >= good else "warning" if value >= fair else "danger"

    @api.model
    def _records_action(self, xmlid, name, domain, archived=False, context=None):
        """The window action ``xmlid`` on exactly ``domain`` (its own filters
        dropped); ``archived`` includes archived records (the KPI report
        counts them too)."""
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action_context = dict(context or {})
        if archived:
            action_context["active_test"] = False
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": action["res_model"],
            "domain": domain,
            "views": [(False, "list"), (False, "form")],
            "view_mode": "list,form",
            "search_view_id": action.get("search_view_id"),
            "context": action_context,
            "target": "current",
        }

    @api.model
    def _order_action(self, name, domain):
        return self._records_action(
            "service_quality.service_order_action", name, domain, archived=True
        )

    # ------------------------------------------------------------------
    # Trends and drill-down
    # ------------------------------------------------------------------
    @api.model
    def _dashboard_trends(self):
        """Monthly series of the last 12 months (current month included)
        from the KPI report: orders received, SLA met %, first-time fix %,
        average score and complaints per 100 orders."""
        first = fields.Date.context_today(self).replace(day=1) - relativedelta(
            months=TREND_MONTHS - 1
        )
        end = first + relativedelta(months=TREND_MONTHS)
        months = [first + relativedelta(months=i) for i in range(TREND_MONTHS)]
        groups = {
            values["date:month"]: values
            for values in self.env["service.kpi.report"].get_kpi_values(
                [("date", ">=", first), ("date", "<", end)], ["date:month"]
            )
        }
        labels = [fields.Date.to_string(month)[:7] for month in months]

        def series(key):
            values = []
            for month in months:
                value = groups.get(month, {}).get(key)
                values.append(round(value, 2) if isinstance(value, float) else value)
            return values

        orders = [groups.get(month, {}).get("order_count", 0) for month in months]
        analysis = self._kpi_analysis_action(first, end, group_month=True)
        trends = [
            ("orders", _("Orders Received"), "bar", orders, "order_count"),
            ("sla_met_rate", _("SLA Met (%)"), "line", series("sla_met_rate"), "sla_met_rate"),
            ("ftf_rate", _("First-Time Fix (%)"), "line", series("ftf_rate"), "ftf_rate"),
            (
                "feedback_score",
                _("Average Score"),
                "line",
                series("feedback_score"),
                "feedback_score",
            ),
            (
                "complaint_rate",
                _("Complaints per 100 Orders"),
                "line",
                series("complaint_rate"),
                "complaint_count",
            ),
        ]
        return [
            {
                "key": key,
                "label": label,
                "type": chart_type,
                "labels": labels,
                "values": values,
                "action": dict(
                    analysis,
                    name=label,
                    context=dict(analysis["context"], pivot_measures=[measure]),
                ),
            }
            for key, label, chart_type, values, measure in trends
        ]

    @api.model
    def _kpi_analysis_action(self, start, end, group_month=False):
        """The KPI pivot (drill-down) on ``[start, end)``."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "service_quality.service_kpi_report_action"
        )
        context = {"pivot_column_groupby": []}
        if group_month:
            context["pivot_row_groupby"] = ["date:month"]
        return {
            "type": "ir.actions.act_window",
            "name": action["name"],
            "res_model": "service.kpi.report",
            "domain": [
                ("date", ">=", fields.Date.to_string(start)),
                ("date", "<", fields.Date.to_string(end)),
            ],
            "views": [(False, "pivot"), (False, "graph"), (False, "list")],
            "view_mode": "pivot,graph,list",
            "context": context,
            "target": "current",
        }
