from odoo import api, fields, models


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
    done_count = fields.Integer(string="Sessions Done")
    done_hours = fields.Float(string="Hours Done", digits=(16, 1))
    detail = fields.Char(compute="_compute_detail")
    detected_on = fields.Date(required=True)
    company_id = fields.Many2one(related="employee_id.company_id", store=True, index=True)

    @api.depends("rule_id", "done_count", "done_hours")
    @api.depends_context("lang")
    def _compute_detail(self):
        """What is missing, in the reader's language."""
        for gap in self:
            gap.detail = gap.rule_id._gap_detail(gap.done_count, gap.done_hours) or ""
