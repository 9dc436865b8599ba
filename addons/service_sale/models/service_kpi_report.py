from odoo import fields, models
from odoo.tools import SQL

PRICE_GROUPS = "service_sale.group_service_prices"


class ServiceKpiReport(models.Model):
    _inherit = "service.kpi.report"

    revenue = fields.Float(
        readonly=True,
        aggregator="sum",
        groups=PRICE_GROUPS,
        help="Untaxed amount invoiced for the order (posted invoices, net of credit notes).",
    )
    warranty_cost = fields.Float(
        readonly=True,
        aggregator="sum",
        groups=PRICE_GROUPS,
        help="Value of the parts and hours given free under warranty on the quote in force.",
    )

    def _order_columns(self):
        columns = super()._order_columns()
        columns["revenue"] = ("float8", SQL("COALESCE(o.revenue, 0)"))
        columns["warranty_cost"] = ("float8", SQL("COALESCE(sq.warranty_value, 0)"))
        return columns

    def _order_joins(self):
        return [
            *super()._order_joins(),
            SQL("LEFT JOIN service_quote sq ON sq.id = o.quote_in_force_id"),
        ]

    def _kpi_aggregates(self):
        aggregates = super()._kpi_aggregates()
        # money only for those who see prices (sudo: the engine's own aggregations)
        if self.env.su or self.env.user.has_group(PRICE_GROUPS):
            aggregates += ["revenue:sum", "warranty_cost:sum"]
        return aggregates
