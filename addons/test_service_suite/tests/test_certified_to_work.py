"""End to end across service_quality and service_training: a dispatcher
cannot book an uncertified technician; once the technician passes the
certification course the booking goes through; when the certificate lapses
before the work starts, starting is refused."""

from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user, tagged
from odoo.tests.common import TransactionCase


@tagged("post_install", "-at_install")
class TestCertifiedToWorkEndToEnd(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.officer = new_test_user(
            cls.env, "e2e_officer", groups="service_training.group_training_officer"
        )
        cls.manager = new_test_user(
            cls.env, "e2e_manager", groups="service_quality.group_service_manager"
        )
        cls.dispatcher = new_test_user(
            cls.env, "e2e_dispatcher", groups="service_quality.group_service_dispatcher"
        )
        cls.tech_user = new_test_user(
            cls.env, "e2e_tech", groups="service_quality.group_service_user", name="Sun Li"
        )
        cls.tech = cls.env["hr.employee"].create({"name": "Sun Li", "user_id": cls.tech_user.id})
        cls.gas = cls.env["training.certification.type"].create(
            {"name": "Gas appliance (e2e)", "code": "E2E-GAS", "validity_months": 6}
        )
        cls.course = cls.env["training.course"].create(
            {
                "name": "Gas water heater installation (e2e)",
                "hours": 16,
                "theory_pass_mark": 60,
                "practical_pass_mark": 60,
                "certification_type_id": cls.gas.id,
            }
        )
        cls.category = cls.env["service.category"].create({"name": "Gas water heater (e2e)"})
        cls.customer = cls.env["res.partner"].create({"name": "Zhao Min"})

    @freeze_time("2031-01-05 02:00:00")
    def test_book_train_book_expire(self):
        # the service manager sets the certified-to-work rule on the category
        self.category.with_user(self.manager).required_certification_type_ids = self.gas
        form = Form(self.env["service.order"].with_user(self.dispatcher))
        form.partner_id = self.customer
        form.category_id = self.category
        form.appointment_start = datetime(2031, 1, 20, 2, 0)
        form.appointment_end = datetime(2031, 1, 20, 4, 0)
        form.diagnosis = "No hot water, the burner does not ignite"
        form.plan = "Replace the ignition electrode and test the gas valve"
        self.assertNotIn(self.tech_user, form.allowed_technician_ids)
        order = form.save()
        order.user_id = self.tech_user  # forced past the picker (e.g. over RPC)
        order.action_assess()
        with self.assertRaisesRegex(UserError, "Sun Li.*Gas appliance \\(e2e\\)"):
            order.action_schedule()
        self.assertEqual(order.state, "assessed")

        # the training officer runs the course; Sun Li passes
        session = (
            self.env["training.session"]
            .with_user(self.officer)
            .create(
                {
                    "course_id": self.course.id,
                    "date_start": datetime(2031, 1, 6, 1, 0),
                    "date_end": datetime(2031, 1, 7, 9, 0),
                }
            )
        )
        attendance = (
            self.env["training.attendance"]
            .with_user(self.officer)
            .create({"session_id": session.id, "employee_id": self.tech.id})
        )
        session.action_start()
        attendance.write({"theory_score": 82, "practical_score": 77})
        with freeze_time("2031-01-07 10:00:00"):
            session.action_done()
        cert = attendance.certification_id
        self.assertEqual(cert.expiry_date, date(2031, 7, 7))
        order.invalidate_recordset(["allowed_technician_ids"])
        self.assertIn(self.tech_user, order.with_user(self.dispatcher).allowed_technician_ids)
        order.action_schedule()
        self.assertEqual(order.state, "scheduled")

        # the work is postponed past the expiry: starting is refused
        with freeze_time("2031-07-10 02:00:00"):
            self.env.ref(
                "service_training.ir_cron_training_certification_states"
            ).method_direct_trigger()
            self.assertEqual(cert.state, "expired")
            with self.assertRaisesRegex(UserError, "Gas appliance"):
                order.with_user(self.tech_user).action_start()
            self.assertEqual(order.state, "scheduled")
