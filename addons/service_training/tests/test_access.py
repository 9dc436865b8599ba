from datetime import date, datetime

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import TrainingCommon


@tagged("post_install", "-at_install")
class TestAccess(TrainingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plain_user = new_test_user(
            cls.env, "st_plain_c", groups="base.group_user", name="Pat Plain"
        )
        cls.plain = cls.env["hr.employee"].create(
            {"name": "Pat Plain", "user_id": cls.plain_user.id}
        )
        cls.session = cls._session(start=datetime(2030, 3, 2, 1, 0), end=datetime(2030, 3, 4, 9, 0))
        Attendance = cls.env["training.attendance"]
        cls.att_mine = Attendance.create(
            {
                "session_id": cls.session.id,
                "employee_id": cls.tech.id,
                "theory_score": 90,
                "practical_score": 90,
            }
        )
        cls.att_other = Attendance.create(
            {
                "session_id": cls.session.id,
                "employee_id": cls.tech_2.id,
                "theory_score": 90,
                "practical_score": 90,
            }
        )
        cls.session.action_done()
        cls.cert_mine = cls.att_mine.certification_id
        cls.cert_other = cls.att_other.certification_id
        cls.assessment_mine, cls.assessment_other = cls.env["training.assessment"].create(
            [
                {"employee_id": emp.id, "date_from": date(2030, 1, 1), "date_to": date(2030, 1, 31)}
                for emp in (cls.tech, cls.tech_2)
            ]
        )

    def test_employee_sees_only_own_file(self):
        for model, mine, other in (
            ("training.attendance", self.att_mine, self.att_other),
            ("training.certification", self.cert_mine, self.cert_other),
            ("training.assessment", self.assessment_mine, self.assessment_other),
            (
                "training.evaluation",
                self.att_mine.id
                and self.env["training.evaluation"].search(
                    [("attendance_id", "=", self.att_mine.id)]
                ),
                self.env["training.evaluation"].search([("attendance_id", "=", self.att_other.id)]),
            ),
        ):
            records = self.env[model].with_user(self.tech_user).search([])
            self.assertTrue(mine <= records, model)
            self.assertFalse(other & records, model)
            other.with_user(self.tech_user).invalidate_recordset()
            with self.assertRaises(AccessError, msg=model):
                other.with_user(self.tech_user).read([])
        self.assertFalse(self.env["training.certification"].with_user(self.plain_user).search([]))

    def test_employee_cannot_change_own_file(self):
        with self.assertRaises(AccessError):
            self.att_mine.with_user(self.tech_user).write({"note": "I passed anyway"})
        with self.assertRaises(AccessError):
            self.env["training.certification"].with_user(self.tech_user).create(
                {"employee_id": self.tech.id, "type_id": self.type_electric.id}
            )
        with self.assertRaises(AccessError):
            self.assessment_mine.with_user(self.tech_user).write({"technical_score": 100})
        with self.assertRaises(AccessError):
            self.env["training.plan"].with_user(self.tech_user).search([])

    def test_officer_sees_and_manages_all(self):
        Cert = self.env["training.certification"].with_user(self.officer)
        self.assertTrue((self.cert_mine | self.cert_other) <= Cert.search([]))
        self.cert_other.with_user(self.officer).action_revoke("Licence withdrawn by the authority")
        self.assertEqual(self.cert_other.state, "revoked")
        self.assertEqual(
            self.env["training.attendance"]
            .with_user(self.officer)
            .search_count([("session_id", "=", self.session.id)]),
            2,
        )
        plan = (
            self.env["training.plan"].with_user(self.officer).create({"name": "Plan", "year": 2030})
        )
        self.assertTrue(plan)

    def test_dispatcher_reads_certifications_only(self):
        Cert = self.env["training.certification"].with_user(self.dispatcher)
        self.assertTrue((self.cert_mine | self.cert_other) <= Cert.search([]))
        with self.assertRaises(AccessError):
            self.cert_mine.with_user(self.dispatcher).write({"expiry_date": date(2040, 1, 1)})
        with self.assertRaises(AccessError):
            self.cert_mine.with_user(self.dispatcher).action_open_revoke_wizard() and self.env[
                "training.certification.revoke"
            ].with_user(self.dispatcher).create(
                {"certification_id": self.cert_mine.id, "reason": "x"}
            )
        self.assertFalse(
            self.env["training.attendance"]
            .with_user(self.dispatcher)
            .search([("employee_id", "=", self.tech.id)])
        )

    def test_company_isolation(self):
        other_company = self.env["res.company"].create({"name": "Other Repair Co"})
        foreign_emp = self.env["hr.employee"].create(
            {"name": "Zhao Lei", "company_id": other_company.id}
        )
        foreign = self.env["training.certification"].create(
            {
                "employee_id": foreign_emp.id,
                "type_id": self.type_electric.id,
                "company_id": other_company.id,
            }
        )
        self.assertNotIn(
            foreign, self.env["training.certification"].with_user(self.officer).search([])
        )
