from odoo import api, fields, models, tools
from odoo.tools import SQL

from ..models.service_order_selections import OPEN_STATES, SLA_STATUSES, STATES

# (column, SQL type) of the view after ``partner_id``, in its order; a row
# that is not an order fills some of them (``_measure_columns``).
MEASURE_COLUMNS = [
    ("state", "varchar"), ("sla_status", "varchar"), ("order_count", "integer"),
    ("closed_count", "integer"), ("open_count", "integer"), ("at_risk_count", "integer"),
    ("breached_count", "integer"), ("response_hours", "numeric"),
    ("resolution_hours", "numeric"), ("sla_met_rate", "numeric"), ("ftf_rate", "numeric"),
    ("feedback_score", "numeric"), ("feedback_timeliness", "numeric"),
    ("feedback_quality", "numeric"), ("feedback_attitude", "numeric"),
    ("feedback_transparency", "numeric"), ("complaint_count", "integer"),
    ("complaint_close_hours", "float8"), ("inspection_pass_rate", "float8"),
]  # fmt: skip

# Weights of the per-technician score (see ``_get_technician_scores``).
SCORE_WEIGHTS = {"sla": 0.30, "ftf": 0.25, "feedback": 0.30, "complaints": 0.15}


class ServiceKpiReport(models.Model):
    """Service KPIs, one row per service order, per complaint and per
    finished inspection, read from stored and indexed columns only (SQL
    view). Each row is dated by its own record: an order by its reception,
    a complaint by its reception (so a month's complaints are those received
    in that month, with or without an order), an inspection by its end.

    Rates are stored per row as 100 / 0 (or NULL when the row does not
    count), so the pivot's average of a rate column is the rate over the
    group: SQL ``avg`` ignores NULL rows. Complaints per 100 orders is a
    ratio of two sums (complaints / orders received) and is computed by
    ``get_kpi_values``, the one place every figure of the suite (dashboard,
    monthly report, technician scores) reads the KPIs from."""

    _name = "service.kpi.report"
    _description = "Service KPI Analysis"
    _auto = False
    _rec_name = "date"
    _order = "date desc"

    date = fields.Date(string="Date", readonly=True)
    row_type = fields.Selection(
        [("order", "Service Order"), ("complaint", "Complaint"), ("inspection", "Inspection")],
        readonly=True,
    )
    service_order_id = fields.Many2one("service.order", readonly=True)
    complaint_id = fields.Many2one("service.complaint", readonly=True)
    inspection_id = fields.Many2one("service.inspection", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    team_id = fields.Many2one("service.team", string="Team", readonly=True)
    user_id = fields.Many2one("res.users", string="Technician", readonly=True)
    category_id = fields.Many2one("service.category", string="Category", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    state = fields.Selection(
        STATES,
        readonly=True,
    )
    sla_status = fields.Selection(
        SLA_STATUSES,
        string="SLA Status",
        readonly=True,
    )
    order_count = fields.Integer(string="Orders Received", readonly=True, aggregator="sum")
    closed_count = fields.Integer(string="Orders Closed", readonly=True, aggregator="sum")
    open_count = fields.Integer(string="Open Orders", readonly=True, aggregator="sum")
    at_risk_count = fields.Integer(string="Open Orders at Risk", readonly=True, aggregator="sum")
    breached_count = fields.Integer(string="Open Orders Breached", readonly=True, aggregator="sum")
    response_hours = fields.Float(string="Response Time (h)", readonly=True, aggregator="avg")
    resolution_hours = fields.Float(string="Resolution Time (h)", readonly=True, aggregator="avg")
    sla_met_rate = fields.Float(string="SLA Met Rate (%)", readonly=True, aggregator="avg")
    ftf_rate = fields.Float(string="First-Time-Fix Rate (%)", readonly=True, aggregator="avg")
    feedback_score = fields.Float(string="Feedback Score", readonly=True, aggregator="avg")
    feedback_timeliness = fields.Float(
        string="Feedback: Timeliness", readonly=True, aggregator="avg"
    )
    feedback_quality = fields.Float(string="Feedback: Quality", readonly=True, aggregator="avg")
    feedback_attitude = fields.Float(string="Feedback: Attitude", readonly=True, aggregator="avg")
    feedback_transparency = fields.Float(
        string="Feedback: Price Transparency", readonly=True, aggregator="avg"
    )
    complaint_count = fields.Integer(string="Complaints", readonly=True, aggregator="sum")
    complaint_close_hours = fields.Float(
        string="Complaint Closure Time (h)", readonly=True, aggregator="avg"
    )
    inspection_pass_rate = fields.Float(
        string="Inspection Pass Rate (%)", readonly=True, aggregator="avg"
    )

    def _order_columns(self):
        """Columns other addons add to the report: ``{column: (sql type,
        SQL expression over the order row ``o`` and the joins of
        ``_order_joins``)}``. Complaint and inspection rows get NULL."""
        return {}

    def _order_joins(self):
        """LEFT JOINs (``SQL``) the expressions of ``_order_columns`` read."""
        return []

    def _measure_columns(self, **filled):
        """Select list from ``state`` to the last added column of a row that
        is not an order: the ``SQL`` expressions of ``filled`` where given,
        else 0 for a counter and a typed NULL for the rest, so every branch
        of the view gives each column the same type and position."""
        columns = [
            *MEASURE_COLUMNS,
            *((name, sql_type) for name, (sql_type, _expr) in self._order_columns().items()),
        ]
        return SQL(",\n").join(
            SQL(
                "%s AS %s",
                filled.get(name)
                or (SQL("0") if sql_type == "integer" else SQL("NULL::%s", SQL(sql_type))),
                SQL.identifier(name),
            )
            for name, sql_type in columns
        )

    def _query(self):
        # The three branches give every column the same type (explicit casts)
        # so that PostgreSQL flattens the UNION ALL and drops the columns a
        # query does not use: the pivot then costs what its measures cost.
        extra = self._order_columns()
        order_extra = SQL("").join(
            SQL(", (%s)::%s AS %s", expr, SQL(sql_type), SQL.identifier(name))
            for name, (sql_type, expr) in extra.items()
        )
        return SQL(
            """
            SELECT o.id * 3 AS id,
                   'order'::varchar AS row_type,
                   o.id AS service_order_id,
                   NULL::integer AS complaint_id,
                   NULL::integer AS inspection_id,
                   o.received_at::date AS date,
                   o.company_id, o.team_id, o.user_id, o.category_id, o.partner_id, o.state,
                   o.sla_status,
                   1 AS order_count,
                   CASE WHEN o.state IN ('done', 'closed') THEN 1 ELSE 0 END AS closed_count,
                   CASE WHEN o.state IN %(open)s THEN 1 ELSE 0 END AS open_count,
                   CASE WHEN o.state IN %(open)s AND o.sla_status = 'at_risk'
                        THEN 1 ELSE 0 END AS at_risk_count,
                   CASE WHEN o.state IN %(open)s AND o.sla_status = 'breached'
                        THEN 1 ELSE 0 END AS breached_count,
                   EXTRACT(EPOCH FROM o.responded_at - o.received_at) / 3600.0 AS response_hours,
                   EXTRACT(EPOCH FROM o.resolved_at - o.received_at) / 3600.0 AS resolution_hours,
                   CASE o.sla_status WHEN 'met' THEN 100.0 WHEN 'breached' THEN 0.0
                   END AS sla_met_rate,
                   CASE WHEN o.state NOT IN ('done', 'closed') THEN NULL
                        WHEN rw.first_rework_at IS NOT NULL
                         AND rw.first_rework_at
                             <= COALESCE(o.resolved_at, o.received_at) + INTERVAL '30 days'
                        THEN 0.0 ELSE 100.0 END AS ftf_rate,
                   fb.score AS feedback_score,
                   fb.timeliness AS feedback_timeliness,
                   fb.quality AS feedback_quality,
                   fb.attitude AS feedback_attitude,
                   fb.transparency AS feedback_transparency,
                   0 AS complaint_count,
                   NULL::float8 AS complaint_close_hours,
                   NULL::float8 AS inspection_pass_rate
                   %(order_extra)s
              FROM service_order o
              LEFT JOIN (
                    SELECT rework_of_id, min(received_at) AS first_rework_at
                      FROM service_order
                     WHERE rework_of_id IS NOT NULL AND state != 'cancelled'
                     GROUP BY rework_of_id
                   ) rw ON rw.rework_of_id = o.id
              LEFT JOIN (
                    SELECT service_order_id,
                           avg(score) AS score,
                           avg(score_timeliness) AS timeliness,
                           avg(score_quality) AS quality,
                           avg(score_attitude) AS attitude,
                           avg(score_transparency) AS transparency
                      FROM service_feedback
                     GROUP BY service_order_id
                   ) fb ON fb.service_order_id = o.id
              %(order_joins)s
             WHERE o.state != 'cancelled'
            UNION ALL
            SELECT c.id * 3 + 1 AS id,
                   'complaint'::varchar AS row_type,
                   c.service_order_id,
                   c.id AS complaint_id,
                   NULL::integer AS inspection_id,
                   c.received_at::date AS date,
                   c.company_id,
                   co.team_id,
                   co.user_id,
                   co.category_id,
                   c.partner_id,
                   %(complaint_measures)s
              FROM service_complaint c
              LEFT JOIN service_order co ON co.id = c.service_order_id
            UNION ALL
            SELECT i.id * 3 + 2 AS id,
                   'inspection'::varchar AS row_type,
                   i.service_order_id,
                   NULL::integer AS complaint_id,
                   i.id AS inspection_id,
                   COALESCE(i.done_at::date, i.scheduled_date) AS date,
                   i.company_id,
                   COALESCE(i.team_id, io.team_id) AS team_id,
                   i.owner_id AS user_id,
                   i.category_id,
                   io.partner_id,
                   %(inspection_measures)s
              FROM service_inspection i
              LEFT JOIN service_order io ON io.id = i.service_order_id
             WHERE i.state = 'done' AND (i.pass_count + i.fail_count) > 0
            """,
            open=tuple(OPEN_STATES),
            order_extra=order_extra,
            complaint_measures=self._measure_columns(
                complaint_count=SQL("1"),
                complaint_close_hours=SQL(
                    "CASE WHEN c.state = 'closed' THEN c.hours_to_close END::float8"
                ),
            ),
            inspection_measures=self._measure_columns(
                inspection_pass_rate=SQL("i.pass_rate::float8")
            ),
            order_joins=SQL(" ").join(self._order_joins()),
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query())
        )
        # What the report filters and groups on, beyond the single-column
        # indexes of the ORM fields: period per company, and the rework link.
        self.env.cr.execute(
            SQL(
                """
                CREATE INDEX IF NOT EXISTS service_order_company_received_idx
                    ON service_order (company_id, received_at);
                CREATE INDEX IF NOT EXISTS service_order_category_received_idx
                    ON service_order (category_id, received_at);
                """
            )
        )

    def _register_hook(self):
        super()._register_hook()
        # Uninstalling an addon that added columns (``_order_columns``) drops
        # them with CASCADE, and the view with them: make it again, without.
        self.env.cr.execute(SQL("SELECT to_regclass(%s)", self._table))
        if self.env.cr.fetchone()[0] is None:
            self.init()

    # ------------------------------------------------------------------
    # The KPI engine: every figure of the suite is read here
    # ------------------------------------------------------------------
    @api.model
    def _kpi_aggregates(self):
        """``_read_group`` aggregates of ``get_kpi_values``: sums of the
        counters, averages of the rates, and the number of rows behind each
        average (what a drill-down to the records must find)."""
        sums = ["order_count", "closed_count", "open_count", "at_risk_count", "breached_count",
                "complaint_count"]  # fmt: skip
        averages = [
            "response_hours", "resolution_hours", "sla_met_rate", "ftf_rate", "feedback_score",
            "feedback_timeliness", "feedback_quality", "feedback_attitude",
            "feedback_transparency", "complaint_close_hours", "inspection_pass_rate",
        ]  # fmt: skip
        return (
            [f"{name}:sum" for name in sums]
            + [f"{name}:avg" for name in averages]
            + [f"{name}:count" for name in ("sla_met_rate", "ftf_rate", "feedback_score")]
        )

    @api.model
    def get_kpi_values(self, domain, groupby=()):
        """The KPIs over the rows of ``domain``, with one grouped query.

        Without ``groupby``: one dict; with it: a list of dicts, each with
        the group values under the ``groupby`` specs (e.g. ``"date:month"``).
        Keys: the counters ``order_count``, ``closed_count``, ``open_count``,
        ``at_risk_count``, ``breached_count``, ``complaint_count`` (int); the
        averages ``response_hours``, ``resolution_hours``, ``sla_met_rate``,
        ``ftf_rate``, ``feedback_score`` and its four dimensions,
        ``complaint_close_hours``, ``inspection_pass_rate`` (float, ``None``
        when no row counts); ``complaint_rate`` = complaints per 100 orders
        received (``None`` without orders); and ``sla_judged_count``,
        ``ftf_count``, ``feedback_count``: the rows behind those averages.
        Record rules apply: callers that aggregate across them use sudo."""
        # the report is an SQL view: pending ORM writes must reach the database first
        self.env.flush_all()
        aggregates = self._kpi_aggregates()
        keys = [spec.replace(":sum", "").replace(":avg", "") for spec in aggregates]
        renamed = {
            "sla_met_rate:count": "sla_judged_count",
            "ftf_rate:count": "ftf_count",
            "feedback_score:count": "feedback_count",
        }
        keys = [
            renamed.get(spec, key.replace(":count", "_count"))
            for spec, key in zip(aggregates, keys, strict=True)
        ]
        groupby = list(groupby)
        results = []
        for row in self._read_group(domain, groupby, aggregates):
            values = dict(zip(keys, row[len(groupby) :], strict=True))
            for key, value in values.items():
                if key.endswith("_count"):
                    values[key] = int(value or 0)
                elif value is False:  # ``_read_group``: the average of only NULL rows
                    values[key] = None
            values["complaint_rate"] = (
                100.0 * values["complaint_count"] / values["order_count"]
                if values["order_count"]
                else None
            )
            values.update(zip(groupby, row[: len(groupby)], strict=True))
            results.append(values)
        return results if groupby else results[0]

    @api.model
    def _get_technician_scores(self, user_ids, date_from, date_to):
        """Per-technician KPIs and a 0-100 score over ``[date_from, date_to)``.

        One grouped query on the report (``get_kpi_values``) whatever the
        number of technicians. Returns ``{user_id: {"orders",
        "sla_met_rate", "ftf_rate", "feedback_avg", "feedback_count",
        "complaints", "complaint_rate", "inspection_pass_rate", "score"}}``
        (rates in percent, ``None`` when no row counts). ``score`` is the weighted mean
        of the available components: SLA met rate (30 %), first-time-fix
        rate (25 %), feedback average scaled to 100 (30 %) and ``100 - 10 x
        complaints per 100 orders`` floored at 0 (15 %); missing components
        are left out and the weights rescaled; ``None`` when nothing is
        known. Training assessments store it.
        """
        user_ids = list(user_ids)
        result = {
            uid: {
                "orders": 0,
                "sla_met_rate": None,
                "ftf_rate": None,
                "feedback_avg": None,
                "feedback_count": 0,
                "complaints": 0,
                "complaint_rate": None,
                "inspection_pass_rate": None,
                "score": None,
            }
            for uid in user_ids
        }
        if not user_ids:
            return result
        groups = self.sudo().get_kpi_values(  # aggregates across record rules
            [
                ("user_id", "in", user_ids),
                ("date", ">=", fields.Date.to_date(date_from)),
                ("date", "<", fields.Date.to_date(date_to)),
            ],
            ["user_id"],
        )
        for values in groups:
            sla, ftf = values["sla_met_rate"], values["ftf_rate"]
            feedback, complaint_rate = values["feedback_score"], values["complaint_rate"]
            pass_rate = values["inspection_pass_rate"]
            kpi = result[values["user_id"].id]
            kpi.update(
                orders=values["order_count"],
                sla_met_rate=round(sla, 1) if sla is not None else None,
                ftf_rate=round(ftf, 1) if ftf is not None else None,
                feedback_avg=round(feedback, 2) if feedback is not None else None,
                feedback_count=values["feedback_count"],
                complaints=values["complaint_count"],
                complaint_rate=round(complaint_rate, 1) if complaint_rate is not None else None,
                inspection_pass_rate=round(pass_rate, 1) if pass_rate is not None else None,
            )
            components = {
                "sla": kpi["sla_met_rate"],
                "ftf": kpi["ftf_rate"],
                "feedback": feedback * 20.0 if feedback is not None else None,
                "complaints": (
                    max(0.0, 100.0 - 10.0 * complaint_rate) if complaint_rate is not None else None
                ),
            }
            known = {k: v for k, v in components.items() if v is not None}
            if known:
                weight = sum(SCORE_WEIGHTS[k] for k in known)
                kpi["score"] = round(
                    sum(SCORE_WEIGHTS[k] * v for k, v in known.items()) / weight, 1
                )
        return result
