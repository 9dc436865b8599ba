from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .service_workflow_mixin import retention_destroying

SCORE_FIELDS = (
    "score",
    "score_timeliness",
    "score_quality",
    "score_attitude",
    "score_transparency",
)
SCORE_SELECTION = [
    ("1", "Very dissatisfied"),
    ("2", "Dissatisfied"),
    ("3", "Neutral"),
    ("4", "Satisfied"),
    ("5", "Very satisfied"),
]
# A complaint is opened for an overall score at or below this value.
LOW_SCORE = 2
# What the customer said, as recorded: never rewritten once saved.
RECORDED_FIELDS = (
    *SCORE_FIELDS,
    "comment",
    "channel",
    "recorded_by_id",
    "service_order_id",
    "round",
)


class ServiceFeedback(models.Model):
    _name = "service.feedback"
    _description = "Service Feedback"
    _inherit = ["mail.thread"]
    _order = "create_date desc, id desc"
    _rec_name = "service_order_id"
    _check_company_auto = True

    service_order_id = fields.Many2one(
        "service.order", required=True, index=True, ondelete="cascade", check_company=True
    )
    partner_id = fields.Many2one(related="service_order_id.partner_id", store=True, index=True)
    technician_id = fields.Many2one(
        related="service_order_id.user_id", store=True, index=True, string="Technician"
    )
    team_id = fields.Many2one(related="service_order_id.team_id", store=True, index=True)
    category_id = fields.Many2one(related="service_order_id.category_id", store=True, index=True)
    round = fields.Integer(default=1, required=True)
    score = fields.Integer(string="Overall Score", required=True, aggregator="avg")
    score_timeliness = fields.Integer(string="Timeliness", aggregator="avg")
    score_quality = fields.Integer(string="Quality", aggregator="avg")
    score_attitude = fields.Integer(string="Attitude", aggregator="avg")
    score_transparency = fields.Integer(string="Price Transparency", aggregator="avg")
    comment = fields.Text()
    channel = fields.Selection(
        [("portal", "Portal"), ("email", "Email"), ("phone", "Phone"), ("visit", "Visit")],
        default="phone",
        required=True,
    )
    recorded_by_id = fields.Many2one(
        "res.users", string="Recorded By", default=lambda self: self.env.user
    )
    complaint_id = fields.Many2one(
        "service.complaint", string="Complaint", readonly=True, copy=False, index="btree_not_null"
    )
    is_low_score = fields.Boolean(compute="_compute_is_low_score", store=True, index=True)
    company_id = fields.Many2one(
        related="service_order_id.company_id", store=True, index=True, precompute=True
    )

    _sql_constraints = [
        (
            "order_round_uniq",
            "unique(service_order_id, round)",
            "An order can be rated only once per round.",
        ),
    ]

    @api.depends("score")
    def _compute_is_low_score(self):
        for feedback in self:
            feedback.is_low_score = bool(feedback.score) and feedback.score <= LOW_SCORE

    @api.constrains(*SCORE_FIELDS)
    def _check_scores(self):
        labels = {
            name: self._fields[name].get_description(self.env)["string"] for name in SCORE_FIELDS
        }
        for feedback in self:
            for name in SCORE_FIELDS:
                value = feedback[name]
                if (value or name == "score") and not 1 <= value <= 5:
                    raise ValidationError(
                        _(
                            "Feedback on %(order)s: %(field)s must be between 1 and 5 "
                            "(got %(value)s).",
                            order=feedback.service_order_id.name,
                            field=labels[name],
                            value=value,
                        )
                    )

    @api.constrains("service_order_id")
    def _check_order_state(self):
        for feedback in self:
            if feedback.service_order_id.state not in ("done", "closed"):
                raise ValidationError(
                    _(
                        "Order %(name)s cannot be rated before the customer accepted the work.",
                        name=feedback.service_order_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                self._check_recording(vals)
        feedbacks = super().create(vals_list)
        # sudo: recording feedback closes the order whoever records it (portal, link)
        feedbacks.service_order_id.sudo()._close_after_feedback()
        return feedbacks

    def _check_recording(self, vals):
        """A user records feedback in his own name, through the channels
        staff record: the Portal channel is the customer's own submission."""
        portal = vals.get("channel") == "portal"
        other_recorder = vals.get("recorded_by_id") not in (None, False, self.env.uid)
        if not (portal or other_recorder):
            return
        order = self.env["service.order"].browse(vals.get("service_order_id")).exists()
        name = order.name or _("New feedback")
        if portal:
            raise UserError(
                _(
                    "Feedback on %(order)s: the Portal channel is set by the customer's own "
                    "submission; record it as Phone, Email or Visit.",
                    order=name,
                )
            )
        raise UserError(_("Feedback on %(order)s is recorded in your own name.", order=name))

    def write(self, vals):
        recorded = [name for name in RECORDED_FIELDS if name in vals]
        if recorded and self:
            labels = ", ".join(self._fields[f]._description_string(self.env) for f in recorded)
            raise UserError(
                _(
                    "Feedback on %(order)s: %(fields)s are what the customer said and can no "
                    "longer be changed.",
                    order=self[0].service_order_id.name,
                    fields=labels,
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_recorded(self):
        if self and not retention_destroying(self.env):
            raise UserError(
                _(
                    "Feedback on %(order)s is part of the order's records: it is destroyed "
                    "only with them, through an approved retention request.",
                    order=self[0].service_order_id.name,
                )
            )

    def _create_low_score_complaint(self):
        """Called by the ``base.automation`` rule on low scores; idempotent.
        The complaint ledger builds the complaint; the feedback keeps a link."""
        todo = self.filtered(lambda f: f.is_low_score and not f.complaint_id)
        if not todo:
            return self.env["service.complaint"]
        complaints = self.env["service.complaint"]._create_from_feedback(todo)
        for complaint in complaints:
            # sudo: the rule runs for anonymous raters too
            complaint.feedback_id.sudo().complaint_id = complaint
        return complaints
