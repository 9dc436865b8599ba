from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import is_html_empty

# What the minutes of a closed review say: changed only by reopening it.
CLOSED_RECORD = (
    "name",
    "date",
    "date_from",
    "date_to",
    "company_id",
    "chair_id",
    "attendee_ids",
    "audit_results",
    "training_effectiveness",
    "customer_feedback",
    "other_inputs",
    "decisions",
)


class ServiceManagementReview(models.Model):
    """A periodic management review: the inputs of the period (objectives'
    status, complaint trend, inspection results, corrective actions and
    their effectiveness, training, customer feedback) gathered from the
    product, the decisions taken and the actions decided, with owners and
    deadlines, followed up as corrective actions. Prints as minutes."""

    _name = "service.management.review"
    _description = "Management Review"
    _inherit = ["service.workflow.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True
    _workflow_fields = ("state",)
    _workflow_moves = {"held": ("draft",), "closed": ("held",)}
    _workflow_final_states = ("closed",)
    _workflow_evidence_fields = CLOSED_RECORD
    # a closed review goes back to held: an action decided is added or
    # followed up again, then the review is closed again
    _workflow_reopen_states = {"closed": "held"}

    name = fields.Char(required=True, readonly=True, copy=False, default=lambda self: _("New"))
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    date_from = fields.Date(string="Period From", required=True)
    date_to = fields.Date(string="Period To", required=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    chair_id = fields.Many2one(
        "res.users", string="Chaired By", required=True, default=lambda self: self.env.user,
        check_company=True, domain="[('share', '=', False)]",
    )  # fmt: skip
    attendee_ids = fields.Many2many("res.users", string="Attendees")
    state = fields.Selection(
        [("draft", "Preparing"), ("held", "Held"), ("closed", "Closed")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    objective_ids = fields.Many2many(
        "service.objective", string="Objectives", compute="_compute_objective_ids"
    )
    audit_results = fields.Html(string="Audit and Inspection Results")
    training_effectiveness = fields.Html()
    customer_feedback = fields.Html()
    other_inputs = fields.Html(string="Other Inputs")
    decisions = fields.Html()
    action_ids = fields.One2many(
        "service.corrective.action", "management_review_id", string="Actions"
    )
    open_action_count = fields.Integer(compute="_compute_open_action_count")

    _sql_constraints = [
        (
            "period_check",
            "CHECK (date_from <= date_to)",
            "The reviewed period ends after it starts.",
        ),
    ]

    @api.depends("date_from", "date_to", "company_id")
    def _compute_objective_ids(self):
        Objective = self.env["service.objective"]
        for review in self:
            if not (review.date_from and review.date_to):
                review.objective_ids = Objective
                continue
            review.objective_ids = Objective.search(
                [
                    ("company_id", "=", review.company_id.id),
                    ("date_from", "<=", review.date_to),
                    ("date_to", ">=", review.date_from),
                ]
            )

    @api.depends("action_ids.state")
    def _compute_open_action_count(self):
        for review in self:
            review.open_action_count = len(
                review.action_ids.filtered(lambda a: a.state in ("open", "done"))
            )

    @api.constrains("chair_id")
    def _check_chair(self):
        for review in self:
            if review.chair_id.share:
                raise ValidationError(
                    _(
                        "Management review %(name)s: %(user)s is not an internal user and "
                        "cannot chair it.",
                        name=review.name,
                        user=review.chair_id.name,
                    )
                )

    @api.constrains("decisions", "state")
    def _check_decisions(self):
        for review in self:
            if review.state != "draft" and is_html_empty(review.decisions):
                raise ValidationError(
                    _(
                        "Management review %(name)s was held: its decisions cannot be removed.",
                        name=review.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", _("New")) == _("New"):
                vals["name"] = self.env["ir.sequence"].next_by_code("service.management.review")
        return super().create(vals_list)

    def action_hold(self):
        for review in self:
            if review.state != "draft":
                raise UserError(_("Management review %(name)s was already held.", name=review.name))
            if is_html_empty(review.decisions):
                raise UserError(
                    _(
                        "Management review %(name)s: record the decisions before marking it held.",
                        name=review.name,
                    )
                )
        return self._workflow_move("held")

    def action_close(self):
        """Close the review once every action decided is verified effective
        (or cancelled)."""
        for review in self:
            if review.state != "held":
                raise UserError(
                    _(
                        "Management review %(name)s must be held before it is closed.",
                        name=review.name,
                    )
                )
            pending = review.action_ids.filtered(lambda a: a.state in ("open", "done"))
            if pending:
                raise UserError(
                    _(
                        "Management review %(name)s still has actions not verified: %(actions)s.",
                        name=review.name,
                        actions=", ".join(pending.mapped("name")),
                    )
                )
        return self._workflow_move("closed")

    def action_print_minutes(self):
        return self.env.ref("service_audit.action_report_management_review").report_action(self)

    def _workflow_actions_hint(self, field_names):
        return _("the Mark Held and Close buttons (a service manager reopens a closed review)")

    def _review_inputs(self):
        """The figures of the period the minutes print: KPIs of the period and
        of the one before (inspection pass rate included), orders and
        complaints per month, corrective actions opened in the period by state
        and effectiveness. A handful of grouped queries whatever the volume."""
        self.ensure_one()
        Report = self.env["service.kpi.report"].sudo()  # company figures, across record rules
        base = [("company_id", "=", self.company_id.id)]
        period = [*base, ("date", ">=", self.date_from), ("date", "<=", self.date_to)]
        length = self.date_to - self.date_from
        previous_to = self.date_from - timedelta(days=1)
        previous_from = previous_to - length
        previous = [*base, ("date", ">=", previous_from), ("date", "<=", previous_to)]
        Action = self.env["service.corrective.action"].sudo()
        action_domain = [
            ("company_id", "=", self.company_id.id),
            ("create_date", ">=", fields.Datetime.to_datetime(self.date_from)),
            ("create_date", "<", fields.Datetime.to_datetime(self.date_to) + timedelta(days=1)),
        ]
        actions_by_state = dict(Action._read_group(action_domain, ["state"], ["__count"]))
        effective = Action.search_count([*action_domain, ("effectiveness", "=", "effective")])
        not_effective = Action.search_count(
            [*action_domain, ("effectiveness", "=", "not_effective")]
        )
        return {
            "kpi": Report.get_kpi_values(period),
            "kpi_previous": Report.get_kpi_values(previous),
            "previous_from": previous_from,
            "previous_to": previous_to,
            "complaints_by_month": Report.get_kpi_values(
                [*period, ("row_type", "in", ("order", "complaint"))], ["date:month"]
            ),
            "actions_by_state": actions_by_state,
            "state_labels": dict(Action._fields["state"]._description_selection(self.env)),
            "actions_effective": effective,
            "actions_not_effective": not_effective,
        }
