from odoo import fields, models


class TrainingCadenceGap(models.Model):
    """An employee's gap against a cadence rule, as found by the daily check
    (``hr.employee._cron_check_training_cadence``)."""

    _name = "training.cadence.gap"
    _description = "Training Cadence Gap"
    _order = "employee_id, rule_id"

    employee_id = fields.Many2one("hr.employee", required=True, index=True, ondelete="cascade")
    rule_id = fields.Many2one(
        "training.cadence.rule", required=True, index=True, ondelete="cascade"
    )
    enforcement = fields.Selection(related="rule_id.enforcement", store=True)
    detail = fields.Char(required=True)
    detected_on = fields.Date(required=True)
    company_id = fields.Many2one(related="employee_id.company_id", store=True, index=True)
