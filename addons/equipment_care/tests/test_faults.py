from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import EquipmentCareCommon

# queries of one batch of the fault escalation, whatever its size
# (two of them read the company's time zone the messages print their
# deadlines in)
BATCH_QUERIES = 17


@tagged("post_install", "-at_install")
class TestFaults(EquipmentCareCommon):
    def _report(self, tool=None):
        return self.env["maintenance.request"].create(
            {
                "name": "Display flickers",
                "equipment_id": (tool or self.tool).id,
                "maintenance_type": "corrective",
            }
        )

    def _escalation_messages(self, request):
        return self.env["mail.message"].search(
            [
                ("model", "=", "maintenance.request"),
                ("res_id", "=", request.id),
                ("body", "ilike", "deadline"),
            ]
        )

    def test_deadlines_and_escalation(self):
        cron = self.env.ref("equipment_care.ir_cron_equipment_fault_escalation")
        with freeze_time("2026-03-02 09:00:00"):
            fault = self._report()
            other = self._report(self.tool_2)
        self.assertEqual(fault.reported_at, datetime(2026, 3, 2, 9, 0))
        self.assertEqual(fault.diagnosis_due, datetime(2026, 3, 3, 9, 0))
        self.assertEqual(fault.repair_due, datetime(2026, 3, 4, 9, 0))
        self.assertEqual(self.tool.care_status, "in_repair")
        with freeze_time("2026-03-03 08:00:00"):
            other.fault_cause = "Loose connector"
            other.action_fault_diagnosed()
            cron.method_direct_trigger()
            self.assertFalse(fault.diagnosis_escalated)
        with freeze_time("2026-03-03 10:00:00"):
            cron.method_direct_trigger()
            self.assertTrue(fault.diagnosis_escalated)
            self.assertFalse(fault.repair_escalated)
            self.assertFalse(other.diagnosis_escalated)
            messages = self._escalation_messages(fault)
            self.assertEqual(len(messages), 1)
            self.assertIn(self.keeper.partner_id, messages.partner_ids)
            cron.method_direct_trigger()  # idempotent
            self.assertEqual(len(self._escalation_messages(fault)), 1)
        with freeze_time("2026-03-04 10:00:00"):
            cron.method_direct_trigger()
            self.assertTrue(fault.repair_escalated)
            self.assertTrue(other.repair_escalated)
            self.assertEqual(len(self._escalation_messages(fault)), 2)

    @freeze_time("2026-03-02 09:00:00")
    def test_repair_and_recheck_by_someone_else(self):
        fault = self._report()
        with self.assertRaisesRegex(UserError, "cause"):
            fault.action_fault_diagnosed()
        with self.assertRaisesRegex(UserError, "diagnosed before"):
            fault.action_fault_repaired()
        fault.fault_cause = "Worn rotary switch"
        fault.with_user(self.keeper).action_fault_diagnosed()
        self.assertEqual(fault.fault_state, "diagnosed")
        with self.assertRaisesRegex(UserError, "action taken"):
            fault.with_user(self.keeper).action_fault_repaired()
        fault.fault_action = "Switch replaced"
        fault.with_user(self.keeper).action_fault_repaired()
        self.assertEqual(fault.repaired_by_id, self.keeper)
        with self.assertRaisesRegex(UserError, "someone other than the repairer"):
            fault.with_user(self.keeper).action_fault_recheck_pass()
        self.assertFalse(fault.recheck_result)
        # a failed re-check sends it back to repair
        fault.with_user(self.keeper_2).action_fault_recheck_fail()
        self.assertEqual(fault.fault_state, "diagnosed")
        self.assertEqual(self.tool.care_status, "in_repair")
        fault.with_user(self.keeper).action_fault_repaired()
        fault.with_user(self.keeper_2).action_fault_recheck_pass()
        self.assertEqual(fault.fault_state, "closed")
        self.assertEqual(fault.recheck_by_id, self.keeper_2)
        self.assertTrue(fault.stage_id.done)
        self.assertEqual(self.tool.care_status, "available")

    def test_preventive_is_not_a_fault(self):
        request = self.env["maintenance.request"].create(
            {"name": "Check", "equipment_id": self.tool.id, "maintenance_type": "preventive"}
        )
        self.assertFalse(request.reported_at)
        self.assertEqual(self.tool.care_status, "available")
        with self.assertRaisesRegex(UserError, "not a corrective"):
            request.action_fault_diagnosed()

    def test_escalation_queries_do_not_grow_with_the_batch(self):
        """Each call notes and schedules one batch: 3 or 9 late faults cost
        the same number of queries."""
        cron = self.env.ref("equipment_care.ir_cron_equipment_fault_escalation")
        with freeze_time("2026-03-03 10:00:00"):
            cron.method_direct_trigger()  # whatever else is late, and warm caches

        def make_faults(count):
            return self.env["maintenance.request"].concat(
                *(
                    self._report(self._create_tool(f"Batch multimeter {count}-{i}"))
                    for i in range(count)
                )
            )

        batches = self._assert_batch_queries_flat(
            self.env["maintenance.request"]._cron_escalate_faults,
            make_faults,
            "2026-03-02 09:00:00",
            "2026-03-03 10:00:00",
            BATCH_QUERIES,
        )
        for faults in batches.values():
            for fault in faults:
                self.assertTrue(fault.diagnosis_escalated)
                self.assertFalse(fault.repair_escalated)
                message = self._escalation_messages(fault)
                self.assertEqual(len(message), 1)
                self.assertIn(self.keeper.partner_id, message.partner_ids)

    def test_progress_of_full_and_last_batches(self):
        """The job reports what is left to the cron runner: counted after a
        full batch, nothing left of a deadline after a smaller one, the
        later deadline counted while the earlier is being escalated."""
        Request = self.env["maintenance.request"]
        with freeze_time("2026-03-04 10:00:00"):
            Request._cron_escalate_faults()  # whatever else is late
        with freeze_time("2026-03-02 09:00:00"):
            faults = Request.concat(
                *(self._report(self._create_tool(f"Progress multimeter {i}")) for i in range(3))
            )
        reported = []
        with (
            freeze_time("2026-03-04 10:00:00"),
            patch.object(type(self.env["ir.cron"]), "_notify_progress") as progress,
        ):
            for _call in range(4):
                reported.append(Request._cron_escalate_faults(batch_size=2))
        self.assertEqual(reported, [2, 1, 2, 1])
        self.assertEqual(
            [call.kwargs for call in progress.call_args_list],
            [
                {"done": 2, "remaining": 4},  # 1 diagnosis and 3 repairs left
                {"done": 1, "remaining": 3},  # the 3 repairs
                {"done": 2, "remaining": 1},
                {"done": 1, "remaining": 0},
            ],
        )
        self.assertEqual(set(faults.mapped("diagnosis_escalated")), {True})
        self.assertEqual(set(faults.mapped("repair_escalated")), {True})
