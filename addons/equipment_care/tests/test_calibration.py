from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import EquipmentCareCommon


@tagged("post_install", "-at_install")
class TestCalibration(EquipmentCareCommon):
    def _calibrate(self, result, number="CAL-1", day=None, tool=None):
        return self.env["equipment.calibration"].create(
            {
                "equipment_id": (tool or self.tool).id,
                "date": day or self.today,
                "performed_by": "Shanghai Metrology Lab",
                "certificate_number": number,
                "result": result,
            }
        )

    @freeze_time("2026-03-02 09:00:00")
    def test_fail_blocks_until_pass(self):
        cal = self._calibrate("fail", number=False)
        self.assertEqual(self.tool.care_status, "blocked")
        self.assertTrue(self.tool.calibration_blocked)
        self.assertFalse(cal.next_due_date)
        with self.assertRaisesRegex(UserError, "Blocked"):
            self._checkout()
        # an adjusted (passing) calibration releases it and moves the dates
        cal2 = self._calibrate("adjusted", number="CAL-2")
        self.assertEqual(cal2.next_due_date, self.today + timedelta(days=365))
        self.assertEqual(self.tool.care_status, "available")
        self.assertEqual(self.tool.next_calibration_date, self.today + timedelta(days=365))
        self.assertEqual(self.tool.last_calibration_date, self.today)
        self._checkout()
        self.assertEqual(self.tool.care_status, "checked_out")

    @freeze_time("2026-03-02 09:00:00")
    def test_fail_while_checked_out_blocks_on_return(self):
        checkout = self._checkout()
        self._calibrate("fail", number=False)
        self.assertEqual(self.tool.care_status, "checked_out")
        checkout.action_check_in()
        self.assertEqual(self.tool.care_status, "blocked")

    @freeze_time("2026-03-02 09:00:00")
    def test_bad_calibrations(self):
        with self.assertRaisesRegex(ValidationError, "certificate number"):
            self._calibrate("pass", number=False)
        with self.assertRaisesRegex(ValidationError, "future"):
            self._calibrate("pass", day=self.today + timedelta(days=3))
        cal = self._calibrate("pass")
        with self.assertRaises(UserError):
            cal.result = "fail"
        with self.assertRaises(AccessError):
            self._calibrate("pass", number="CAL-9").with_user(self.technician).note = "x"

    def test_due_status_job(self):
        with freeze_time("2026-03-02 09:00:00"):
            self.tool.next_calibration_date = self.today + timedelta(days=1)
        cron = self.env.ref("equipment_care.ir_cron_equipment_due_status")
        with freeze_time("2026-03-04 06:00:00"):
            cron.method_direct_trigger()
            self.assertEqual(self.tool.care_status, "calibration_due")
            self.assertEqual(self.tool_2.care_status, "available")
            # a passing calibration makes it available again
            self._calibrate("pass", day=self.tool.next_calibration_date + timedelta(days=1))
            self.assertEqual(self.tool.care_status, "available")
            cron.method_direct_trigger()
            self.assertEqual(self.tool.care_status, "available")

    def test_due_status_job_query_count(self):
        """The job's query count does not grow with the number of tools."""
        Tool = self.env["maintenance.equipment"]
        due = self.today - timedelta(days=1)

        def seed(n, prefix):
            Tool.create(
                [
                    {
                        "name": f"{prefix} {i}",
                        "category_id": self.category.id,
                        "next_calibration_date": due,
                    }
                    for i in range(n)
                ]
            )
            Tool.invalidate_model()

        with freeze_time("2026-03-02 09:00:00"):
            # warm the caches the first history line fills (subtypes, models)
            seed(1, "warm-up")
            self.assertEqual(Tool._cron_refresh_due_status(), 1)
            seed(5, "small")
            # per call: lock the batch, write the status, log it in the
            # tools' history (one batched message create), count what is left
            with self.assertQueryCount(6):
                self.assertEqual(Tool._cron_refresh_due_status(), 5)
            self.assertEqual(
                Tool.search([("name", "=like", "small %")]).mapped("care_status"),
                ["calibration_due"] * 5,
            )
            seed(400, "large")
            # the ORM writes 100 rows per statement: 4 UPDATEs for 400 tools
            with self.assertQueryCount(12):
                self.assertEqual(Tool._cron_refresh_due_status(), 400)
            # one batch per call, the same count per batch, not per tool;
            # the cron runner calls again while some remain
            seed(30, "batched")
            self.env.flush_all()
            for remaining in (20, 10, 0):
                # counted by hand from an empty cache, as each call of the
                # cron runner starts: the user's time zone (today's date, 2
                # queries), the batch's lock, status write and history line and
                # the count of what is left
                self.env.invalidate_all()
                start = self.cr.sql_log_count
                with patch.object(type(self.env["ir.cron"]), "_notify_progress") as progress:
                    self.assertEqual(Tool._cron_refresh_due_status(batch_size=10), 10)
                self.assertEqual(self.cr.sql_log_count - start, 8)
                progress.assert_called_once_with(done=10, remaining=remaining)
