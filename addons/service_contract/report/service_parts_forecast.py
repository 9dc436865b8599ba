from odoo import api, fields, models
from odoo.tools import SQL

# Planned-visit rows get negative ids built from the visit and the part line:
# the other sources use positive ids. Part lines stay under this bound.
PART_ID_BOUND = 1_000_000


class ServicePartsForecast(models.Model):
    _inherit = "service.parts.forecast"

    source = fields.Selection(
        selection_add=[("planned_visit", "Planned Maintenance Visit")],
        help="Open Order: part lines of orders not yet approved; Reserved Order: part lines "
        "of approved and scheduled orders, already reserved in Inventory; Planned Maintenance "
        "Visit: parts per visit of the maintenance contracts, for the visits of submitted and "
        "approved plans that have no service order yet.",
    )
    contract_visit_id = fields.Many2one(
        "service.contract.visit", string="Planned Visit", readonly=True
    )

    @api.model
    def _forecast_queries(self):
        queries = [
            SQL("SELECT q.*, NULL::integer AS contract_visit_id FROM (%s) q", query)
            for query in super()._forecast_queries()
        ]
        queries.append(
            SQL(
                """
                SELECT -(visit.id::bigint * %(bound)s + part.id) AS id,
                       GREATEST(visit.planned_date, CURRENT_DATE) AS date,
                       part.product_id AS product_id,
                       tmpl.categ_id AS categ_id,
                       (SELECT wh.id FROM stock_warehouse wh
                         WHERE wh.company_id = visit.company_id AND wh.active
                         ORDER BY wh.sequence, wh.id LIMIT 1) AS warehouse_id,
                       NULL::integer AS service_order_id,
                       'planned_visit' AS source,
                       part.quantity AS quantity,
                       visit.company_id AS company_id,
                       visit.id AS contract_visit_id
                  FROM service_contract_visit visit
                  JOIN service_contract_plan plan ON plan.id = visit.plan_id
                  JOIN service_contract_line_part part ON part.line_id = visit.line_id
                  JOIN product_product prod ON prod.id = part.product_id
                  JOIN product_template tmpl ON tmpl.id = prod.product_tmpl_id
                 WHERE visit.state = 'planned'
                   AND plan.state IN ('submitted', 'approved')
                """,
                bound=PART_ID_BOUND,
            )
        )
        return queries
