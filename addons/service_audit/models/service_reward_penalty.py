from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError


class ServiceRewardPenalty(models.Model):
    """Rewards and penalties ledger: one line per employee and event, proposed
    by hand or automatically (failed inspection, substantiated complaint,
    excellent periodic assessment), approved or rejected by a manager other
    than the proposer."""

    _name = "service.reward.penalty"
    _description = "Reward or Penalty"
    _inherit = ["mail.thread"]
    _order = "date desc, id desc"

    name = fields.Char(required=True, readonly=True, copy=False, default="New")
    employee_id = fields.Many2one(
        "hr.employee", required=True, index=True, tracking=True, check_company=True
    )
    kind = fields.Selection(
        [("reward", "Reward"), ("penalty", "Penalty")], required=True, index=True, tracking=True
    )
    date = fields.Date(required=True, index=True, default=fields.Date.context_today)
    points = fields.Integer(tracking=True, help="Points added (reward) or deducted (penalty).")
    amount = fields.Monetary(tracking=True, help="Bonus paid or fine deducted.")
    currency_id = fields.Many2one(related="company_id.currency_id")
    reason = fields.Text(required=True)
    source = fields.Selection(
        [
            ("manual", "Manual"),
            ("inspection", "Inspection"),
            ("complaint", "Complaint"),
            ("assessment", "Periodic Assessment"),
        ],
        required=True,
        default="manual",
        index=True,
        readonly=True,
    )
    inspection_id = fields.Many2one(
        "service.inspection", index=True, ondelete="set null", readonly=True, check_company=True
    )
    complaint_id = fields.Many2one(
        "service.complaint", index=True, ondelete="set null", readonly=True, check_company=True
    )
    assessment_id = fields.Many2one(
        "training.assessment", index=True, ondelete="set null", readonly=True, check_company=True
    )
    state = fields.Selection(
        [("proposed", "Proposed"), ("approved", "Approved"), ("rejected", "Rejected")],
        required=True,
        default="proposed",
        index=True,
        tracking=True,
        readonly=True,
    )
    proposed_by_id = fields.Many2one(
        "res.users", readonly=True, default=lambda self: self.env.user, string="Proposed By"
    )
    decided_by_id = fields.Many2one("res.users", readonly=True, string="Decided By")
    decided_on = fields.Datetime(readonly=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    _sql_constraints = [
        ("points_positive", "CHECK(points >= 0)", "Points are counted as a positive number."),
        ("amount_positive", "CHECK(amount >= 0)", "The amount is counted as a positive number."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        seq = self.env["ir.sequence"]
        for vals in vals_list:
            if vals.get("name", "New") == "New":
                vals["name"] = seq.next_by_code("service.reward.penalty") or "New"
        return super().create(vals_list)

    @api.constrains("points", "amount", "kind")
    def _check_value(self):
        for line in self:
            if not line.points and not line.amount:
                raise ValidationError(
                    _(
                        "%(name)s for %(employee)s needs points or an amount.",
                        name=line.name,
                        employee=line.employee_id.name,
                    )
                )

    def write(self, vals):
        decided = self.filtered(lambda line: line.state != "proposed")
        if decided and set(vals) - {"message_main_attachment_id"}:
            if not self.env.su:
                raise UserError(_("%(name)s is decided and cannot change.", name=decided[0].name))
        return super().write(vals)

    def _check_decider(self):
        if not self.env.user.has_group("service_quality.group_service_manager"):
            raise AccessError(
                _("Only a service manager can approve or reject rewards and penalties.")
            )
        for line in self:
            if line.state != "proposed":
                raise UserError(_("%(name)s is already decided.", name=line.name))
            if line.proposed_by_id == self.env.user:
                raise UserError(
                    _(
                        "%(name)s was proposed by you: another manager approves or rejects it.",
                        name=line.name,
                    )
                )
            if line.employee_id.user_id == self.env.user:
                raise UserError(_("You cannot decide on your own %(name)s.", name=line.name))

    def action_approve(self):
        self._check_decider()
        self.write(
            {
                "state": "approved",
                "decided_by_id": self.env.uid,
                "decided_on": fields.Datetime.now(),
            }
        )
        return True

    def action_reject(self):
        self._check_decider()
        self.write(
            {
                "state": "rejected",
                "decided_by_id": self.env.uid,
                "decided_on": fields.Datetime.now(),
            }
        )
        return True

    @api.model
    def _propose(self, vals_list):
        """Automatic proposals, created as the system on behalf of the user
        whose action triggered them (the proposer cannot approve them)."""
        for vals in vals_list:
            vals.setdefault("proposed_by_id", self.env.uid)
        return self.sudo().create(vals_list)
