from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import EquipmentCareCommon


@tagged("post_install", "-at_install")
class TestCarePlans(EquipmentCareCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cron = cls.env.ref("equipment_care.ir_cron_equipment_care_plan")
        cls.done_stage = cls.env["maintenance.stage"].search([("done", "=", True)], limit=1)
        cls.plan = cls.env["equipment.care.plan"].create(
            {
                "name": "Multimeter quarterly check",
                "plan_type": "quarterly",
                "category_id": cls.category.id,
                "start_date": date(2026, 3, 20),
            }
        )

    def _requests(self, tool=None):
        domain = [("care_plan_id", "=", self.plan.id)]
        if tool:
            domain.append(("equipment_id", "=", tool.id))
        return self.env["maintenance.request"].search(domain)

    def test_defaults_and_scope(self):
        self.assertEqual((self.plan.interval_days, self.plan.lead_days), (91, 14))
        with self.assertRaisesRegex(ValidationError, "one tool or to one equipment category"):
            self.env["equipment.care.plan"].create(
                {
                    "name": "Both",
                    "plan_type": "quarterly",
                    "category_id": self.category.id,
                    "equipment_id": self.tool.id,
                }
            )
        with self.assertRaisesRegex(ValidationError, "interval"):
            self.env["equipment.care.plan"].create(
                {
                    "name": "Zero",
                    "plan_type": "quarterly",
                    "equipment_id": self.tool.id,
                    "interval_days": 0,
                }
            )

    def test_technician_closing_the_check_moves_the_inspection_date(self):
        with freeze_time("2026-03-06 07:00:00"):
            self.cron.method_direct_trigger()
        request = self._requests(self.tool)
        request.user_id = self.technician
        with freeze_time("2026-03-25 16:00:00"):
            # technicians only read the register: the date follows their check
            request.with_user(self.technician).stage_id = self.done_stage
        self.assertEqual(self.tool.last_inspection_date, date(2026, 3, 25))
        self.assertEqual(self.tool.next_inspection_date, date(2026, 4, 24))

    def test_generation_ahead_and_next_date_follows_completion(self):
        with freeze_time("2026-03-05 07:00:00"):
            self.cron.method_direct_trigger()
            self.assertFalse(self._requests(), "not yet within the 14 days lead time")
        with freeze_time("2026-03-06 07:00:00"):
            self.cron.method_direct_trigger()
            requests = self._requests()
            self.assertEqual(requests.equipment_id, self.tool | self.tool_2)
            self.assertEqual(set(requests.mapped("maintenance_type")), {"preventive"})
            self.assertEqual(requests[0].schedule_date, datetime(2026, 3, 20, 8, 0))
            # idempotent: an open request stops a second one
            self.cron.method_direct_trigger()
            self.assertEqual(len(self._requests()), 2)
        # done late, on 25 March: the next date follows the actual completion
        with freeze_time("2026-03-25 16:00:00"):
            self._requests(self.tool).stage_id = self.done_stage
            self.assertEqual(self._requests(self.tool).close_date, date(2026, 3, 25))
            self.assertEqual(self.tool.last_inspection_date, date(2026, 3, 25))
            self.assertEqual(self.tool.next_inspection_date, date(2026, 4, 24))
        with freeze_time("2026-06-09 07:00:00"):
            self.cron.method_direct_trigger()
            self.assertEqual(len(self._requests(self.tool)), 1)
        with freeze_time("2026-06-10 07:00:00"):
            self.cron.method_direct_trigger()
            new = self._requests(self.tool).filtered(lambda r: not r.stage_id.done)
            self.assertEqual(new.schedule_date, datetime(2026, 6, 24, 8, 0))
            self.assertEqual(
                len(self._requests(self.tool_2)), 1, "tool 2 still has its open request"
            )

    def test_calibration_plan_follows_tool_date(self):
        plan = self.env["equipment.care.plan"].create(
            {"name": "Calibration", "plan_type": "calibration", "equipment_id": self.tool.id}
        )
        self.assertEqual(self.tool.next_calibration_date, date(2027, 1, 31))
        with freeze_time("2026-12-31 07:00:00"):
            self.assertFalse(plan._generate_requests())
        with freeze_time("2027-01-01 07:00:00"):
            request = plan._generate_requests()
            self.assertEqual(request.equipment_id, self.tool)
            self.assertEqual(request.schedule_date.date(), date(2027, 1, 31))
            self.assertEqual(plan.request_count, 1)

    def test_retired_tools_get_no_request(self):
        self.tool.with_context(care_status_internal=True, retiring=True).write(
            {"care_status": "retired", "active": False}
        )
        with freeze_time("2026-03-06 07:00:00"):
            self.cron.method_direct_trigger()
        self.assertEqual(self._requests().equipment_id, self.tool_2)

    def test_job_queries_do_not_grow_with_the_plans(self):
        """The plans of a batch are read together: with nothing due, 3 or 9
        per-tool plans cost the same number of queries; once due, every plan
        gets its request and a second run creates none."""
        Plan = self.env["equipment.care.plan"]
        queries = {}
        plans_by_count = {}
        for count in (3, 9):
            tools = [self._create_tool(f"Plan multimeter {count}-{i}") for i in range(count)]
            plans = plans_by_count[count] = Plan.create(
                [
                    {
                        "name": f"Monthly check {count}-{i}",
                        "plan_type": "quarterly",
                        "equipment_id": tool.id,
                        "start_date": date(2026, 9, 1),
                    }
                    for i, tool in enumerate(tools)
                ]
            )
            self.env.flush_all()
            self.env.invalidate_all()
            start = self.cr.sql_log_count
            with freeze_time("2026-03-06 07:00:00"):
                self.assertFalse(plans._generate_requests(), "not due before mid-August")
            queries[count] = self.cr.sql_log_count - start
        self.assertEqual(queries[3], queries[9])
        plans = plans_by_count[3] | plans_by_count[9]
        with freeze_time("2026-08-20 07:00:00"):
            created = plans._generate_requests()
            self.assertEqual(created.care_plan_id, plans)
            self.assertEqual(created.equipment_id, plans.equipment_id)
            self.assertEqual(len(created), 12)
            self.assertFalse(plans._generate_requests(), "an open request stops a second one")
