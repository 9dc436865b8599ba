from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models

EXPIRING_SOON_DAYS = 30


class ServiceDashboard(models.AbstractModel):
    _inherit = "service.dashboard"

    @api.model
    def _dashboard_figures(self, start, end):
        """Training figure of the service overview: certificates that expire
        within the next 30 days (the technician can no longer be dispatched
        for the categories requiring them once they do)."""
        figures = super()._dashboard_figures(start, end)
        Certification = self.env["training.certification"]
        if Certification.has_access("read"):
            today = fields.Date.context_today(self)
            domain = [
                ("state", "in", ("valid", "expiring")),
                ("expiry_date", ">=", fields.Date.to_string(today)),
                (
                    "expiry_date",
                    "<=",
                    fields.Date.to_string(today + relativedelta(days=EXPIRING_SOON_DAYS)),
                ),
            ]
            count = Certification.search_count(domain)
            figures.append(
                self._count_figure(
                    "certificates_expiring",
                    _("Certificates Expiring in 30 Days"),
                    count,
                    100,
                    "warning",
                    "service_training.training_certification_action",
                    domain,
                    _("Valid certificates whose expiry date falls within 30 days."),
                )
            )
        Gap = self.env["training.cadence.gap"]
        if Gap.has_access("read"):
            [[count]] = Gap._read_group([], [], ["employee_id:count_distinct"])
            figures.append(
                self._count_figure(
                    "training_cadence_gaps",
                    _("Staff with Training Gaps"),
                    count,
                    110,
                    "warning",
                    "service_training.training_cadence_gap_action",
                    [],
                    _("Employees behind a training cadence rule at the last daily check."),
                    name=_("Training Gaps"),
                )
            )
        return figures
