from datetime import datetime

from odoo import Command

from .common import ServiceQualityCommon


class ServiceOrderCommon(ServiceQualityCommon):
    """Master data for service order tests: a UTC working calendar (Mon-Fri
    08-12, 13-17), a team with a leader, an approval category and helpers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # start from a clean policy table whatever the database holds
        cls.env["service.sla.policy"].search([]).active = False
        # orders an earlier use of the database left waiting for the
        # completion job are set aside: the job's first batch is the test's
        waiting = cls.env["service.order"].search([("completion_pending", "=", True)])
        waiting._with_workflow_pass().sudo().write({"completion_pending": False})
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Service hours (UTC)",
                "tz": "UTC",
                "attendance_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "name": f"Day {day} {period}",
                            "dayofweek": str(day),
                            "hour_from": hour_from,
                            "hour_to": hour_to,
                            "day_period": period,
                        }
                    )
                    for day in range(5)
                    for hour_from, hour_to, period in ((8, 12, "morning"), (13, 17, "afternoon"))
                ],
            }
        )
        cls.leader = cls.manager_2
        cls.team = cls.env["service.team"].create(
            {
                "name": "Home appliances",
                "leader_id": cls.leader.id,
                "calendar_id": cls.calendar.id,
                "member_ids": [Command.set([cls.technician.id, cls.technician_2.id])],
            }
        )
        cls.category_approval = cls.env["service.category"].create(
            {"name": "Built-in oven replacement", "approval_required": True, "return_visit_days": 5}
        )
        cls.signature = (
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8"
            "AAAAASUVORK5CYII="
        )

    def _create_order(self, user=None, **vals):
        values = {
            "partner_id": self.customer.id,
            "category_id": self.category.id,
            "team_id": self.team.id,
            "description": "<p>Drum does not spin</p>",
        }
        values.update(vals)
        return self.env["service.order"].with_user(user or self.dispatcher).create(values)

    def _walk_to(self, order, state):
        """Drive ``order`` with the right roles up to ``state``. Each step
        starts with an empty cache, as each click of the web client is a
        request of its own: a step must not rely on what an earlier step
        (or another user) read."""
        flow = ["assessed", "approved", "scheduled", "in_progress", "to_accept", "done", "closed"]
        for step in flow:
            if order.state == state:
                return order
            self.env.invalidate_all()
            if step == "assessed":
                order.with_user(self.dispatcher).write(
                    {"diagnosis": "Worn belt", "plan": "Replace belt"}
                )
                order.with_user(self.dispatcher).action_assess()
            elif step == "approved":
                if not order.category_id.approval_required:
                    continue
                order.with_user(self.manager).action_approve()
            elif step == "scheduled":
                if not order.user_id:
                    order.with_user(self.dispatcher).write(
                        {
                            "user_id": self.technician.id,
                            "appointment_start": datetime(2030, 3, 4, 9, 0),
                            "appointment_end": datetime(2030, 3, 4, 11, 0),
                        }
                    )
                order.with_user(self.dispatcher).action_schedule()
            elif step == "in_progress":
                order.with_user(self.technician).action_start()
            elif step == "to_accept":
                order.with_user(self.technician).write({"resolution": "Belt replaced, test run OK"})
                order.with_user(self.technician).action_finish()
            elif step == "done":
                order.with_user(self.technician).write(
                    {"customer_signature": self.signature, "signed_by": "Chen Wei"}
                )
                order.with_user(self.inspector).action_accept()
            elif step == "closed":
                self.env["service.feedback"].with_user(self.dispatcher).create(
                    {"service_order_id": order.id, "score": 5, "channel": "phone"}
                )
        return order
