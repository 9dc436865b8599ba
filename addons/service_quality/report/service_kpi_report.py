from odoo import api, fields, models, tools
from odoo.tools import SQL

# Weights of the per-technician score (see ``_get_technician_scores``).
SCORE_WEIGHTS = {"sla": 0.30, "ftf": 0.25, "feedback": 0.30, "complaints": 0.15}


class ServiceKpiReport(models.Model):
    """Service KPIs, one row per service order plus one row per finished
    inspection, read from stored and indexed columns only (SQL view).

    Rates are stored per row as 100 / 0 (or NULL when the row does not
    count), so the pivot's average of a rate column is the rate over the
    group: SQL ``avg`` ignores NULL rows."""

    _name = "service.kpi.report"
    _description = "Service KPI Analysis"
    _auto = False
    _rec_name = "date"
    _order = "date desc"

    date = fields.Date(string="Date", readonly=True)
    row_type = fields.Selection(
        [("order", "Service Order"), ("inspection", "Inspection")], readonly=True
    )
    service_order_id = fields.Many2one("service.order", readonly=True)
    inspection_id = fields.Many2one("service.inspection", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    team_id = fields.Many2one("service.team", string="Team", readonly=True)
    user_id = fields.Many2one("res.users", string="Technician", readonly=True)
    category_id = fields.Many2one("service.category", string="Category", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    state = fields.Selection(
        [
            ("new", "New"),
            ("assessed", "Assessed"),
            ("approved", "Approved"),
            ("scheduled", "Scheduled"),
            ("in_progress", "In Progress"),
            ("to_accept", "To Accept"),
            ("done", "Done"),
            ("closed", "Closed"),
            ("cancelled", "Cancelled"),
        ],
        readonly=True,
    )
    order_count = fields.Integer(string="Orders Received", readonly=True, aggregator="sum")
    closed_count = fields.Integer(string="Orders Closed", readonly=True, aggregator="sum")
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
    complaint_rate = fields.Float(
        string="Complaints per 100 Orders", readonly=True, aggregator="avg"
    )
    complaint_close_hours = fields.Float(
        string="Complaint Closure Time (h)", readonly=True, aggregator="avg"
    )
    inspection_pass_rate = fields.Float(
        string="Inspection Pass Rate (%)", readonly=True, aggregator="avg"
    )

    def _query(self):
        # Both branches give every column the same type (explicit casts) so
        # that PostgreSQL flattens the UNION ALL and drops the columns a
        # query does not use: the pivot then costs what its measures cost.
        return SQL(
            """
            SELECT o.id * 2 AS id,
                   'order'::varchar AS row_type,
                   o.id AS service_order_id,
                   NULL::integer AS inspection_id,
                   o.received_at::date AS date,
                   o.company_id, o.team_id, o.user_id, o.category_id, o.partner_id, o.state,
                   1 AS order_count,
                   CASE WHEN o.state IN ('done', 'closed') THEN 1 ELSE 0 END AS closed_count,
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
                   COALESCE(cp.complaints, 0) AS complaint_count,
                   100.0 * COALESCE(cp.complaints, 0) AS complaint_rate,
                   cp.close_hours AS complaint_close_hours,
                   NULL::float8 AS inspection_pass_rate
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
              LEFT JOIN (
                    SELECT service_order_id,
                           count(*) AS complaints,
                           avg(hours_to_close) FILTER (WHERE state = 'closed') AS close_hours
                      FROM service_complaint
                     WHERE service_order_id IS NOT NULL
                     GROUP BY service_order_id
                   ) cp ON cp.service_order_id = o.id
             WHERE o.state != 'cancelled'
            UNION ALL
            SELECT i.id * 2 + 1 AS id,
                   'inspection'::varchar AS row_type,
                   i.service_order_id,
                   i.id AS inspection_id,
                   COALESCE(i.done_at::date, i.scheduled_date) AS date,
                   i.company_id,
                   COALESCE(i.team_id, io.team_id) AS team_id,
                   i.owner_id AS user_id,
                   i.category_id,
                   io.partner_id,
                   NULL::varchar AS state,
                   0 AS order_count,
                   0 AS closed_count,
                   NULL::numeric AS response_hours,
                   NULL::numeric AS resolution_hours,
                   NULL::numeric AS sla_met_rate,
                   NULL::numeric AS ftf_rate,
                   NULL::numeric AS feedback_score,
                   NULL::numeric AS feedback_timeliness,
                   NULL::numeric AS feedback_quality,
                   NULL::numeric AS feedback_attitude,
                   NULL::numeric AS feedback_transparency,
                   0::bigint AS complaint_count,
                   NULL::numeric AS complaint_rate,
                   NULL::float8 AS complaint_close_hours,
                   i.pass_rate::float8 AS inspection_pass_rate
              FROM service_inspection i
              LEFT JOIN service_order io ON io.id = i.service_order_id
             WHERE i.state = 'done' AND (i.pass_count + i.fail_count) > 0
            """
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._query())
        )
        # What the report filters and groups on, beyond the single-column
        # indexes of the ORM fields: period per company, and the rework link.
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS service_order_company_received_idx
                ON service_order (company_id, received_at);
            CREATE INDEX IF NOT EXISTS service_order_category_received_idx
                ON service_order (category_id, received_at);
            """
        )

    @api.model
    def _get_technician_scores(self, user_ids, date_from, date_to):
        """Per-technician KPIs and a 0-100 score over ``[date_from, date_to)``.

        One grouped query on the report whatever the number of technicians.
        Returns ``{user_id: {"orders", "sla_met_rate", "ftf_rate",
        "feedback_avg", "complaint_rate", "inspection_pass_rate", "score"}}``.
        ``score`` is the weighted mean of the available components: SLA met
        rate (30 %), first-time-fix rate (25 %), feedback average scaled to
        100 (30 %) and ``100 - 10 x complaints per 100 orders`` floored at 0
        (15 %); missing components are left out and the weights rescaled;
        ``None`` when nothing is known. Training assessments store it.
        """
        user_ids = list(user_ids)
        result = {
            uid: {
                "orders": 0,
                "sla_met_rate": None,
                "ftf_rate": None,
                "feedback_avg": None,
                "complaint_rate": None,
                "inspection_pass_rate": None,
                "score": None,
            }
            for uid in user_ids
        }
        if not user_ids:
            return result
        # the report is an SQL view over orders, feedback, complaints and
        # inspections: pending ORM writes must reach the database first
        self.env.flush_all()
        rows = self.sudo()._read_group(  # aggregates across record rules
            [
                ("user_id", "in", user_ids),
                ("date", ">=", fields.Date.to_date(date_from)),
                ("date", "<", fields.Date.to_date(date_to)),
            ],
            ["user_id"],
            [
                "order_count:sum",
                "sla_met_rate:avg",
                "ftf_rate:avg",
                "feedback_score:avg",
                "complaint_rate:avg",
                "inspection_pass_rate:avg",
            ],
        )
        for user, orders, *averages in rows:
            # ``_read_group`` returns False for the average of only NULL rows
            sla, ftf, feedback, complaint_rate, pass_rate = (
                None if value is False else value for value in averages
            )
            kpi = result[user.id]
            kpi.update(
                orders=orders or 0,
                sla_met_rate=round(sla, 1) if sla is not None else None,
                ftf_rate=round(ftf, 1) if ftf is not None else None,
                feedback_avg=round(feedback, 2) if feedback is not None else None,
                complaint_rate=round(complaint_rate, 1) if orders else None,
                inspection_pass_rate=round(pass_rate, 1) if pass_rate is not None else None,
            )
            components = {
                "sla": kpi["sla_met_rate"],
                "ftf": kpi["ftf_rate"],
                "feedback": feedback * 20.0 if feedback is not None else None,
                "complaints": max(0.0, 100.0 - 10.0 * complaint_rate) if orders else None,
            }
            known = {k: v for k, v in components.items() if v is not None}
            if known:
                weight = sum(SCORE_WEIGHTS[k] for k in known)
                kpi["score"] = round(
                    sum(SCORE_WEIGHTS[k] * v for k, v in known.items()) / weight, 1
                )
        return result
