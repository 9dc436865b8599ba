from odoo.exceptions import AccessError
from odoo.tests import tagged

from .quality_common import QualityCommon


@tagged("post_install", "-at_install")
class TestComplaintAccess(QualityCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.own = cls._complaint()
        cls.foreign = cls._complaint(
            partner_id=cls.other_customer.id, service_order_id=cls.order_2.id
        )

    def test_technician_sees_complaints_about_own_orders_only(self):
        Complaint = self.env["service.complaint"].with_user(self.technician)
        self.assertEqual(Complaint.search([("id", "in", (self.own | self.foreign).ids)]), self.own)
        self.own.with_user(self.technician).read(["name"])
        with self.assertRaises(AccessError):
            self.foreign.with_user(self.technician).read(["name"])
        with self.assertRaises(AccessError):
            self.own.with_user(self.technician).write({"severity": "major"})
        with self.assertRaises(AccessError):
            Complaint.create({"partner_id": self.customer.id})

    def test_portal_customer_sees_own_complaints(self):
        Complaint = self.env["service.complaint"].with_user(self.portal_user)
        self.assertEqual(Complaint.search([("id", "in", (self.own | self.foreign).ids)]), self.own)
        with self.assertRaises(AccessError):
            self.foreign.with_user(self.portal_user).read(["name"])
        with self.assertRaises(AccessError):
            self.own.with_user(self.portal_user).write({"customer_answer": "satisfied"})

    def test_dispatcher_and_inspector_handle_all(self):
        for user in (self.dispatcher, self.inspector):
            complaints = self.env["service.complaint"].with_user(user)
            self.assertEqual(
                len(complaints.search([("id", "in", (self.own | self.foreign).ids)])), 2
            )
        self.foreign.with_user(self.inspector).action_acknowledge()
        self.assertEqual(self.foreign.state, "acknowledged")

    def test_plain_employee_has_no_access(self):
        with self.assertRaises(AccessError):
            self.env["service.complaint"].with_user(self.employee).search([])

    def test_company_isolation(self):
        other_company = self.env["res.company"].create({"name": "Suzhou Branch"})
        other = self.env["service.complaint"].create(
            {"partner_id": self.customer.id, "company_id": other_company.id}
        )
        self.assertFalse(
            self.env["service.complaint"].with_user(self.inspector).search([("id", "=", other.id)])
        )
