from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import EquipmentCareCommon

# queries of one batch of the overdue escalation, whatever its size (the
# keepers' activities and their subscriptions, and the company's time zone
# the messages print the expected return in)
BATCH_QUERIES = 18


@tagged("post_install", "-at_install")
class TestRegister(EquipmentCareCommon):
    def test_tool_code_per_category(self):
        self.assertEqual(self.tool.tool_code, "TMM-00001")
        self.assertEqual(self.tool_2.tool_code, "TMM-00002")
        other = self.env["maintenance.equipment.category"].create(
            {"name": "Test Torque wrenches", "tool_code_prefix": "TTW-"}
        )
        wrench = self.env["maintenance.equipment"].create(
            {"name": "Wrench", "category_id": other.id}
        )
        self.assertEqual(wrench.tool_code, "TTW-00001")
        # category defaults applied, next dates follow last + interval
        self.assertEqual(self.tool.inspection_interval_days, 30)
        self.assertEqual(self.tool.next_inspection_date, self.today + timedelta(days=25))
        self.assertEqual(self.tool.next_calibration_date, self.today + timedelta(days=335))
        with self.assertRaises(UserError):
            self.tool.care_status = "retired"

    def test_form_register(self):
        with Form(self.env["maintenance.equipment"].with_user(self.keeper)) as form:
            form.name = "Insulation tester"
            form.category_id = self.category
            self.assertEqual(form.calibration_interval_days, 365)
        tool = form.save()
        self.assertTrue(tool.tool_code.startswith("TMM-"))
        self.assertEqual(tool.care_status, "available")


@tagged("post_install", "-at_install")
class TestCheckout(EquipmentCareCommon):
    @freeze_time("2026-03-02 09:00:00")
    def test_checkout_checkin_cycle(self):
        checkout = self._checkout(order=self.order)
        self.assertEqual(self.tool.care_status, "checked_out")
        self.assertEqual(self.tool.current_checkout_id, checkout)
        self.assertEqual(self.order.tools_out_count, 1)
        checkout.action_check_in()
        self.assertEqual(checkout.state, "returned")
        self.assertEqual(checkout.return_condition, "ok")
        self.assertEqual(str(checkout.returned_at), "2026-03-02 09:00:00")
        self.assertEqual(self.tool.care_status, "available")
        self.assertEqual(self.order.tools_out_count, 0)
        # again, returned damaged: the tool goes to repair with a fault request
        checkout = self._checkout()
        checkout.return_condition = "damaged"
        checkout.action_check_in()
        self.assertEqual(self.tool.care_status, "in_repair")
        fault = self.env["maintenance.request"].search([("equipment_id", "=", self.tool.id)])
        self.assertEqual(fault.maintenance_type, "corrective")
        self.assertEqual(fault.fault_state, "reported")

    @freeze_time("2026-03-02 09:00:00")
    def test_checkout_form_as_technician(self):
        with Form(self.env["equipment.checkout"].with_user(self.technician)) as form:
            form.equipment_id = self.tool
            self.assertEqual(form.employee_id, self.emp_tech)
            form.expected_return_at = self.now + timedelta(hours=4)
        checkout = form.save()
        self.assertEqual(checkout.user_id, self.technician)
        self.assertEqual(self.tool.care_status, "checked_out")
        checkout.with_user(self.technician).action_check_in()
        self.assertEqual(self.tool.care_status, "available")

    @freeze_time("2026-03-02 09:00:00")
    def test_refusals(self):
        checkout = self._checkout()
        with self.assertRaisesRegex(UserError, "TMM-00001.*Checked Out"):
            self._checkout(employee=self.emp_tech_2)
        checkout.action_check_in()
        with self.assertRaisesRegex(UserError, "already returned"):
            checkout.action_check_in()
        self.assertEqual(self.tool.care_status, "available")
        # blocked
        self.tool._set_care_status("blocked")
        with self.assertRaisesRegex(UserError, "Blocked"):
            self._checkout()
        self.tool._set_care_status("available")
        # inspection overdue
        self.tool.last_inspection_date = self.today - timedelta(days=31)
        with self.assertRaisesRegex(UserError, "inspection was due"):
            self._checkout()
        self.tool.last_inspection_date = self.today
        # calibration overdue
        self.tool.next_calibration_date = self.today - timedelta(days=1)
        with self.assertRaisesRegex(UserError, "calibration was due"):
            self._checkout()
        # nothing was written by the refused attempts
        self.assertEqual(
            self.env["equipment.checkout"].search_count([("equipment_id", "=", self.tool.id)]), 1
        )
        self.assertEqual(self.tool.care_status, "available")
        # expected return must be after check-out
        self.tool.next_calibration_date = self.today + timedelta(days=10)
        with self.assertRaises(ValidationError):
            self._checkout(hours=-1)

    @freeze_time("2026-03-02 09:00:00")
    def test_order_not_done_while_tools_out(self):
        self.order.category_id = self.env["service.category"].create({"name": "Fridge repair"})
        checkout = self._checkout(order=self.order)
        self._move_order_to(self.order, "to_accept")
        self._sign(self.order)
        # everything the acceptance needs is there but the tool is still out
        with self.assertRaisesRegex(UserError, "tools still checked out: .*TMM-00001|Fluke"):
            self.order.with_user(self.inspector).action_accept()
        self.assertEqual(self.order.state, "to_accept")
        checkout.action_check_in()
        self.order.with_user(self.inspector).action_accept()
        self.assertEqual(self.order.state, "done")

    def test_overdue_escalation(self):
        with freeze_time("2026-03-02 09:00:00"):
            late = self._checkout(hours=2)
            on_time = self._checkout(tool=self.tool_2, hours=48)
        cron = self.env.ref("equipment_care.ir_cron_equipment_checkout_overdue")
        with freeze_time("2026-03-02 18:00:00"):
            overdue = self.env["equipment.checkout"].search([("is_overdue", "=", True)])
            self.assertEqual(overdue, late)
            before = self.env["mail.message"].search_count([("model", "=", "equipment.checkout")])
            cron.method_direct_trigger()
            self.assertTrue(late.escalated_at)
            self.assertFalse(on_time.escalated_at)
            messages = self.env["mail.message"].search(
                [
                    ("model", "=", "equipment.checkout"),
                    ("res_id", "=", late.id),
                    ("body", "ilike", "overdue"),
                ]
            )
            self.assertEqual(len(messages), 1)
            self.assertIn(self.keeper.partner_id, messages.partner_ids)
            # idempotent: a second run escalates nothing more
            cron.method_direct_trigger()
            after = self.env["mail.message"].search_count([("model", "=", "equipment.checkout")])
            self.assertEqual(after, before + 1)

    def test_overdue_escalation_queries_do_not_grow_with_the_batch(self):
        """The escalation notes and schedules per batch: a batch of 3 or 9
        overdue check-outs costs the same number of queries."""
        cron = self.env.ref("equipment_care.ir_cron_equipment_checkout_overdue")
        with freeze_time("2026-03-02 18:00:00"):
            cron.method_direct_trigger()  # whatever else is overdue, and warm caches

        def make_checkouts(count):
            tools = [self._create_tool(f"Batch multimeter {count}-{i}") for i in range(count)]
            return self.env["equipment.checkout"].concat(
                *(self._checkout(tool=tool, hours=2) for tool in tools)
            )

        batches = self._assert_batch_queries_flat(
            self.env["equipment.checkout"]._cron_escalate_overdue,
            make_checkouts,
            "2026-03-02 09:00:00",
            "2026-03-02 18:00:00",
            BATCH_QUERIES,
        )
        for checkouts in batches.values():
            for checkout in checkouts:
                self.assertTrue(checkout.escalated_at)
                message = checkout.message_ids.filtered(lambda m: "overdue" in (m.body or ""))
                self.assertEqual(len(message), 1)
                self.assertIn(self.keeper.partner_id, message.partner_ids)
                self.assertIn(self.technician.partner_id, message.partner_ids)
