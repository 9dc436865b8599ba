from odoo import api, fields, models
from odoo.tools import SQL


class HrEmployee(models.Model):
    _name = "hr.employee"
    _inherit = ["hr.employee", "service.cron.mixin"]

    training_attendance_ids = fields.One2many(
        "training.attendance", "employee_id", string="Training", groups="hr.group_hr_user"
    )
    training_certification_ids = fields.One2many(
        "training.certification", "employee_id", string="Certificates", groups="hr.group_hr_user"
    )
    training_evaluation_ids = fields.One2many(
        "training.evaluation", "employee_id", string="Training Reviews", groups="hr.group_hr_user"
    )
    training_assessment_ids = fields.One2many(
        "training.assessment", "employee_id", string="Assessments", groups="hr.group_hr_user"
    )
    training_hours = fields.Float(compute="_compute_training_stats", groups="hr.group_hr_user")
    training_attendance_count = fields.Integer(
        compute="_compute_training_stats", groups="hr.group_hr_user"
    )
    training_certification_count = fields.Integer(
        compute="_compute_training_stats", groups="hr.group_hr_user"
    )
    training_assessment_count = fields.Integer(
        compute="_compute_training_stats", groups="hr.group_hr_user"
    )
    training_cadence_gap_ids = fields.One2many(
        "training.cadence.gap", "employee_id", string="Training Gaps", groups="hr.group_hr_user"
    )
    training_cadence_checked_on = fields.Date(
        copy=False, index=True, groups="hr.group_hr_user", string="Training Cadence Checked On"
    )

    def _compute_training_stats(self):
        attendance = {
            emp: (count, hours)
            for emp, count, hours in self.env["training.attendance"]._read_group(
                [("employee_id", "in", self.ids)], ["employee_id"], ["__count", "hours:sum"]
            )
        }
        certs = dict(
            self.env["training.certification"]._read_group(
                [("employee_id", "in", self.ids), ("state", "!=", "revoked")],
                ["employee_id"],
                ["__count"],
            )
        )
        assessments = dict(
            self.env["training.assessment"]._read_group(
                [("employee_id", "in", self.ids)], ["employee_id"], ["__count"]
            )
        )
        for employee in self:
            count, hours = attendance.get(employee, (0, 0.0))
            employee.training_attendance_count = count
            employee.training_hours = hours
            employee.training_certification_count = certs.get(employee, 0)
            employee.training_assessment_count = assessments.get(employee, 0)

    def _training_action(self, xmlid):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = [("employee_id", "=", self.id)]
        action["context"] = {"default_employee_id": self.id, "search_default_employee_id": False}
        return action

    def action_view_training_attendances(self):
        return self._training_action("service_training.training_attendance_action")

    def action_view_training_certifications(self):
        return self._training_action("service_training.training_certification_action")

    def action_view_training_assessments(self):
        return self._training_action("service_training.training_assessment_action")

    def action_print_training_file(self):
        return self.env.ref("service_training.action_report_training_file").report_action(self)

    def _check_training_cadence(self, today=None):
        """Replace the cadence gaps of the employees of ``self`` by those the
        active rules of their companies find today: one grouped query per
        rule, one delete and one create for the whole batch."""
        today = today or fields.Date.context_today(self)
        employees = self.sudo()  # the job checks every employee's training
        rules = (
            self.env["training.cadence.rule"]
            .sudo()
            .search([("company_id", "in", employees.company_id.ids)])
        )
        Gap = self.env["training.cadence.gap"].sudo()
        Gap.search([("employee_id", "in", employees.ids)]).unlink()
        Gap.create(
            [
                {
                    "employee_id": employee.id,
                    "rule_id": rule.id,
                    "done_count": count,
                    "done_hours": hours,
                    "detected_on": today,
                }
                for employee, rule, count, hours in rules._gaps(employees, today)
            ]
        )
        employees.write({"training_cadence_checked_on": today})

    @api.model
    def _cron_check_training_cadence(self, batch_size=500):
        """Check the employees not checked today, one locked batch per call
        (``service.cron.mixin``); the cron runner calls again while some
        remain."""
        today = fields.Date.context_today(self)
        condition = SQL(
            "active AND (training_cadence_checked_on IS NULL OR training_cadence_checked_on < %s)",
            today,
        )
        employees = self._cron_lock_batch(condition, batch_size)
        employees._check_training_cadence(today)
        return self._cron_done(len(employees), self._cron_count(condition))
