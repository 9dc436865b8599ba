from odoo import api, fields, models
from odoo.tools import SQL


class ServiceKpiReport(models.Model):
    """Contract compliance in the KPI report: one row per planned visit
    whose outcome is known (done, or missed at the end of its period), dated
    by the end of its period, with 100 (done) or 0 (missed) in
    ``contract_compliance_rate``; the average over a group is the
    compliance percentage."""

    _inherit = "service.kpi.report"

    row_type = fields.Selection(selection_add=[("visit", "Planned Visit")])
    contract_id = fields.Many2one("service.contract", string="Contract", readonly=True)
    contract_visit_id = fields.Many2one(
        "service.contract.visit", string="Planned Visit", readonly=True
    )
    contract_compliance_rate = fields.Float(
        string="Contract Compliance (%)", readonly=True, aggregator="avg"
    )

    def _query(self):
        # visits take negative ids: the other rows have positive ones
        return SQL(
            """
            SELECT k.*,
                   o.contract_id AS contract_id,
                   NULL::integer AS contract_visit_id,
                   NULL::float8 AS contract_compliance_rate
              FROM (%(base)s) k
              LEFT JOIN service_order o ON o.id = k.service_order_id AND k.row_type = 'order'
            UNION ALL
            SELECT -v.id AS id,
                   'visit'::varchar AS row_type,
                   v.order_id AS service_order_id,
                   NULL::integer AS complaint_id,
                   NULL::integer AS inspection_id,
                   v.period_end AS date,
                   v.company_id,
                   COALESCE(vo.team_id, c.team_id) AS team_id,
                   vo.user_id,
                   vo.category_id,
                   v.partner_id,
                   %(measures)s,
                   v.contract_id AS contract_id,
                   v.id AS contract_visit_id,
                   CASE v.state WHEN 'done' THEN 100.0 ELSE 0.0 END::float8
                       AS contract_compliance_rate
              FROM service_contract_visit v
              JOIN service_contract c ON c.id = v.contract_id
              LEFT JOIN service_order vo ON vo.id = v.order_id
             WHERE v.state IN ('done', 'missed')
            """,
            base=super()._query(),
            measures=self._measure_columns(),
        )

    @api.model
    def _kpi_aggregates(self):
        return [*super()._kpi_aggregates(), "contract_compliance_rate:avg"]
