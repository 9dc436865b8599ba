from odoo import _, api, fields, models


class ServiceDashboard(models.AbstractModel):
    _inherit = "service.dashboard"

    @api.model
    def _dashboard_figures(self, start, end):
        """Money figures of the period (orders counted in the month they were
        received, like every KPI): revenue invoiced, warranty cost given free
        and the repeat-repair rate within the repair warranty."""
        figures = super()._dashboard_figures(start, end)
        Order = self.env["service.order"]
        received = [
            ("received_at", ">=", fields.Datetime.to_datetime(start)),
            ("received_at", "<", fields.Datetime.to_datetime(end)),
            ("state", "!=", "cancelled"),
        ]
        if self.env.user.has_group("service_sale.group_service_prices"):
            figures.extend(self._service_sale_money_figures(received))
        based = [*received, ("installed_product_id", "!=", False)]
        groups = dict(Order._read_group(based, ["is_repeat_repair"], ["__count"]))
        total = sum(groups.values())
        repeats = groups.get(True, 0)
        rate = round(100.0 * repeats / total, 1) if total else None
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
    def _service_sale_money_figures(self, received):
        # the report is a view over quote lines and orders: write pending values first
        self.env["service.quote.line"].flush_model()
        self.env["service.order"].flush_model()
        Report = self.env["service.sale.report"]
        report_domain = [
            ("order_id", "in", self.env["service.order"]._search(received)),
        ]
        [(revenue, cost)] = Report._read_group(
            report_domain, [], ["revenue:sum", "warranty_cost:sum"]
        )
        free_domain = [*report_domain, ("warranty_covered", "=", True)]
        report_action = self._records_action(
            "service_sale.service_sale_report_action", _("Warranty Cost"), free_domain
        )
        return [
            self._dashboard_figure(
                "service_revenue",
                _("Service Revenue"),
                round(revenue or 0.0),
                "integer",
                count=Report.search_count([*report_domain, ("revenue", "!=", 0)]),
                sequence=72,
                action=self._records_action(
                    "service_sale.service_sale_report_action",
                    _("Service Revenue"),
                    [*report_domain, ("revenue", "!=", 0)],
                ),
                help=_("Untaxed amount of the quote lines charged to customers."),
            ),
            self._dashboard_figure(
                "warranty_cost",
                _("Warranty Cost"),
                round(cost or 0.0),
                "integer",
                count=Report.search_count(free_domain),
                sequence=73,
                action=report_action,
                help=_("Value of the parts and hours given free under warranty."),
            ),
        ]
