from odoo import _, api, fields, models


class ServiceDashboard(models.AbstractModel):
    _inherit = "service.dashboard"

    @api.model
    def _dashboard_figures(self, start, end):
        """Money figures of the period from the KPI report's engine (orders
        counted in the month they were received, like every KPI): revenue
        invoiced, warranty cost given free and the repeat-repair rate within
        the repair warranty."""
        figures = super()._dashboard_figures(start, end)
        Order = self.env["service.order"]
        kpi = self.env["service.kpi.report"].get_kpi_values(
            [("row_type", "=", "order"), ("date", ">=", start), ("date", "<", end)]
        )
        received = [
            ("received_at", ">=", fields.Datetime.to_datetime(start)),
            ("received_at", "<", fields.Datetime.to_datetime(end)),
            ("state", "!=", "cancelled"),
        ]
        if "revenue" in kpi:
            figures.extend(self._service_sale_money_figures(kpi, received))
        based = [*received, ("installed_product_id", "!=", False)]
        rate = kpi["repeat_repair_rate"]
        rate = None if rate is None else round(rate, 1)
        repeats = Order.search_count([*based, ("is_repeat_repair", "=", True)])
        figures.append(
            self._dashboard_figure(
                "repeat_repair_rate",
                _("Repeat Repairs"),
                rate,
                "percent",
                count=repeats,
                sequence=75,
                level=None if rate is None else ("success" if rate <= 5 else "warning"),
                action=self._order_action(
                    _("Repeat Repairs"), [*based, ("is_repeat_repair", "=", True)]
                ),
                help=_(
                    "Orders on an installed product that repeat a repair of the same category "
                    "within its repair warranty, among orders on installed products."
                ),
            )
        )
        return figures

    @api.model
    def _service_sale_money_figures(self, kpi, received):
        Order = self.env["service.order"]
        Report = self.env["service.sale.report"]
        report_domain = [("order_id", "in", Order._search(received))]
        free_domain = [*report_domain, ("warranty_covered", "=", True)]
        invoiced = [*received, ("revenue", "!=", 0)]
        return [
            self._dashboard_figure(
                "service_revenue",
                _("Service Revenue"),
                round(kpi["revenue"] or 0.0),
                "integer",
                count=Order.search_count(invoiced),
                sequence=72,
                action=self._order_action(_("Service Revenue"), invoiced),
                help=_("Untaxed amount invoiced for the orders received in the period."),
            ),
            self._dashboard_figure(
                "warranty_cost",
                _("Warranty Cost"),
                round(kpi["warranty_cost"] or 0.0),
                "integer",
                count=Report.search_count(free_domain),
                sequence=73,
                action=self._records_action(
                    "service_sale.service_sale_report_action", _("Warranty Cost"), free_domain
                ),
                help=_("Value of the parts and hours given free under warranty."),
            ),
        ]
