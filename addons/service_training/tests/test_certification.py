from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import TrainingCommon


@tagged("post_install", "-at_install")
class TestCertification(TrainingCommon):
    @freeze_time("2026-01-15")
    def test_certificate_on_the_resume(self):
        cert = self._cert(self.tech, self.type_refrigerant, date(2026, 1, 10))
        line = cert.resume_line_id
        self.assertEqual(line.employee_id, self.tech)
        self.assertIn(line, self.tech.resume_line_ids)
        self.assertEqual(line.name, self.type_refrigerant.name)
        self.assertEqual(line.display_type, "certification")
        self.assertEqual(
            line.line_type_id, self.env.ref("hr_skills_survey.resume_type_certification")
        )
        self.assertEqual((line.date_start, line.date_end), (date(2026, 1, 10), date(2029, 1, 10)))
        cert._renew(date(2026, 1, 15))
        self.assertEqual(line.date_end, date(2032, 1, 10), "renewed: the line follows")
        cert.action_revoke("Failed the practical check")
        self.assertEqual(line.date_end, date(2026, 1, 15), "revoked: the line ends that day")
        self.assertEqual(cert.resume_line_id, line, "one line per certificate")

    @freeze_time("2026-01-15")
    def test_number_expiry_and_state(self):
        cert = self._cert(self.tech, self.type_refrigerant, date(2026, 1, 10))
        self.assertTrue(cert.number.startswith("CERT/"))
        self.assertEqual(cert.expiry_date, date(2029, 1, 10), "36 months validity")
        self.assertEqual(cert.state, "valid")
        soon = self._cert(self.tech_2, self.type_electric, date(2025, 3, 1), date(2026, 3, 1))
        self.assertEqual(soon.state, "expiring")
        old = self._cert(self.tech_2, self.type_refrigerant, date(2020, 1, 1), date(2025, 1, 1))
        self.assertEqual(old.state, "expired")
        self.assertEqual(
            self.env["training.certification"].search(
                [("state", "=", "expiring"), ("employee_id", "=", self.tech_2.id)]
            ),
            soon,
        )

    @freeze_time("2026-01-15")
    def test_zero_validity_never_expires(self):
        self.type_electric.validity_months = 0
        cert = self._cert(self.tech, self.type_electric, date(2010, 1, 1))
        self.assertFalse(cert.expiry_date)
        self.assertEqual(cert.state, "valid")

    def test_expiry_before_issue_refused(self):
        count = self.env["training.certification"].search_count([])
        with self.assertRaisesRegex(ValidationError, "Li Lei"), mute_logger("odoo.sql_db"):
            self._cert(self.tech, self.type_refrigerant, date(2026, 5, 1), date(2026, 4, 1))
        self.assertEqual(self.env["training.certification"].search_count([]), count)
        cert = self._cert(self.tech, self.type_refrigerant, date(2026, 5, 1))
        with self.assertRaisesRegex(ValidationError, "cannot expire"), mute_logger("odoo.sql_db"):
            cert.expiry_date = date(2026, 4, 30)
        # the workflow (a renewal) is held to the same rule
        with self.assertRaisesRegex(ValidationError, "cannot expire"), mute_logger("odoo.sql_db"):
            cert._workflow_write({"expiry_date": date(2026, 4, 30)})
        self.assertEqual(cert.expiry_date, date(2029, 5, 1))

    def test_revoke_requires_reason(self):
        cert = self._cert(self.tech, self.type_refrigerant, date(2026, 1, 1))
        wizard_action = cert.with_user(self.officer).action_open_revoke_wizard()
        self.assertEqual(wizard_action["res_model"], "training.certification.revoke")
        with self.assertRaisesRegex(UserError, cert.number):
            cert.with_user(self.officer).action_revoke("   ")
        self.assertNotEqual(cert.state, "revoked")
        form = Form(
            self.env["training.certification.revoke"]
            .with_user(self.officer)
            .with_context(default_certification_id=cert.id)
        )
        form.reason = "Caused a refrigerant leak through unsafe brazing"
        form.save().action_revoke()
        self.assertEqual(cert.state, "revoked")
        self.assertEqual(cert.revoke_reason, "Caused a refrigerant leak through unsafe brazing")
        with self.assertRaises(UserError):
            cert.action_revoke("again")
        cert.action_reinstate("Revoked in error: the leak came from a faulty valve")
        self.assertNotEqual(cert.state, "revoked")
