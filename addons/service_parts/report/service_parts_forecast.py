from odoo import api, fields, models, tools
from odoo.tools import SQL


class ServicePartsForecast(models.Model):
    _name = "service.parts.forecast"
    _description = "Spare Parts Demand Forecast"
    _auto = False
    _order = "date, product_id"

    date = fields.Date(string="Needed On", readonly=True)
    product_id = fields.Many2one("product.product", string="Part", readonly=True)
    categ_id = fields.Many2one("product.category", string="Category", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", string="Warehouse", readonly=True)
    service_order_id = fields.Many2one("service.order", string="Service Order", readonly=True)
    source = fields.Selection(
        [("order", "Open Order"), ("reserved", "Reserved Order")],
        readonly=True,
        help="Open Order: part lines of orders not yet approved; Reserved Order: part lines "
        "of approved and scheduled orders, already reserved in Inventory.",
    )
    quantity = fields.Float(readonly=True, digits="Product Unit of Measure")
    company_id = fields.Many2one("res.company", readonly=True)

    @api.model
    def _forecast_queries(self):
        """One SELECT per demand source, each giving the columns of the view.
        Addons with other sources of parts demand add theirs."""
        return [
            SQL(
                """
                SELECT part.id AS id,
                       COALESCE(sorder.appointment_start, sorder.received_at,
                                sorder.create_date)::date AS date,
                       part.product_id AS product_id,
                       tmpl.categ_id AS categ_id,
                       loc.warehouse_id AS warehouse_id,
                       part.service_order_id AS service_order_id,
                       CASE WHEN sorder.state IN ('approved', 'scheduled', 'in_progress')
                            THEN 'reserved' ELSE 'order' END AS source,
                       part.quantity AS quantity,
                       part.company_id AS company_id
                  FROM service_order_part part
                  JOIN service_order sorder ON sorder.id = part.service_order_id
                  JOIN product_product prod ON prod.id = part.product_id
                  JOIN product_template tmpl ON tmpl.id = prod.product_tmpl_id
                  JOIN stock_location loc ON loc.id = part.location_id
                 WHERE part.state = 'draft'
                   AND sorder.state IN ('new', 'assessed', 'approved', 'scheduled', 'in_progress')
                """
            )
        ]

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                SQL(" UNION ALL ").join(self._forecast_queries()),
            )
        )
