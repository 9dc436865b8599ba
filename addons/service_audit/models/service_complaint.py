from odoo import _, api, fields, models


class ServiceComplaint(models.Model):
    _inherit = "service.complaint"

    substantiated = fields.Boolean(
        tracking=True,
        help="The investigation found the complaint justified: closing it proposes a "
        "penalty for the responsible person (or the technician of the order).",
    )
    reward_penalty_ids = fields.One2many("service.reward.penalty", "complaint_id")
    compensation_ids = fields.One2many("service.compensation", "complaint_id")
    compensation_count = fields.Integer(compute="_compute_compensation_count")

    @api.depends("compensation_ids")
    def _compute_compensation_count(self):
        for complaint in self:
            complaint.compensation_count = len(complaint.compensation_ids)

    def action_close(self):
        result = super().action_close()
        self._propose_penalties()
        return result

    def _penalised_employee(self):
        self.ensure_one()
        if self.responsible_id:
            return self.responsible_id
        return self.technician_id.sudo().employee_ids.filtered(
            lambda e: e.company_id == self.company_id
        )[:1]

    def _propose_penalties(self):
        vals_list = []
        for complaint in self.filtered(lambda c: c.substantiated and not c.reward_penalty_ids):
            employee = complaint._penalised_employee()
            if not employee:
                continue
            vals_list.append(
                {
                    "employee_id": employee.id,
                    "kind": "penalty",
                    "points": 5 if complaint.severity == "major" else 2,
                    "reason": _("Substantiated complaint %(name)s.", name=complaint.name),
                    "source": "complaint",
                    "complaint_id": complaint.id,
                    "company_id": complaint.company_id.id,
                }
            )
        return self.env["service.reward.penalty"]._propose(vals_list)

    def action_view_compensations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "service_audit.service_compensation_action"
        )
        action["domain"] = [("complaint_id", "=", self.id)]
        action["context"] = {
            "default_complaint_id": self.id,
            "default_partner_id": self.partner_id.id,
            "default_service_order_id": self.service_order_id.id,
        }
        return action

    def _workflow_locked_fields(self):
        # whether it was justified drives the penalties: part of the closed record
        return (*super()._workflow_locked_fields(), "substantiated")
