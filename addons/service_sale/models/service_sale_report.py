from odoo import fields, models
from odoo.tools import SQL

PRICE_GROUPS = "service_sale.group_service_prices"


class ServiceSaleReport(models.Model):
    """One row per line of the quote in force of every order that is not
    cancelled: revenue (chargeable lines) and warranty cost (lines given
    free) per category, technician, product and supplier; repeat repairs."""

    _name = "service.sale.report"
    _description = "Service Revenue and Warranty Cost"
    _auto = False
    _order = "date desc"

    date = fields.Date(string="Received", readonly=True)
    order_id = fields.Many2one("service.order", string="Service Order", readonly=True)
    order_state = fields.Selection(related="order_id.state", string="Order Status")
    category_id = fields.Many2one("service.category", string="Category", readonly=True)
    user_id = fields.Many2one("res.users", string="Technician", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    product_id = fields.Many2one("product.product", string="Product", readonly=True)
    supplier_id = fields.Many2one("res.partner", string="Supplier", readonly=True)
    installed_product_id = fields.Many2one(
        "service.installed.product", string="Installed Product", readonly=True
    )
    line_type = fields.Selection(
        [("labour", "Labour"), ("part", "Part"), ("fee", "Fee")], string="Type", readonly=True
    )
    warranty_kind = fields.Selection(
        [
            ("manufacturer", "Manufacturer Warranty"),
            ("extended", "Extended Warranty"),
            ("repair", "Repair Warranty"),
        ],
        string="Covered By",
        readonly=True,
    )
    warranty_covered = fields.Boolean(string="Under Warranty", readonly=True)
    is_repeat_repair = fields.Boolean(string="Repeat Repair", readonly=True)
    quantity = fields.Float(readonly=True)
    hours = fields.Float(string="Labour Hours", readonly=True)
    free_hours = fields.Float(string="Hours Given Free", readonly=True)
    revenue = fields.Float(readonly=True, groups=PRICE_GROUPS)
    warranty_cost = fields.Float(readonly=True, groups=PRICE_GROUPS)
    company_id = fields.Many2one("res.company", readonly=True)

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT l.id AS id,
                   (o.received_at AT TIME ZONE 'UTC')::date AS date,
                   o.id AS order_id,
                   o.category_id AS category_id,
                   o.user_id AS user_id,
                   o.partner_id AS partner_id,
                   l.product_id AS product_id,
                   (SELECT si.partner_id FROM product_supplierinfo si
                     WHERE si.product_tmpl_id = p.product_tmpl_id
                     ORDER BY si.sequence, si.id LIMIT 1) AS supplier_id,
                   o.installed_product_id AS installed_product_id,
                   l.line_type AS line_type,
                   o.warranty_kind AS warranty_kind,
                   COALESCE(l.warranty_covered, FALSE) AS warranty_covered,
                   COALESCE(o.is_repeat_repair, FALSE) AS is_repeat_repair,
                   l.quantity AS quantity,
                   CASE WHEN l.line_type = 'labour' THEN l.quantity ELSE 0 END AS hours,
                   CASE WHEN l.line_type = 'labour' AND l.warranty_covered
                        THEN l.quantity ELSE 0 END AS free_hours,
                   COALESCE(l.price_subtotal, 0) AS revenue,
                   COALESCE(l.warranty_value, 0) AS warranty_cost,
                   o.company_id AS company_id
              FROM service_quote_line l
              JOIN service_order o ON o.quote_in_force_id = l.quote_id
              JOIN product_product p ON p.id = l.product_id
             WHERE o.state != 'cancelled'
            """
        )
