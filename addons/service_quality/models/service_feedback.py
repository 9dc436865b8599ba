from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

SCORE_FIELDS = ("score", "score_timeliness", "score_quality", "score_attitude", "score_transparency")


class ServiceFeedback(models.Model):
    _name = "service.feedback"
    _description = "Service Feedback"
    _inherit = ["mail.thread"]
    _order = "create_date desc, id desc"
    _check_company_auto = True

    service_order_id = fields.Many2one(
        "service.order", required=True, index=True, ondelete="cascade", check_company=True
    )
    partner_id = fields.Many2one(related="service_order_id.partner_id", store=True, index=True)
    technician_id = fields.Many2one(
        related="service_order_id.user_id", store=True, index=True, string="Technician"
    )
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

    @api.constrains(*SCORE_FIELDS)
    def _check_scores(self):
        labels = {name: self._fields[name].get_description(self.env)["string"] for name in SCORE_FIELDS}
        for feedback in self:
            for name in SCORE_FIELDS:
                value = feedback[name]
                if (value or name == "score") and not 1 <= value <= 5:
                    raise ValidationError(
                        _(
                            "Feedback on %(order)s: %(field)s must be between 1 and 5 (got %(value)s).",
                            order=feedback.service_order_id.name,
                            field=labels[name],
                            value=value,
                        )
                    )
