from odoo import _, api, fields, models


class ServiceDashboard(models.AbstractModel):
    _inherit = "service.dashboard"

    @api.model
    def _dashboard_figures(self, start, end):
        """Returns, exchanges, recalls and compensation approved or carried
        out in the period: their number and the amount given."""
        figures = super()._dashboard_figures(start, end)
        Compensation = self.env["service.compensation"]
        if not Compensation.has_access("read"):
            return figures
        domain = [
            ("date", ">=", fields.Date.to_date(start)),
            ("date", "<", fields.Date.to_date(end)),
            ("state", "in", ("approved", "done")),
        ]
        [(count, amount)] = Compensation._read_group(domain, [], ["__count", "amount:sum"])
        figures.append(
            self._dashboard_figure(
                "compensation",
                _("Returns & Compensation"),
                count,
                "integer",
                count=count,
                sequence=78,
                level="success" if not count else "warning",
                action={
                    # built here rather than read from the window action:
                    # the dashboard is a hot path with a query budget
                    "type": "ir.actions.act_window",
                    "name": _("Returns & Compensation"),
                    "res_model": "service.compensation",
                    "domain": domain,
                    "views": [(False, "list"), (False, "form")],
                    "view_mode": "list,form",
                    "context": {},
                    "target": "current",
                },
                help=_(
                    "Returns, exchanges, recalls and compensation approved in the period "
                    "(amount given: %(amount)s).",
                    amount=round(amount or 0.0, 2),
                ),
            )
        )
        return figures
