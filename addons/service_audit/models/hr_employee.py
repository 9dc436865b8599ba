from odoo import fields, models


class HrEmployee(models.Model):
    _inherit = "hr.employee"

    reward_penalty_ids = fields.One2many(
        "service.reward.penalty",
        "employee_id",
        groups="service_quality.group_service_manager,service_quality.group_quality_inspector,"
        "service_training.group_training_officer",
    )
    reward_points = fields.Integer(
        compute="_compute_reward_points",
        groups="service_quality.group_service_manager,service_quality.group_quality_inspector,"
        "service_training.group_training_officer",
    )

    def _compute_reward_points(self):
        groups = self.env["service.reward.penalty"]._read_group(
            [("employee_id", "in", self.ids), ("state", "=", "approved")],
            ["employee_id", "kind"],
            ["points:sum"],
        )
        totals = dict.fromkeys(self.ids, 0)
        for employee, kind, points in groups:
            totals[employee.id] += points if kind == "reward" else -points
        for employee in self:
            employee.reward_points = totals.get(employee.id, 0)

    def action_view_rewards_penalties(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "service_audit.service_reward_penalty_action"
        )
        action["domain"] = [("employee_id", "=", self.id)]
        action["context"] = {"default_employee_id": self.id}
        return action
