from datetime import date, datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .order_common import ServiceOrderCommon


@tagged("post_install", "-at_install")
class TestEmergencyOrders(ServiceOrderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.emergency_type = cls.env.ref("service_quality.mail_activity_type_emergency")
        cls.update_type = cls.env.ref("service_quality.mail_activity_type_customer_update")
        cls.update_cron = cls.env.ref("service_quality.ir_cron_service_order_emergency_update")

    def _activities(self, order, activity_type):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "service.order"),
                ("res_id", "=", order.id),
                ("activity_type_id", "=", activity_type.id),
            ]
        )

    def test_emergency_runs_around_the_clock(self):
        # Friday 16:00 UTC: one working hour left in the week on the team's calendar
        with freeze_time("2026-01-09 16:00:00"):
            normal = self._create_order()
            emergency = self._create_order(is_emergency=True)
        self.assertEqual(emergency.response_deadline, datetime(2026, 1, 10, 16, 0))
        self.assertEqual(emergency.resolve_deadline, datetime(2026, 1, 11, 16, 0))
        self.assertGreater(normal.response_deadline, datetime(2026, 1, 12, 8, 0))
        with freeze_time("2026-01-09 16:00:00"):
            normal.with_user(self.dispatcher).is_emergency = True
        self.assertEqual(normal.response_deadline, datetime(2026, 1, 10, 16, 0))

    def test_emergency_pages_every_member_of_the_team_once(self):
        order = self._create_order(is_emergency=True, appliance="Lift motor")
        members = self.technician | self.technician_2 | self.leader
        activities = self._activities(order, self.emergency_type)
        self.assertEqual(activities.user_id, members)
        self.assertEqual(len(activities), 3)
        paging = self.env["mail.message"].search(
            [
                ("model", "=", "service.order"),
                ("res_id", "=", order.id),
                ("message_type", "=", "user_notification"),
            ]
        )
        self.assertEqual(len(paging), 1)
        self.assertEqual(paging.partner_ids, members.partner_id)
        self.assertIn("Respond now", paging.body)
        self.assertTrue(order.emergency_paged_at)
        order.with_user(self.dispatcher).write({"is_emergency": False})
        order.with_user(self.dispatcher).write({"is_emergency": True})
        self.assertEqual(len(self._activities(order, self.emergency_type)), 3)

    def test_emergency_without_team_says_so(self):
        order = self._create_order(is_emergency=True, team_id=False)
        self.assertFalse(self._activities(order, self.emergency_type))
        self.assertTrue(order.message_ids.filtered(lambda m: "no team to page" in (m.body or "")))

    def test_owner_is_reminded_when_a_customer_update_is_due(self):
        with freeze_time("2026-01-05 08:00:00"):
            order = self._create_order(is_emergency=True, customer_update_hours=2)
        self.assertEqual(order.next_update_due, datetime(2026, 1, 5, 10, 0))
        with freeze_time("2026-01-05 09:30:00"):
            self.update_cron.method_direct_trigger()
        self.assertFalse(self._activities(order, self.update_type))
        with freeze_time("2026-01-05 10:05:00"):
            self.update_cron.method_direct_trigger()
            self.update_cron.method_direct_trigger()
        reminder = self._activities(order, self.update_type)
        self.assertEqual(len(reminder), 1)
        self.assertEqual(reminder.user_id, self.dispatcher)
        # the dispatcher writes to the customer: the next update is due 2 h later
        with freeze_time("2026-01-05 10:30:00"):
            order.with_user(self.dispatcher).message_post(
                body="Technician dispatched, arrival within the hour.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                partner_ids=self.customer.ids,
            )
        self.assertEqual(order.next_update_due, datetime(2026, 1, 5, 12, 30))
        with freeze_time("2026-01-05 12:35:00"):
            self.update_cron.method_direct_trigger()
        self.assertEqual(len(self._activities(order, self.update_type)), 2)
        # resolved: no more updates are due
        self._walk_to(order, "to_accept")
        self.assertFalse(order.next_update_due)

    def test_update_reminder_queries_do_not_grow_with_the_batch(self):
        with freeze_time("2026-01-05 08:00:00"):
            small = self._create_order(is_emergency=True)
            large = self.env["service.order"].create(
                [
                    {
                        "partner_id": self.customer.id,
                        "team_id": self.team.id,
                        "is_emergency": True,
                        "customer_update_hours": 1,
                    }
                    for _i in range(10)
                ]
            )
        Order = self.env["service.order"]
        with freeze_time("2026-01-05 09:05:00"):
            large.write({"update_reminded_for": datetime(2030, 1, 1)})
            self.env.flush_all()
            with self.assertQueryCount(__system__=40):
                Order._cron_emergency_update_due()
            large.write({"update_reminded_for": False})
            small.write({"update_reminded_for": datetime(2030, 1, 1)})
            self.env.flush_all()
            with self.assertQueryCount(__system__=40):
                Order._cron_emergency_update_due()
        self.assertEqual(len(self._activities(large[0], self.update_type)), 1)

    def test_technician_sees_emergency_orders_assigned_to_him(self):
        mine = self._create_order(is_emergency=True, user_id=self.technician.id)
        # another team's emergency: the technician is not paged, nor assigned
        other = self._create_order(is_emergency=True, team_id=False, user_id=self.technician_2.id)
        Order = self.env["service.order"].with_user(self.technician)
        found = Order.search([("is_emergency", "=", True), ("id", "in", (mine | other).ids)])
        self.assertEqual(found, mine)


@tagged("post_install", "-at_install")
class TestEmergencyPlans(ServiceOrderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.drill_type = cls.env.ref("service_quality.mail_activity_type_emergency_drill")
        cls.drill_cron = cls.env.ref("service_quality.ir_cron_service_emergency_drill")

    def _plan(self, user=None):
        form = Form(self.env["service.emergency.plan"].with_user(user or self.dispatcher))
        form.name = "Curtain-wall glass breakage"
        form.risk = "Falling glass on the pavement"
        form.risk_level = "high"
        form.trigger = "A cracked or missing panel reported"
        form.contacts = "Team leader, building manager"
        form.resources = "Lift truck, cordon"
        form.tools = "Suction lifter, safety harness"
        form.parts = "Spare 8 mm tempered panel"
        form.drill_interval_months = 6
        form.date_start = date(2026, 1, 5)
        form.responsible_id = self.leader
        form.team_id = self.team
        return form.save()

    def _drill_activities(self, plan):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "service.emergency.plan"),
                ("res_id", "=", plan.id),
                ("activity_type_id", "=", self.drill_type.id),
            ]
        )

    def test_drill_reads_the_plan_name_in_the_readers_language(self):
        plan = self._plan()
        plan.with_context(lang="zh_CN").name = "幕墙玻璃破碎"
        drill = self.env["service.emergency.drill"].create(
            {"plan_id": plan.id, "date": date(2026, 3, 1)}
        )
        self.assertEqual(
            drill.with_context(lang="en_US").display_name, "Curtain-wall glass breakage 2026-03-01"
        )
        self.assertEqual(drill.with_context(lang="zh_CN").display_name, "幕墙玻璃破碎 2026-03-01")

    def test_overdue_drill_is_flagged_once_and_cleared_by_a_drill(self):
        with freeze_time("2026-01-05 08:00:00"):
            plan = self._plan()
        self.assertEqual(plan.next_drill_date, date(2026, 7, 5))
        with freeze_time("2026-07-05 09:00:00"):
            self.drill_cron.method_direct_trigger()
        self.assertFalse(plan.drill_overdue)
        with freeze_time("2026-07-06 09:00:00"):
            self.drill_cron.method_direct_trigger()
            self.drill_cron.method_direct_trigger()
        self.assertTrue(plan.drill_overdue)
        activity = self._drill_activities(plan)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.leader)
        with freeze_time("2026-07-08 09:00:00"):
            form = Form(self.env["service.emergency.drill"].with_user(self.dispatcher))
            form.plan_id = plan
            form.participant_ids.add(self.technician)
            form.participant_ids.add(self.technician_2)
            drill = form.save()
            with self.assertRaisesRegex(UserError, "missing: findings"):
                drill.action_done()
            drill.findings = "<p>Cordon set up in 12 minutes; the lifter battery was flat.</p>"
            drill.follow_up = "Charge the lifter weekly."
            with self.assertRaisesRegex(UserError, "a corrective action for the follow-up notes"):
                drill.action_done()
            self.env["service.corrective.action"].with_user(self.dispatcher).create(
                {
                    "name": "Charge the suction lifter weekly",
                    "drill_id": drill.id,
                    "owner_id": self.technician.id,
                    "deadline": date(2026, 7, 15),
                }
            )
            drill.action_done()
        self.assertEqual(drill.state, "done")
        self.assertFalse(plan.drill_overdue)
        self.assertEqual(plan.last_drill_date, date(2026, 7, 8))
        self.assertEqual(plan.next_drill_date, date(2027, 1, 8))
        with self.assertRaisesRegex(UserError, "already done"):
            drill.action_done()

    def test_plan_is_approved_by_a_manager_who_did_not_submit_it(self):
        plan = self._plan()
        self.assertEqual(plan.state, "draft")
        with self.assertRaisesRegex(UserError, "Curtain-wall glass breakage has no steps"):
            plan.with_user(self.dispatcher).action_submit()
        self.assertEqual(plan.state, "draft")
        plan.with_user(self.dispatcher).steps = "<p>Cordon off the area.</p>"
        with self.assertRaisesRegex(AccessError, "only a dispatcher can submit"):
            plan.with_user(self.technician).action_submit()
        with self.assertRaisesRegex(UserError, "State cannot be edited directly"):
            plan.with_user(self.dispatcher).write({"state": "approved"})
        plan.with_user(self.dispatcher).action_submit()
        self.assertEqual((plan.state, plan.submitted_by_id), ("submitted", self.dispatcher))
        with self.assertRaisesRegex(AccessError, "only a service manager can approve"):
            plan.with_user(self.dispatcher).action_approve()
        # the dispatcher who submitted it may withdraw it, and submit it again
        plan.with_user(self.dispatcher).action_draft()
        self.assertEqual((plan.state, plan.submitted_by_id.id), ("draft", False))
        plan.with_user(self.dispatcher).action_submit()
        with freeze_time("2026-03-09 02:00:00"):
            plan.with_user(self.manager).action_approve()
        self.assertEqual(plan.state, "approved")
        self.assertEqual(plan.approved_by_id, self.manager)
        self.assertEqual(plan.approved_on, date(2026, 3, 9))
        with self.assertRaisesRegex(UserError, "cannot move to Approved from Approved"):
            plan.with_user(self.manager).action_approve()
        # a manager does not approve a plan he submitted himself
        own = self._plan(self.manager)
        own.steps = "<p>Shut the valve.</p>"
        own.action_submit()
        with self.assertRaisesRegex(UserError, "was submitted by you: another manager"):
            own.with_user(self.manager).action_approve()
        self.assertEqual(own.state, "submitted")

    def test_approved_plan_is_locked_and_revised_by_reopening(self):
        plan = self._plan()
        plan.steps = "<p>Cordon off the area.</p>"
        plan.with_user(self.dispatcher).action_submit()
        plan.with_user(self.manager).action_approve()
        for user in (self.dispatcher, self.manager):
            with self.assertRaisesRegex(UserError, "can no longer be changed.*reopen it"):
                plan.with_user(user).write({"contacts": "Nobody"})
        with self.assertRaisesRegex(UserError, "can no longer be changed"):
            plan.sudo().write({"drill_interval_months": 24})
        with self.assertRaisesRegex(UserError, "is Approved: it is part of the records"):
            plan.with_user(self.manager).unlink()
        # drills go on while it is approved
        self.env["service.emergency.drill"].with_user(self.dispatcher).create(
            {"plan_id": plan.id, "date": date(2026, 4, 1)}
        )
        with self.assertRaisesRegex(AccessError, "only a member of"):
            plan.with_user(self.dispatcher)._workflow_reopen("New phone numbers")
        with self.assertRaisesRegex(UserError, "give the reason"):
            plan.with_user(self.manager)._workflow_reopen(" ")
        self.assertEqual(plan.state, "approved")
        plan.with_user(self.manager)._workflow_reopen("The building manager changed")
        self.assertEqual(plan.state, "draft")
        self.assertFalse(plan.approved_by_id or plan.approved_on or plan.submitted_by_id)
        self.assertTrue(
            any("The building manager changed" in message.body for message in plan.message_ids)
        )
        plan.with_user(self.dispatcher).contacts = "Team leader, new building manager"
        plan.with_user(self.dispatcher).action_submit()
        plan.with_user(self.manager).action_approve()
        self.assertEqual(plan.contacts, "Team leader, new building manager")

    def test_dispatcher_manages_technician_reads(self):
        plan = self._plan()
        self.assertEqual(plan.with_user(self.technician).name, "Curtain-wall glass breakage")
        with self.assertRaises(AccessError):
            self.env["service.emergency.plan"].with_user(self.technician).create(
                {"name": "Flood", "risk": "Water", "responsible_id": self.technician.id}
            )
        with self.assertRaises(AccessError):
            plan.with_user(self.technician).write({"steps": "<p>Run</p>"})
        drill = (
            self.env["service.emergency.drill"]
            .with_user(self.dispatcher)
            .create({"plan_id": plan.id, "participant_ids": [Command.set(self.technician.ids)]})
        )
        with self.assertRaises(AccessError):
            drill.with_user(self.technician).write({"findings": "<p>None</p>"})
        with self.assertRaises(AccessError):
            plan.with_user(self.dispatcher).unlink()
        plan.with_user(self.manager).unlink()
        self.assertFalse(drill.exists())

    def test_plans_of_another_company_are_hidden(self):
        other = self.env["res.company"].create({"name": "Other Service Co"})
        self.env.user.company_ids += other
        plan = (
            self.env["service.emergency.plan"]
            .with_company(other)
            .create({"name": "Gas leak", "risk": "Explosion", "company_id": other.id})
        )
        self.env["service.emergency.drill"].with_company(other).create({"plan_id": plan.id})
        Plan = self.env["service.emergency.plan"].with_user(self.dispatcher)
        self.assertFalse(Plan.search([("id", "=", plan.id)]))
        self.assertFalse(
            self.env["service.emergency.drill"]
            .with_user(self.dispatcher)
            .search([("plan_id", "=", plan.id)])
        )
        self.assertTrue(Plan.search([("id", "=", self._plan().id)]))

    def test_emergency_order_pages_the_plan_team(self):
        plan = self._plan()
        order = self._create_order(is_emergency=True, team_id=False, emergency_plan_id=plan.id)
        activities = self.env["mail.activity"].search(
            [("res_model", "=", "service.order"), ("res_id", "=", order.id)]
        )
        self.assertEqual(activities.user_id, self.technician | self.technician_2 | self.leader)
        self.assertEqual(order.next_update_due, order.received_at + timedelta(hours=2))


@tagged("post_install", "-at_install")
class TestEmergencyDrillActions(ServiceOrderCommon):
    """Drill follow-ups are corrective actions: owner, deadline, reminders,
    effectiveness check, shown on the drill."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.reminder_cron = cls.env.ref("service_quality.ir_cron_corrective_action_reminders")
        cls.plan = cls.env["service.emergency.plan"].create(
            {
                "name": "Lift entrapment",
                "risk": "Passengers trapped in a lift car",
                "responsible_id": cls.leader.id,
                "date_start": date(2026, 1, 5),
            }
        )

    def _drill(self):
        return (
            self.env["service.emergency.drill"]
            .with_user(self.dispatcher)
            .create(
                {
                    "plan_id": self.plan.id,
                    "date": date(2026, 3, 2),
                    "participant_ids": [Command.set((self.technician | self.technician_2).ids)],
                    "findings": "<p>The rescue key was not in the machine room.</p>",
                }
            )
        )

    def test_drill_finding_becomes_a_corrective_action_followed_up(self):
        drill = self._drill()
        form = Form(drill.with_user(self.dispatcher))
        with form.corrective_action_ids.new() as line:
            line.name = "Hang a rescue key in every machine room"
            line.owner_id = self.technician
            line.deadline = date(2026, 3, 12)
        drill = form.save()
        action = drill.corrective_action_ids
        self.assertEqual(len(action), 1)
        self.assertEqual(action.drill_id, drill)
        self.assertEqual(action.state, "open")
        self.assertEqual(drill.corrective_action_count, 1)
        self.assertEqual(drill.open_action_count, 1)
        drill.action_done()
        self.assertEqual(drill.state, "done")
        # reminded before its deadline like any corrective action
        with freeze_time("2026-03-08 07:00:00"):
            self.reminder_cron.method_direct_trigger()
        self.assertFalse(action.reminder_sent_for)
        with freeze_time("2026-03-09 07:00:00"):
            self.reminder_cron.method_direct_trigger()
            self.reminder_cron.method_direct_trigger()
        self.assertEqual(action.reminder_sent_for, date(2026, 3, 12))
        reminders = action.message_ids.filtered(lambda m: "is due on" in (m.body or ""))
        self.assertEqual(len(reminders), 1)
        self.assertIn(self.technician.partner_id, reminders.partner_ids)
        with freeze_time("2026-03-13 07:00:00"):
            self.assertTrue(action.is_overdue)
            self.assertIn(
                action,
                self.env["service.corrective.action"].search([("is_overdue", "=", True)]),
            )
        # the owner reports it done, an inspector checks it
        with freeze_time("2026-03-11 07:00:00"):
            action.with_user(self.technician).action_done()
        self.assertEqual(action.done_on, date(2026, 3, 11))
        action.with_user(self.inspector).write({"effectiveness": "effective"})
        action.with_user(self.inspector).action_verify()
        self.assertEqual(action.state, "verified")
        drill.invalidate_recordset()
        self.assertEqual(drill.open_action_count, 0)
        window = drill.action_view_corrective_actions()
        self.assertEqual(window["res_model"], "service.corrective.action")
        self.assertEqual(window["domain"], [("drill_id", "=", drill.id)])
        self.assertEqual(window["context"]["default_drill_id"], drill.id)
        self.assertEqual(window["context"]["default_company_id"], drill.company_id.id)

    def test_drill_action_access(self):
        drill = self._drill()
        Action = self.env["service.corrective.action"]
        action = Action.with_user(self.dispatcher).create(
            {
                "name": "Re-train the night shift",
                "drill_id": drill.id,
                "owner_id": self.technician.id,
                "deadline": date(2026, 4, 1),
            }
        )
        # the dispatcher plans it, cannot judge its effectiveness
        action.with_user(self.dispatcher).write({"deadline": date(2026, 4, 15)})
        self.assertEqual(action.deadline, date(2026, 4, 15))
        with self.assertRaises(AccessError):
            action.with_user(self.dispatcher).write({"effectiveness": "effective"})
        # the owner sees it, another technician does not; neither creates one
        self.assertEqual(
            Action.with_user(self.technician).search([("drill_id", "=", drill.id)]), action
        )
        self.assertFalse(Action.with_user(self.technician_2).search([("drill_id", "=", drill.id)]))
        with self.assertRaises(AccessError):
            Action.with_user(self.technician).create(
                {
                    "name": "Mine",
                    "drill_id": drill.id,
                    "owner_id": self.technician.id,
                    "deadline": date(2026, 4, 1),
                }
            )
        with self.assertRaises(AccessError):
            action.with_user(self.technician).write({"deadline": date(2026, 5, 1)})
        with self.assertRaisesRegex(
            ValidationError, "must belong to a complaint, an inspection or an emergency drill"
        ):
            Action.create(
                {"name": "Orphan", "owner_id": self.technician.id, "deadline": date(2026, 4, 1)}
            )
        # deleting the drill (managers) removes its actions
        drill.with_user(self.manager).unlink()
        self.assertFalse(action.exists())
