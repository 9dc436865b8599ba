from datetime import date, datetime

from odoo import Command

from .common import ServiceQualityCommon


class QualityCommon(ServiceQualityCommon):
    """Master data for complaints, corrective actions and inspections."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Li Na", "email": "li.na@example.com"}
        )
        cls.department = cls.env["hr.department"].create({"name": "After-sales Service"})
        cls.responsible = cls.env["hr.employee"].create(
            {"name": "Wang Fang", "department_id": cls.department.id}
        )
        cls.cause_root = cls.env["service.complaint.cause"].create({"name": "Workmanship"})
        cls.cause = cls.env["service.complaint.cause"].create(
            {"name": "Bearing not seated", "parent_id": cls.cause_root.id}
        )
        cls.complaint_category = cls.env.ref(
            "service_quality.service_complaint_category_repair_result"
        )
        cls.team = cls.env["service.team"].create(
            {
                "name": "Shanghai North",
                "leader_id": cls.manager.id,
                "member_ids": [Command.set(cls.technician.ids)],
            }
        )
        cls.order = cls.env["service.order"].create(
            {
                "partner_id": cls.customer.id,
                "category_id": cls.category.id,
                "user_id": cls.technician.id,
                "team_id": cls.team.id,
            }
        )
        cls.order_2 = cls.env["service.order"].create(
            {
                "partner_id": cls.other_customer.id,
                "category_id": cls.category.id,
                "user_id": cls.technician_2.id,
            }
        )

    @classmethod
    def _complaint(cls, **vals):
        values = {
            "partner_id": cls.customer.id,
            "service_order_id": cls.order.id,
            "category_id": cls.complaint_category.id,
            "description": "<p>The washing machine still leaks.</p>",
            "received_at": datetime(2026, 3, 2, 9, 0),
        }
        values.update(vals)
        return cls.env["service.complaint"].create(values)

    def _fill_for_closing(self, complaint, owner=None):
        complaint.write(
            {
                "cause_id": self.cause.id,
                "department_id": self.department.id,
                "responsible_id": self.responsible.id,
            }
        )
        action = self.env["service.corrective.action"].create(
            {
                "name": "Replace the drum bearing",
                "action_type": "corrective",
                "complaint_id": complaint.id,
                "owner_id": (owner or self.technician).id,
                "deadline": date(2026, 3, 10),
            }
        )
        return action
