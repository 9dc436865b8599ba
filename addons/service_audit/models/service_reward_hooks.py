from odoo import _, api, fields, models

REWARD_SCORE = 90.0


class ServiceInspection(models.Model):
    _inherit = "service.inspection"

    reward_penalty_ids = fields.One2many("service.reward.penalty", "inspection_id")

    def action_done(self):
        result = super().action_done()
        self._propose_penalties()
        return result

    def _propose_penalties(self):
        """A failed inspection of an employee proposes a penalty (one per
        inspection)."""
        vals_list = [
            {
                "employee_id": inspection.employee_id.id,
                "kind": "penalty",
                "points": inspection.fail_count,
                "reason": _(
                    "Inspection %(name)s failed on %(count)s item(s).",
                    name=inspection.name,
                    count=inspection.fail_count,
                ),
                "source": "inspection",
                "inspection_id": inspection.id,
                "company_id": inspection.company_id.id,
            }
            for inspection in self
            if inspection.fail_count
            and inspection.employee_id
            and not inspection.reward_penalty_ids
        ]
        return self.env["service.reward.penalty"]._propose(vals_list)


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


class TrainingAssessment(models.Model):
    _inherit = "training.assessment"

    reward_penalty_ids = fields.One2many("service.reward.penalty", "assessment_id")

    def action_sign(self):
        result = super().action_sign()
        self._propose_rewards()
        return result

    def _propose_rewards(self):
        """An excellent periodic assessment (overall score at or above the
        ``service_audit.reward_score`` parameter, 90 by default) proposes a
        reward."""
        threshold = float(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("service_audit.reward_score", REWARD_SCORE)
        )
        vals_list = [
            {
                "employee_id": assessment.employee_id.id,
                "kind": "reward",
                "points": round(assessment.overall_score / 10),
                "reason": _(
                    "Excellent periodic assessment %(name)s (score %(score)s).",
                    name=assessment.name,
                    score=round(assessment.overall_score, 1),
                ),
                "source": "assessment",
                "assessment_id": assessment.id,
                "company_id": assessment.company_id.id,
            }
            for assessment in self
            if assessment.overall_score >= threshold and not assessment.reward_penalty_ids
        ]
        return self.env["service.reward.penalty"]._propose(vals_list)


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


class ServiceDashboard(models.AbstractModel):
    _inherit = "service.dashboard"

    @api.model
    def _dashboard_figures(self, start, end):
        """Returns, exchanges, recalls and compensation approved or carried
        out in the period: their number and the amount given."""
        figures = super()._dashboard_figures(start, end)
        Compensation = self.env["service.compensation"]
        if not Compensation.has_access("read"):
            return figures
        domain = [
            ("date", ">=", fields.Date.to_date(start)),
            ("date", "<", fields.Date.to_date(end)),
            ("state", "in", ("approved", "done")),
        ]
        [(count, amount)] = Compensation._read_group(domain, [], ["__count", "amount:sum"])
        figures.append(
            self._dashboard_figure(
                "compensation",
                _("Returns & Compensation"),
                count,
                "integer",
                count=count,
                sequence=78,
                level="success" if not count else "warning",
                action={
                    # built here rather than read from the window action:
                    # the dashboard is a hot path with a query budget
                    "type": "ir.actions.act_window",
                    "name": _("Returns & Compensation"),
                    "res_model": "service.compensation",
                    "domain": domain,
                    "views": [(False, "list"), (False, "form")],
                    "view_mode": "list,form",
                    "context": {},
                    "target": "current",
                },
                help=_(
                    "Returns, exchanges, recalls and compensation approved in the period "
                    "(amount given: %(amount)s).",
                    amount=round(amount or 0.0, 2),
                ),
            )
        )
        return figures
