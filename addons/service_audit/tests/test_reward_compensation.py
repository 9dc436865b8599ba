from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import ServiceAuditCommon


@tagged("post_install", "-at_install")
class TestRewardPenalty(ServiceAuditCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager_2 = cls.env["res.users"].create(
            {
                "name": "Mia Manager",
                "login": "sa_manager2",
                "groups_id": [Command.set(cls.manager.groups_id.ids)],
            }
        )
        cls.tech_employee = cls.env["hr.employee"].create(
            {"name": "Tess Technician", "user_id": cls.technician.id}
        )
        cls.cause = cls.env["service.complaint.cause"].create({"name": "Workmanship"})
        cls.department = cls.env["hr.department"].create({"name": "After-sales"})

    def _inspection(self, results):
        inspection = self.env["service.inspection"].create(
            {
                "subject_type": "employee",
                "employee_id": self.tech_employee.id,
                "line_ids": [Command.create({"name": f"Item {i}"}) for i in range(len(results))],
            }
        )
        inspection.action_start()
        for line, result in zip(inspection.line_ids, results, strict=True):
            line.result = result
        return inspection

    def _closed_complaint(self, substantiated):
        order = self._orders(1, date(2026, 3, 2))
        order.user_id = self.technician
        complaint = self._complaints(1, date(2026, 3, 2), order)
        complaint.substantiated = substantiated
        complaint.action_acknowledge()
        complaint.action_investigate()
        complaint.handling_plan = "<p>Replace the seal.</p>"
        complaint.action_approve_plan()
        complaint.resolution = "<p>Seal replaced.</p>"
        complaint.action_resolve()
        complaint.write({"cause_id": self.cause.id, "department_id": self.department.id})
        self.env["service.corrective.action"].create(
            {
                "name": "Retrain on seal fitting",
                "action_type": "corrective",
                "complaint_id": complaint.id,
                "owner_id": self.technician.id,
                "deadline": date(2026, 3, 20),
            }
        ).action_done()
        complaint.responsible_id = self.tech_employee
        complaint.customer_answer = "satisfied"
        complaint.action_close()
        return complaint

    def test_failed_inspection_proposes_penalty(self):
        inspection = self._inspection(["pass", "fail", "fail"])
        inspection.action_done()
        penalty = inspection.reward_penalty_ids
        self.assertRecordValues(
            penalty,
            [
                {
                    "employee_id": self.tech_employee.id,
                    "kind": "penalty",
                    "points": 2,
                    "source": "inspection",
                    "state": "proposed",
                    "proposed_by_id": self.env.uid,
                }
            ],
        )
        self.assertIn(inspection.name, penalty.reason)

    def test_passed_inspection_proposes_nothing(self):
        inspection = self._inspection(["pass", "na"])
        inspection.action_done()
        self.assertFalse(inspection.reward_penalty_ids)

    def test_substantiated_complaint_proposes_penalty(self):
        complaint = self._closed_complaint(substantiated=True)
        self.assertRecordValues(
            complaint.reward_penalty_ids,
            [
                {
                    "employee_id": self.tech_employee.id,
                    "kind": "penalty",
                    "source": "complaint",
                    "state": "proposed",
                }
            ],
        )

    def test_unsubstantiated_complaint_proposes_nothing(self):
        complaint = self._closed_complaint(substantiated=False)
        self.assertEqual(complaint.state, "closed")
        self.assertFalse(complaint.reward_penalty_ids)

    def test_excellent_assessment_proposes_reward(self):
        officer = self.env["res.users"].create(
            {
                "name": "Olga Officer",
                "login": "sa_officer",
                "groups_id": [
                    Command.link(self.env.ref("service_training.group_training_officer").id)
                ],
            }
        )
        excellent, average = self.env["training.assessment"].create(
            [
                {
                    "employee_id": self.tech_employee.id,
                    "date_from": date(2026, month, 1),
                    "date_to": date(2026, month, 28),
                    "technical_score": score,
                    "attitude_score": score,
                    "safety_score": score,
                }
                for month, score in ((1, 95), (2, 70))
            ]
        )
        (excellent | average).with_user(officer).action_sign()
        self.assertFalse(average.reward_penalty_ids)
        self.assertRecordValues(
            excellent.reward_penalty_ids,
            [
                {
                    "kind": "reward",
                    "points": 10,
                    "source": "assessment",
                    "state": "proposed",
                    "proposed_by_id": officer.id,
                }
            ],
        )
        # the assessment shows it to its training officer
        self.assertEqual(excellent.with_user(officer).reward_penalty_ids.mapped("kind"), ["reward"])

    def test_approval_by_another_manager(self):
        line = (
            self.env["service.reward.penalty"]
            .with_user(self.inspector)
            .create(
                {
                    "employee_id": self.tech_employee.id,
                    "kind": "reward",
                    "points": 3,
                    "reason": "Praised by the customer",
                }
            )
        )
        with self.assertRaises(AccessError):
            line.with_user(self.inspector).action_approve()
        line.with_user(self.manager).action_approve()
        self.assertRecordValues(line, [{"state": "approved", "decided_by_id": self.manager.id}])
        self.assertEqual(self.tech_employee.with_user(self.manager).reward_points, 3)
        with self.assertRaisesRegex(UserError, "decided and cannot change"):
            line.with_user(self.manager).points = 5
        with self.assertRaisesRegex(UserError, "already decided"):
            line.with_user(self.manager_2).action_reject()

        own = (
            self.env["service.reward.penalty"]
            .with_user(self.manager)
            .create(
                {
                    "employee_id": self.tech_employee.id,
                    "kind": "penalty",
                    "points": 1,
                    "reason": "Late",
                }
            )
        )
        with self.assertRaisesRegex(UserError, "proposed by you"):
            own.with_user(self.manager).action_approve()
        own.with_user(self.manager_2).action_reject()
        self.assertEqual(own.state, "rejected")
        self.assertEqual(self.tech_employee.with_user(self.manager).reward_points, 3)
        action = self.tech_employee.action_view_rewards_penalties()
        self.assertEqual(self.env["service.reward.penalty"].search(action["domain"]), line | own)

    def test_needs_points_or_amount(self):
        with self.assertRaisesRegex(ValidationError, "needs points or an amount"):
            self.env["service.reward.penalty"].create(
                {"employee_id": self.tech_employee.id, "kind": "reward", "reason": "?"}
            )

    def test_access_allow_and_deny(self):
        line = self.env["service.reward.penalty"].create(
            {"employee_id": self.tech_employee.id, "kind": "reward", "points": 1, "reason": "x"}
        )
        self.assertTrue(line.with_user(self.inspector).read(["name"]))
        with self.assertRaises(AccessError):
            line.with_user(self.technician).read(["name"])
        with self.assertRaises(AccessError):
            line.with_user(self.inspector_other_company).read(["name"])
        with self.assertRaises(AccessError):
            line.with_user(self.inspector).unlink()


@tagged("post_install", "-at_install")
class TestCompensation(ServiceAuditCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dispatcher = cls.env["res.users"].create(
            {
                "name": "Dora Dispatcher",
                "login": "sa_dispatcher",
                "groups_id": [
                    Command.link(cls.env.ref("service_quality.group_service_dispatcher").id)
                ],
            }
        )

    def test_compensation_flow_and_dashboard(self):
        order = self._orders(1, date(2026, 3, 2))
        complaint = self._complaints(1, date(2026, 3, 2), order)
        with Form(self.env["service.compensation"].with_user(self.inspector)) as form:
            form.kind = "compensation"
            form.complaint_id = complaint
            form.amount = 300
            form.reason = "Second visit needed, customer compensated."
        record = form.save()
        self.assertEqual(record.partner_id, self.customer)
        self.assertEqual(record.service_order_id, order)
        self.assertEqual(complaint.compensation_count, 1)
        with self.assertRaises(AccessError):
            record.with_user(self.inspector).action_approve()
        with self.assertRaisesRegex(UserError, "must be approved"):
            record.with_user(self.inspector).action_done()
        record.with_user(self.manager).action_approve()
        record.with_user(self.inspector).action_done()
        self.assertRecordValues(record, [{"state": "done", "approved_by_id": self.manager.id}])

        Dashboard = self.env["service.dashboard"].with_user(self.manager)
        start = record.date.replace(day=1)
        end = date(start.year + start.month // 12, start.month % 12 + 1, 1)
        figure = next(
            f for f in Dashboard._dashboard_figures(start, end) if f["key"] == "compensation"
        )
        self.assertEqual(figure["value"], 1)
        self.assertIn("300", figure["help"])
        self.assertEqual(
            self.env["service.compensation"].search(figure["action"]["domain"]), record
        )
        # dispatchers read the records behind the figure
        dispatcher_keys = [
            f["key"] for f in Dashboard.with_user(self.dispatcher)._dashboard_figures(start, end)
        ]
        self.assertIn("compensation", dispatcher_keys)

    def test_origin_and_amount_required(self):
        with self.assertRaisesRegex(ValidationError, "must be linked to the complaint"):
            self.env["service.compensation"].create(
                {"kind": "return", "partner_id": self.customer.id, "reason": "Broken"}
            )
        order = self._orders(1, date(2026, 3, 2))
        record = self.env["service.compensation"].create(
            {
                "kind": "compensation",
                "partner_id": self.customer.id,
                "service_order_id": order.id,
                "reason": "Delay",
            }
        )
        with self.assertRaisesRegex(UserError, "has no amount"):
            record.with_user(self.manager).action_approve()
        self.assertEqual(record.state, "draft")

    def test_access_allow_and_deny(self):
        order = self._orders(1, date(2026, 3, 2))
        record = self.env["service.compensation"].create(
            {
                "kind": "exchange",
                "partner_id": self.customer.id,
                "service_order_id": order.id,
                "reason": "Exchanged",
            }
        )
        self.assertTrue(record.with_user(self.inspector).read(["name"]))
        with self.assertRaises(AccessError):
            record.with_user(self.technician).read(["name"])
        with self.assertRaises(AccessError):
            record.with_user(self.inspector_other_company).read(["name"])
