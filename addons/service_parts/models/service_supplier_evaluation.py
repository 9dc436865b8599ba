from datetime import datetime, time

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .res_partner import SUPPLIER_STATUS

# Score from which a supplier is approved, resp. conditionally approved.
APPROVED_SCORE = 80.0
CONDITIONAL_SCORE = 60.0
# Points a complaint caused by one of the supplier's parts costs.
COMPLAINT_PENALTY = 10.0


class ServiceSupplierEvaluation(models.Model):
    _name = "service.supplier.evaluation"
    _description = "Supplier Evaluation"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_to desc, partner_id"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner", string="Supplier", required=True, index=True, tracking=True
    )
    date_from = fields.Date(string="From", required=True)
    date_to = fields.Date(string="To", required=True)
    receipt_count = fields.Integer(string="Receipts", readonly=True)
    on_time_count = fields.Integer(string="On Time", readonly=True)
    on_time_rate = fields.Float(string="On-Time Rate (%)", readonly=True, digits=(5, 1))
    inspected_qty = fields.Float(string="Inspected Quantity", readonly=True)
    failed_qty = fields.Float(string="Failed Quantity", readonly=True)
    quality_rate = fields.Float(string="Quality Rate (%)", readonly=True, digits=(5, 1))
    complaint_count = fields.Integer(string="Complaints Caused", readonly=True)
    score = fields.Float(readonly=True, digits=(5, 1), tracking=True)
    result = fields.Selection(SUPPLIER_STATUS, readonly=True, tracking=True)
    state = fields.Selection(
        [("draft", "Draft"), ("confirmed", "Confirmed")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    confirmed_by_id = fields.Many2one("res.users", string="Confirmed By", readonly=True)
    note = fields.Text()
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    @api.depends("partner_id", "date_from", "date_to")
    def _compute_display_name(self):
        for evaluation in self:
            evaluation.display_name = _(
                "%(supplier)s, %(start)s to %(end)s",
                supplier=evaluation.partner_id.display_name or "",
                start=evaluation.date_from or "",
                end=evaluation.date_to or "",
            )

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for evaluation in self:
            if evaluation.date_from > evaluation.date_to:
                raise ValidationError(
                    _(
                        "Evaluation of %(supplier)s: the period ends before it starts.",
                        supplier=evaluation.partner_id.display_name,
                    )
                )

    def write(self, vals):
        if self.filtered(lambda e: e.state == "confirmed") and set(vals) - {
            "note",
            "message_main_attachment_id",
        }:
            raise UserError(_("A confirmed supplier evaluation cannot be changed."))
        return super().write(vals)

    def action_compute(self):
        """Fill the figures from the period's receipts, incoming inspections
        and complaints: three grouped queries for the whole batch."""
        if self.filtered(lambda e: e.state == "confirmed"):
            raise UserError(_("A confirmed supplier evaluation cannot be recomputed."))
        for evaluation in self:
            evaluation.write(evaluation._compute_figures())
        return True

    def _compute_figures(self):
        self.ensure_one()
        start = datetime.combine(self.date_from, time.min)
        end = datetime.combine(self.date_to + relativedelta(days=1), time.min)
        partners = self.partner_id.commercial_partner_id
        partners |= self.env["res.partner"].search([("id", "child_of", partners.ids)])
        # sudo: the evaluation reads receipts and complaints the buyer may not see
        receipts = (
            self.env["stock.picking"]
            .sudo()
            .search(
                [
                    ("partner_id", "in", partners.ids),
                    ("picking_type_code", "=", "incoming"),
                    ("state", "=", "done"),
                    ("date_done", ">=", start),
                    ("date_done", "<", end),
                    ("company_id", "=", self.company_id.id),
                ]
            )
        )
        on_time = receipts.filtered(
            lambda p: p.date_done.date() <= (p.date_deadline or p.scheduled_date).date()
        )
        inspections = (
            self.env["service.parts.inspection"]
            .sudo()
            ._read_group(
                [
                    ("partner_id", "in", partners.ids),
                    ("state", "in", ("passed", "failed")),
                    ("date_done", ">=", start),
                    ("date_done", "<", end),
                    ("company_id", "=", self.company_id.id),
                ],
                [],
                ["quantity:sum", "failed_qty:sum"],
            )
        )
        inspected, failed = inspections[0] if inspections else (0.0, 0.0)
        inspected, failed = inspected or 0.0, failed or 0.0
        complaints = (
            self.env["service.complaint"]
            .sudo()
            .search_count(
                [
                    ("faulty_supplier_id", "in", partners.ids),
                    ("received_at", ">=", start),
                    ("received_at", "<", end),
                    ("company_id", "=", self.company_id.id),
                ]
            )
        )
        on_time_rate = 100.0 * len(on_time) / len(receipts) if receipts else 100.0
        quality_rate = 100.0 * (inspected - failed) / inspected if inspected else 100.0
        score = max(0.0, 0.4 * on_time_rate + 0.6 * quality_rate - COMPLAINT_PENALTY * complaints)
        if score >= APPROVED_SCORE:
            result = "approved"
        elif score >= CONDITIONAL_SCORE:
            result = "conditional"
        else:
            result = "blocked"
        return {
            "receipt_count": len(receipts),
            "on_time_count": len(on_time),
            "on_time_rate": on_time_rate,
            "inspected_qty": inspected,
            "failed_qty": failed,
            "quality_rate": quality_rate,
            "complaint_count": complaints,
            "score": score,
            "result": result,
        }

    def action_confirm(self):
        """The evaluation becomes the supplier's status, which purchasing respects."""
        for evaluation in self:
            if evaluation.state != "draft":
                raise UserError(
                    _("Evaluation %(name)s is already confirmed.", name=evaluation.display_name)
                )
            if not evaluation.result:
                raise UserError(
                    _(
                        "Evaluation %(name)s has no result yet: compute it first.",
                        name=evaluation.display_name,
                    )
                )
        for evaluation in self:
            evaluation.write({"state": "confirmed", "confirmed_by_id": self.env.user.id})
            # sudo: buyers set the supplier status without partner-management rights;
            # the status is the evaluating company's own
            supplier = evaluation.partner_id.commercial_partner_id.sudo()
            supplier.with_company(evaluation.company_id).supplier_status = evaluation.result
        return True

    @api.model
    def _cron_evaluate_last_month(self):
        """Open a computed evaluation of last month for every supplier who
        delivered in it, once."""
        today = fields.Date.context_today(self)
        date_from = today.replace(day=1) - relativedelta(months=1)
        date_to = today.replace(day=1) - relativedelta(days=1)
        start = datetime.combine(date_from, time.min)
        end = datetime.combine(date_to + relativedelta(days=1), time.min)
        groups = self.env["stock.picking"]._read_group(
            [
                ("picking_type_code", "=", "incoming"),
                ("state", "=", "done"),
                ("date_done", ">=", start),
                ("date_done", "<", end),
                ("partner_id", "!=", False),
            ],
            ["partner_id", "company_id"],
            ["__count"],
        )
        existing = self.search([("date_from", "=", date_from), ("date_to", "=", date_to)])
        done = {(e.partner_id.id, e.company_id.id) for e in existing}
        vals_list = []
        for partner, company, _count in groups:
            key = (partner.commercial_partner_id.id, company.id)
            if key in done:
                continue
            done.add(key)
            vals_list.append(
                {
                    "partner_id": key[0],
                    "company_id": key[1],
                    "date_from": date_from,
                    "date_to": date_to,
                }
            )
        evaluations = self.create(vals_list)
        evaluations.action_compute()
        return evaluations
