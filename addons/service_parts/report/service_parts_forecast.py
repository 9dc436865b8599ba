from odoo import api, fields, models, tools
from odoo.tools import SQL

# Weeks ahead over which the care plans' due maintenances count as demand.
CARE_PLAN_HORIZON_DAYS = 84


class ServicePartsForecast(models.Model):
    _name = "service.parts.forecast"
    _description = "Spare Parts Demand Forecast"
    _auto = False
    _order = "date, product_id"

    date = fields.Date(
        string="Needed On",
        readonly=True,
        help="The appointment of the order (else its reception) or the care plan's due "
        "date; a date already past counts today.",
    )
    product_id = fields.Many2one("product.product", string="Part", readonly=True)
    categ_id = fields.Many2one("product.category", string="Category", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", string="Warehouse", readonly=True)
    service_order_id = fields.Many2one("service.order", string="Service Order", readonly=True)
    source = fields.Selection(
        [("order", "Open Order"), ("reserved", "Reserved Order"), ("care_plan", "Care Plan")],
        readonly=True,
        help="Open Order: part lines of orders not yet approved; Reserved Order: part lines "
        "of approved and scheduled orders, already reserved in Inventory; Care Plan: parts "
        "per maintenance of the care plans, for each tool and due date of the next 12 weeks.",
    )
    quantity = fields.Float(readonly=True, digits="Product Unit of Measure")
    company_id = fields.Many2one("res.company", readonly=True)

    @api.model
    def _forecast_queries(self):
        """One SELECT per demand source, each giving the columns of the view
        (``id`` unique within its source: the view makes it unique across
        sources). Addons with other sources of parts demand add theirs."""
        return [
            SQL(
                """
                SELECT part.id AS id,
                       GREATEST(COALESCE(sorder.appointment_start, sorder.received_at,
                                         sorder.create_date)::date,
                                CURRENT_DATE) AS date,
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
            ),
            self._care_plan_query(),
        ]

    @api.model
    def _care_plan_query(self):
        """Parts of the active care plans: one row per part, tool and due date
        within the horizon. A tool's next due date is the one of the plan's
        open request, else (calibration plans) its next calibration, else
        the last completion plus the interval, else the plan's first due
        date, as the care-plan job computes it; an overdue date counts
        today. The row id packs (plan part, tool, occurrence)."""
        return SQL(
            """
            SELECT (cpp.id::bigint * 1000000 + tool.id) * 1000 + occ.k AS id,
                   (nd.start + occ.k * plan.interval_days)::date AS date,
                   cpp.product_id AS product_id,
                   tmpl.categ_id AS categ_id,
                   loc.warehouse_id AS warehouse_id,
                   NULL::integer AS service_order_id,
                   'care_plan' AS source,
                   cpp.quantity AS quantity,
                   plan.company_id AS company_id
              FROM equipment_care_plan_part cpp
              JOIN equipment_care_plan plan ON plan.id = cpp.plan_id AND plan.active
              JOIN product_product prod ON prod.id = cpp.product_id
              JOIN product_template tmpl ON tmpl.id = prod.product_tmpl_id
              JOIN stock_location loc ON loc.id = cpp.location_id
              JOIN maintenance_equipment tool
                ON tool.active
               AND COALESCE(tool.care_status, '') != 'retired'
               AND (tool.id = plan.equipment_id
                    OR (plan.equipment_id IS NULL
                        AND tool.category_id = plan.category_id
                        AND (tool.company_id IS NULL OR tool.company_id = plan.company_id)))
             CROSS JOIN LATERAL (
                    SELECT GREATEST(
                               COALESCE(
                                   (SELECT min(req.schedule_date)::date
                                      FROM maintenance_request req
                                      JOIN maintenance_stage stage ON stage.id = req.stage_id
                                     WHERE req.care_plan_id = plan.id
                                       AND req.equipment_id = tool.id
                                       AND NOT COALESCE(stage.done, FALSE)),
                                   CASE WHEN plan.plan_type = 'calibration'
                                        THEN tool.next_calibration_date END,
                                   (SELECT max(req.close_date)
                                      FROM maintenance_request req
                                      JOIN maintenance_stage stage ON stage.id = req.stage_id
                                     WHERE req.care_plan_id = plan.id
                                       AND req.equipment_id = tool.id
                                       AND COALESCE(stage.done, FALSE)
                                       AND req.close_date IS NOT NULL) + plan.interval_days,
                                   plan.start_date
                               ),
                               CURRENT_DATE
                           ) AS start
                   ) nd
             CROSS JOIN LATERAL generate_series(
                    0, (CURRENT_DATE + %(horizon)s - nd.start) / plan.interval_days
                   ) AS occ(k)
             WHERE nd.start <= CURRENT_DATE + %(horizon)s
            """,
            horizon=CARE_PLAN_HORIZON_DAYS,
        )

    def _view_columns(self):
        return [
            name
            for name, field in self._fields.items()
            if field.store and field.column_type and name != "id"
        ]

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)",
                SQL.identifier(self._table),
                self._union_query(),
            )
        )

    def _union_query(self):
        """The sources side by side, each row's id made unique across them
        (source id x number of sources + source index)."""
        queries = self._forecast_queries()
        columns = SQL(", ").join(
            SQL("src.%s", SQL.identifier(name)) for name in self._view_columns()
        )
        return SQL(" UNION ALL ").join(
            SQL(
                "SELECT src.id::bigint * %s + %s AS id, %s FROM (%s) src",
                len(queries),
                index,
                columns,
                query,
            )
            for index, query in enumerate(queries)
        )
