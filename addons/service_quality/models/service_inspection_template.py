from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

FREQUENCY_MONTHS = {"monthly": 1, "quarterly": 3}


class ServiceInspectionTemplate(models.Model):
    _name = "service.inspection.template"
    _description = "Recurring Inspection Template"
    _inherit = ["service.cron.mixin", "mail.thread"]
    _order = "next_date, name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    frequency = fields.Selection(
        [("monthly", "Monthly"), ("quarterly", "Quarterly")], default="monthly", required=True
    )
    next_date = fields.Date(
        string="Next Inspection",
        required=True,
        index=True,
        default=fields.Date.context_today,
        tracking=True,
    )
    inspector_id = fields.Many2one(
        "res.users",
        string="Inspector",
        required=True,
        check_company=True,
        default=lambda self: self.env.user,
    )
    subject_type = fields.Selection(
        [("team", "Team"), ("employee", "Employee")], default="team", required=True
    )
    team_id = fields.Many2one("service.team", check_company=True, index="btree_not_null")
    employee_id = fields.Many2one("hr.employee", check_company=True)
    line_ids = fields.One2many(
        "service.inspection.template.line", "template_id", string="Checklist", copy=True
    )
    inspection_ids = fields.One2many("service.inspection", "template_id", string="Inspections")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    @api.constrains("subject_type", "team_id", "employee_id")
    def _check_subject(self):
        for template in self:
            if template.subject_type == "team" and not template.team_id:
                raise ValidationError(
                    _("Inspection template %(name)s needs a team to inspect.", name=template.name)
                )
            if template.subject_type == "employee" and not template.employee_id:
                raise ValidationError(
                    _(
                        "Inspection template %(name)s needs an employee to inspect.",
                        name=template.name,
                    )
                )

    def _prepare_inspection_vals(self, date):
        self.ensure_one()
        return {
            "template_id": self.id,
            "kind": "scheduled",
            "scheduled_date": date,
            "inspector_id": self.inspector_id.id,
            "subject_type": self.subject_type,
            "team_id": self.team_id.id,
            "employee_id": self.employee_id.id,
            "company_id": self.company_id.id,
            "line_ids": [
                (0, 0, {"name": line.name, "sequence": line.sequence}) for line in self.line_ids
            ],
        }

    def action_generate_now(self):
        return self.env["service.inspection"]._generate_from_templates(self)

    @api.model
    def _cron_generate_inspections(self, batch_size=100):
        """Generate the inspections of the active templates due today or
        earlier: one locked batch of templates per call (the cron runner
        calls again while some are due). Returns the new inspections."""
        condition = SQL("active AND next_date <= %s", fields.Date.context_today(self))
        templates = self._cron_lock_batch(condition, batch_size, order=SQL("next_date, id"))
        Inspection = self.env["service.inspection"]
        created = Inspection._generate_from_templates(templates) if templates else Inspection
        self._cron_done(len(templates), self._cron_count(condition))
        return created

    @staticmethod
    def _next_date_after(date, frequency, today):
        step = relativedelta(months=FREQUENCY_MONTHS[frequency])
        date = date + step
        while date <= today:
            date += step
        return date
