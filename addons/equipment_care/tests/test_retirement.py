from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import EquipmentCareCommon


@tagged("post_install", "-at_install")
class TestRetirement(EquipmentCareCommon):
    def _retirement(self, user=None):
        return (
            self.env["equipment.retirement"]
            .with_user(user or self.keeper)
            .create(
                {"equipment_id": self.tool.id, "reason": "worn_out", "disposal_method": "recycle"}
            )
        )

    @freeze_time("2026-03-02 09:00:00")
    def test_approval_by_another_keeper(self):
        retirement = self._retirement()
        with self.assertRaisesRegex(UserError, "assessment"):
            retirement.action_submit()
        retirement.assessment = "<p>Display cracked, repair costs more than a new meter.</p>"
        retirement.action_submit()
        with self.assertRaisesRegex(UserError, "someone else must approve"):
            retirement.action_approve()
        self.assertEqual(retirement.state, "submitted")
        self.assertFalse(retirement.approved_by_id)
        with self.assertRaisesRegex(UserError, "from Submitted: it must be"):
            retirement.action_done()
        retirement.with_user(self.keeper_2).action_approve()
        self.assertEqual(retirement.approved_by_id, self.keeper_2)
        retirement.action_done()
        self.assertEqual(self.tool.care_status, "retired")
        self.assertFalse(self.tool.active)
        self.assertIn(
            self.tool,
            self.env["maintenance.equipment"]
            .with_context(active_test=False)
            .search([("care_status", "=", "retired")]),
        )
        with self.assertRaisesRegex(UserError, "Retired"):
            self._checkout()
        with self.assertRaisesRegex(UserError, "retired"):
            self.env["equipment.calibration"].create(
                {"equipment_id": self.tool.id, "performed_by": "Lab", "result": "fail"}
            )

    @freeze_time("2026-03-02 09:00:00")
    def test_cannot_retire_checked_out_tool(self):
        self._checkout()
        retirement = self._retirement()
        retirement.assessment = "<p>Old</p>"
        retirement.action_submit()
        retirement.with_user(self.keeper_2).action_approve()
        with self.assertRaisesRegex(UserError, "still checked out"):
            retirement.action_done()
        self.assertTrue(self.tool.active)
        self.assertEqual(self.tool.care_status, "checked_out")

    def test_access(self):
        with self.assertRaises(AccessError):
            self._retirement(user=self.technician)
        retirement = self._retirement()
        retirement.assessment = "<p>Old</p>"
        retirement.action_submit()
        # a technician cannot approve even through the method
        with self.assertRaises(AccessError):
            retirement.with_user(self.technician).action_approve()
        self.assertEqual(retirement.state, "submitted")
