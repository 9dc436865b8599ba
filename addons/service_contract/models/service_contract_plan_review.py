from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .service_contract_plan import QUARTERS


class ServiceContractPlanReview(models.Model):
    _name = "service.contract.plan.review"
    _description = "Quarterly Review of a Maintenance Plan"
    _inherit = ["mail.thread"]
    _order = "plan_id, quarter"
    _check_company_auto = True

    plan_id = fields.Many2one(
        "service.contract.plan", required=True, index=True, ondelete="cascade", check_company=True
    )
    contract_id = fields.Many2one(related="plan_id.contract_id", store=True, index=True)
    quarter = fields.Selection(QUARTERS, required=True)
    date = fields.Date(string="Review Date", required=True, default=fields.Date.context_today)
    reviewer_id = fields.Many2one(
        "res.users", string="Reviewer", required=True, default=lambda self: self.env.user
    )
    findings = fields.Html()
    plan_changes = fields.Html(string="Plan Changes")
    company_id = fields.Many2one(
        related="plan_id.company_id", store=True, index=True, precompute=True
    )

    _sql_constraints = [
        (
            "plan_quarter_unique",
            "UNIQUE(plan_id, quarter)",
            "A plan is reviewed once per quarter.",
        ),
    ]

    @api.depends("plan_id.name", "quarter")
    def _compute_display_name(self):
        labels = dict(QUARTERS)
        for review in self:
            review.display_name = f"{review.plan_id.name} {labels.get(review.quarter, '')}"

    @api.model_create_multi
    def create(self, vals_list):
        reviews = super().create(vals_list)
        for review in reviews:
            if review.plan_id.state != "approved":
                raise UserError(
                    _(
                        "Plan %(name)s is not approved: only an approved plan is reviewed.",
                        name=review.plan_id.display_name,
                    )
                )
        # the review answers the reminders of its plan, whoever they were
        # assigned to: sudo, as activities of others are not the reviewer's
        todo = self.env.ref("mail.mail_activity_data_todo")
        reviews.plan_id.sudo().activity_ids.filtered(
            lambda a: a.activity_type_id == todo
        ).action_feedback(feedback=_("Quarterly review recorded."))
        return reviews
