from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

# What a planned course commits to; an approved plan's lines keep them (the
# session created from a line is linked to it afterwards: ``session_id``).
EVIDENCE_FIELDS = (
    "plan_id",
    "course_id",
    "date_start",
    "date_end",
    "trainer_id",
    "participants",
    "budget",
)


class TrainingPlanLine(models.Model):
    _name = "training.plan.line"
    _description = "Planned Course"
    _order = "date_start, id"

    plan_id = fields.Many2one("training.plan", required=True, index=True, ondelete="cascade")
    course_id = fields.Many2one("training.course", required=True, index=True)
    date_start = fields.Datetime(required=True)
    date_end = fields.Datetime(required=True)
    trainer_id = fields.Many2one("res.partner", string="Trainer")
    participants = fields.Integer(string="Planned Participants", default=1)
    budget = fields.Monetary()
    currency_id = fields.Many2one(related="plan_id.currency_id")
    session_id = fields.Many2one("training.session", readonly=True, copy=False)
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)

    @api.depends("plan_id.name", "course_id.name")
    def _compute_display_name(self):
        for line in self:
            line.display_name = f"{line.plan_id.name or ''}: {line.course_id.name or ''}"

    @api.constrains("date_start", "date_end", "budget", "participants")
    def _check_values(self):
        for line in self:
            if line.date_end <= line.date_start:
                raise ValidationError(
                    _(
                        "Plan %(plan)s: %(course)s must end after it starts.",
                        plan=line.plan_id.name,
                        course=line.course_id.name,
                    )
                )
            if line.budget < 0 or line.participants < 0:
                raise ValidationError(
                    _(
                        "Plan %(plan)s: budget and participants of %(course)s cannot be negative.",
                        plan=line.plan_id.name,
                        course=line.course_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        # the planned courses of an approved plan are part of its record
        self.env["training.plan"].browse(
            {vals["plan_id"] for vals in vals_list if vals.get("plan_id")}
        )._check_evidence_write({"line_ids": True})
        return super().create(vals_list)

    def write(self, vals):
        if set(vals) & set(EVIDENCE_FIELDS):
            plans = self.plan_id
            if vals.get("plan_id"):
                plans |= plans.browse(vals["plan_id"])
            plans._check_evidence_write({"line_ids": True})
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_approved_plan(self):
        self.plan_id._check_evidence_write({"line_ids": True})
