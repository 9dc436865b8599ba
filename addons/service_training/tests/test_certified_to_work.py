from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import TrainingCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-06-01 08:00:00")
class TestCertifiedToWork(TrainingCommon):
    def _assessed(self, user, appointment=datetime(2026, 6, 10, 2, 0)):
        order = self._service_order(user, appointment).with_user(self.dispatcher)
        order.action_assess()
        return order

    def test_schedule_refused_without_certificate(self):
        order = self._assessed(self.tech_user)
        with self.assertRaisesRegex(UserError, "Li Lei.*Refrigerant \\(test\\)"):
            order.action_schedule()
        self.assertEqual(order.state, "assessed", "nothing changed")

    def test_schedule_and_start_with_valid_certificate(self):
        self._cert(self.tech, self.type_refrigerant, date(2025, 1, 1))
        order = self._assessed(self.tech_user)
        order.action_schedule()
        self.assertEqual(order.state, "scheduled")
        order.with_user(self.tech_user).action_start()
        self.assertEqual(order.state, "in_progress")

    def test_certificate_expiring_before_appointment(self):
        # valid today, expired on the appointment date
        self._cert(self.tech, self.type_refrigerant, date(2024, 1, 1), date(2026, 6, 5))
        order = self._assessed(self.tech_user, datetime(2026, 6, 10, 2, 0))
        with self.assertRaisesRegex(UserError, "Refrigerant"):
            order.action_schedule()
        self.assertEqual(order.state, "assessed")
        order.appointment_start = datetime(2026, 6, 4, 2, 0)
        order.appointment_end = datetime(2026, 6, 4, 4, 0)
        order.action_schedule()
        self.assertEqual(order.state, "scheduled")

    def test_start_refused_when_certificate_revoked(self):
        cert = self._cert(self.tech, self.type_refrigerant, date(2025, 1, 1))
        order = self._assessed(self.tech_user, datetime(2026, 6, 1, 9, 0))
        order.action_schedule()
        cert.action_revoke("Failed a safety inspection")
        with self.assertRaisesRegex(UserError, "Li Lei"):
            order.with_user(self.tech_user).action_start()
        self.assertEqual(order.state, "scheduled")

    def test_booked_order_changes_keep_the_rule(self):
        """Reassigning the technician or moving the appointment of a scheduled
        order is checked like the booking; refused changes leave it as it was."""
        li_cert = self._cert(self.tech, self.type_refrigerant, date(2025, 1, 1), date(2026, 6, 20))
        order = self._assessed(self.tech_user, datetime(2026, 6, 10, 2, 0))
        order.action_schedule()
        with self.assertRaisesRegex(
            UserError, f"{order.name}.*{self.tech_user_2.name}.*Refrigerant"
        ):
            order.user_id = self.tech_user_2
        self.assertEqual(order.user_id, self.tech_user, "nothing changed")
        with self.assertRaisesRegex(UserError, "Li Lei.*Refrigerant.*2026-06-25"):
            order.write(
                {
                    "appointment_start": datetime(2026, 6, 25, 2, 0),
                    "appointment_end": datetime(2026, 6, 25, 4, 0),
                }
            )
        self.assertEqual(order.appointment_start, datetime(2026, 6, 10, 2, 0))
        # a qualified colleague and a date inside the validity are accepted
        self._cert(self.tech_2, self.type_refrigerant, date(2025, 1, 1))
        order.write(
            {
                "user_id": self.tech_user_2.id,
                "appointment_start": datetime(2026, 6, 25, 2, 0),
                "appointment_end": datetime(2026, 6, 25, 4, 0),
            }
        )
        self.assertEqual(order.user_id, self.tech_user_2)
        # once the work has started, a new technician must be certified today
        order.with_user(self.tech_user_2).action_start()
        li_cert.action_revoke("Lost the licence")
        with self.assertRaisesRegex(UserError, "Li Lei.*Refrigerant"):
            order.user_id = self.tech_user
        self.assertEqual(order.user_id, self.tech_user_2)
        self.assertEqual(order.state, "in_progress")

    def test_every_required_type_needed(self):
        self.category.required_certification_type_ids |= self.type_electric
        self._cert(self.tech, self.type_refrigerant, date(2025, 1, 1))
        order = self._assessed(self.tech_user)
        with self.assertRaisesRegex(UserError, "Electrician \\(test\\)") as error:
            order.action_schedule()
        self.assertNotIn("Refrigerant", str(error.exception))

    def test_no_technician_refused_and_free_category_unaffected(self):
        order = self._assessed(self.env["res.users"])
        # scheduling already needs a technician (service_quality rule)
        with self.assertRaisesRegex(UserError, "missing a technician"):
            order.action_schedule()
        # a technician taken off a scheduled order: the work cannot start
        self._cert(self.tech, self.type_refrigerant, date(2025, 1, 1))
        order.user_id = self.tech_user
        order.action_schedule()
        order.user_id = False
        with self.assertRaisesRegex(UserError, "certified technician"):
            order.action_start()
        self.assertEqual(order.state, "scheduled")
        free = self.env["service.category"].create({"name": "Phone advice (test)"})
        order = self._service_order(self.tech_user, category_id=free.id).with_user(self.dispatcher)
        order.action_assess()
        order.action_schedule()
        self.assertEqual(order.state, "scheduled")

    def test_picker_offers_only_qualified(self):
        self._cert(self.tech_2, self.type_refrigerant, date(2025, 1, 1))
        form = Form(self.env["service.order"].with_user(self.dispatcher))
        form.partner_id = self.customer
        form.category_id = self.category
        form.appointment_start = datetime(2026, 6, 10, 2, 0)
        form.appointment_end = datetime(2026, 6, 10, 4, 0)
        form.diagnosis = "Air conditioner blows warm air"
        form.plan = "Leak test and recharge the refrigerant"
        allowed = form.allowed_technician_ids
        self.assertIn(self.tech_user_2, allowed)
        self.assertNotIn(self.tech_user, allowed)
        form.user_id = self.tech_user_2
        order = form.save()
        order.action_assess()
        order.action_schedule()
        self.assertEqual(order.state, "scheduled")

    def test_check_query_count_constant(self):
        order = self._assessed(self.tech_user)
        self._cert(self.tech, self.type_refrigerant, date(2025, 1, 1))
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=17):
            order._check_certified_to_work("scheduled")
        # many more certificates, of many types and technicians
        types = self.env["training.certification.type"].create(
            [{"name": f"Type {i}", "code": f"TT{i}", "validity_months": 12} for i in range(30)]
        )
        self.category.required_certification_type_ids |= types
        vals = []
        for emp in (self.tech, self.tech_2):
            for cert_type in types:
                vals.append(
                    {"employee_id": emp.id, "type_id": cert_type.id, "issue_date": date(2026, 1, 1)}
                )
        self.env["training.certification"].create(vals)
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=17):
            order._check_certified_to_work("scheduled")
