from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class ServiceComplaintLedgerWizard(models.TransientModel):
    _name = "service.complaint.ledger.wizard"
    _description = "Print the Complaint Ledger"

    date_from = fields.Date(
        required=True, default=lambda self: fields.Date.context_today(self).replace(day=1)
    )
    date_to = fields.Date(
        required=True,
        default=lambda self: fields.Date.context_today(self).replace(day=1)
        + relativedelta(months=1, days=-1),
    )
    severity = fields.Selection(
        [("general", "General"), ("major", "Major")], help="Leave empty for all."
    )
    category_id = fields.Many2one("service.complaint.category")
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self:
            if wizard.date_to < wizard.date_from:
                raise UserError(_("The ledger period must end after it starts."))

    def _get_domain(self):
        self.ensure_one()
        domain = [
            ("company_id", "=", self.company_id.id),
            ("received_at", ">=", fields.Datetime.to_datetime(self.date_from)),
            ("received_at", "<", fields.Datetime.to_datetime(self.date_to + relativedelta(days=1))),
        ]
        if self.severity:
            domain.append(("severity", "=", self.severity))
        if self.category_id:
            domain.append(("category_id", "=", self.category_id.id))
        return domain

    def _get_complaints(self):
        return self.env["service.complaint"].search(self._get_domain(), order="received_at, id")

    def action_print(self):
        self.ensure_one()
        if not self._get_complaints():
            raise UserError(
                _(
                    "No complaint was received between %(start)s and %(end)s.",
                    start=self.date_from,
                    end=self.date_to,
                )
            )
        return self.env.ref("service_quality.action_report_complaint_ledger").report_action(self)
