from odoo import fields, models
from odoo.tools import SQL


class ServiceKpiReport(models.Model):
    _inherit = "service.kpi.report"

    repeat_repair_rate = fields.Float(
        string="Repeat Repair Rate (%)",
        readonly=True,
        aggregator="avg",
        help="Orders on an installed product that repeat a repair of the same category within "
        "its repair warranty, among the orders on installed products (100 / 0 per order).",
    )

    def _order_columns(self):
        columns = super()._order_columns()
        columns["repeat_repair_rate"] = (
            "float8",
            SQL(
                "CASE WHEN o.installed_product_id IS NULL THEN NULL "
                "WHEN o.is_repeat_repair THEN 100.0 ELSE 0.0 END"
            ),
        )
        return columns

    def _kpi_aggregates(self):
        return [*super()._kpi_aggregates(), "repeat_repair_rate:avg", "repeat_repair_rate:count"]
