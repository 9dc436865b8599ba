from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import EquipmentCareCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02 09:00:00")
class TestCheckoutAccess(EquipmentCareCommon):
    def test_technicians_see_their_own(self):
        mine = self._checkout(user=self.technician)
        theirs = self._checkout(tool=self.tool_2, employee=self.emp_tech_2, user=self.technician_2)
        Checkout = self.env["equipment.checkout"]
        both = mine | theirs
        self.assertEqual(Checkout.with_user(self.technician).search([("id", "in", both.ids)]), mine)
        self.assertEqual(
            Checkout.with_user(self.technician_2).search([("id", "in", both.ids)]), theirs
        )
        with self.assertRaises(AccessError):
            theirs.with_user(self.technician).read(["state"])
        with self.assertRaises(AccessError):
            theirs.with_user(self.technician).action_check_in()
        self.assertEqual(theirs.state, "out")
        # a technician cannot check a tool out in someone else's name
        tool_3 = self._create_tool("Clamp meter")
        with self.assertRaises(AccessError):
            self._checkout(tool=tool_3, employee=self.emp_tech_2, user=self.technician)
        self.assertEqual(tool_3.care_status, "available")

    def test_keepers_see_all(self):
        mine = self._checkout(user=self.technician)
        theirs = self._checkout(tool=self.tool_2, employee=self.emp_tech_2)
        Checkout = self.env["equipment.checkout"].with_user(self.keeper)
        self.assertEqual(Checkout.search([("id", "in", (mine | theirs).ids)]), mine | theirs)
        theirs.with_user(self.keeper).action_check_in()
        self.assertEqual(theirs.state, "returned")

    def test_others_denied(self):
        checkout = self._checkout()
        with self.assertRaises(AccessError):
            checkout.with_user(self.stock_user).read(["state"])
        with self.assertRaises(AccessError):
            self.env["equipment.calibration"].with_user(self.technician).create(
                {
                    "equipment_id": self.tool.id,
                    "performed_by": "Me",
                    "result": "pass",
                    "certificate_number": "1",
                }
            )
        # technicians read the register but cannot edit it
        self.assertTrue(self.tool.with_user(self.technician).tool_code)
        with self.assertRaises(AccessError):
            self.tool.with_user(self.technician).write({"name": "Renamed"})


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02 09:00:00")
class TestCompanyIsolation(EquipmentCareCommon):
    def test_other_company_records_hidden(self):
        other = self.env["res.company"].create({"name": "Hangzhou Branch"})
        tool = self.env["maintenance.equipment"].create(
            {"name": "Branch multimeter", "company_id": other.id}
        )
        employee = self.env["hr.employee"].create({"name": "Branch tech", "company_id": other.id})
        checkout = (
            self.env["equipment.checkout"]
            .with_company(other)
            .create(
                {
                    "equipment_id": tool.id,
                    "employee_id": employee.id,
                    "expected_return_at": "2026-03-02 18:00:00",
                    "company_id": other.id,
                }
            )
        )
        calibration = self.env["equipment.calibration"].create(
            {
                "equipment_id": tool.id,
                "performed_by": "Lab",
                "result": "fail",
                "company_id": other.id,
            }
        )
        Checkout = self.env["equipment.checkout"].with_user(self.keeper)
        self.assertFalse(Checkout.search([("id", "=", checkout.id)]))
        self.assertFalse(
            self.env["equipment.calibration"]
            .with_user(self.keeper)
            .search([("id", "=", calibration.id)])
        )
        with self.assertRaises(AccessError):
            checkout.with_user(self.keeper).read(["state"])
        # once the keeper is allowed in the branch, they see it
        self.keeper.write({"company_ids": [(4, other.id)]})
        self.assertEqual(
            Checkout.with_context(allowed_company_ids=[self.company.id, other.id]).search(
                [("id", "=", checkout.id)]
            ),
            checkout,
        )
