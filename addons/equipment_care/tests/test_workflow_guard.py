from freezegun import freeze_time

from odoo import api
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import EquipmentCareCommon


@tagged("post_install", "-at_install")
class TestWorkflowGuard(EquipmentCareCommon):
    def _retirement(self, user=None):
        return (
            self.env["equipment.retirement"]
            .with_user(user or self.keeper)
            .create(
                {
                    "equipment_id": self.tool.id,
                    "reason": "worn_out",
                    "disposal_method": "recycle",
                    "assessment": "<p>Display cracked.</p>",
                }
            )
        )

    @freeze_time("2026-03-02 09:00:00")
    def test_checkout_returned_only_by_check_in(self):
        checkout = self._checkout(user=self.technician)
        with self.assertRaises(UserError) as refused:
            checkout.write({"state": "returned"})
        self.assertIn(checkout.name, str(refused.exception))
        self.assertIn("Check In", str(refused.exception))
        with self.assertRaisesRegex(UserError, "Check In"):
            api.call_kw(
                checkout.browse(),
                "write",
                [checkout.ids, {"state": "returned", "returned_at": "2026-03-02 10:00:00"}],
                {"context": {"service_workflow_pass": ["equipment.checkout"]}},
            )
        self.assertEqual(checkout.state, "out")
        self.assertEqual(self.tool.care_status, "checked_out")
        # A returned check-out always carries its check-in time, even under sudo.
        with self.assertRaisesRegex(ValidationError, "checked in"), self.env.cr.savepoint():
            checkout.sudo().write({"state": "returned"})
        checkout.invalidate_recordset()
        checkout.action_check_in()
        self.assertEqual(checkout.state, "returned")
        self.assertEqual(self.tool.care_status, "available")

    @freeze_time("2026-03-02 09:00:00")
    def test_retirement_approved_only_by_another_keeper(self):
        retirement = self._retirement()
        retirement.action_submit()
        with self.assertRaisesRegex(UserError, retirement.name):
            retirement.write({"state": "approved", "approved_by_id": self.keeper_2.id})
        # Naming oneself requester of someone else's request is refused too.
        with self.assertRaisesRegex(UserError, "Requested By"):
            retirement.with_user(self.keeper_2).write({"requested_by_id": self.keeper_2.id})
        with self.assertRaisesRegex(UserError, "Requested By"):
            self.env["equipment.retirement"].with_user(self.keeper).create(
                {
                    "equipment_id": self.tool_2.id,
                    "reason": "worn_out",
                    "disposal_method": "scrap",
                    "requested_by_id": self.keeper_2.id,
                }
            )
        # Even the superuser cannot store an approval by the requester.
        with (
            self.assertRaisesRegex(ValidationError, "someone else must approve"),
            self.env.cr.savepoint(),
        ):
            retirement.sudo().write({"state": "approved", "approved_by_id": self.keeper.id})
        retirement.invalidate_recordset()
        with (
            self.assertRaisesRegex(ValidationError, "without an approver"),
            self.env.cr.savepoint(),
        ):
            retirement.sudo().write({"state": "approved"})
        retirement.invalidate_recordset()
        self.assertEqual(retirement.state, "submitted")
        retirement.with_user(self.keeper_2).action_approve()
        self.assertEqual(retirement.approved_by_id, self.keeper_2)
        # copies start as the copier's own request
        copy = retirement.with_user(self.keeper_2).copy({"equipment_id": self.tool_2.id})
        self.assertEqual(copy.requested_by_id, self.keeper_2)
        self.assertEqual(copy.state, "draft")
