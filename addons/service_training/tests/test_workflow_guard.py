from datetime import date

from freezegun import freeze_time

from odoo import api
from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import TrainingCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-04 10:00:00")
class TestWorkflowGuard(TrainingCommon):
    def test_session_finished_only_without_pending_results(self):
        session = self._session().with_user(self.officer)
        attendance = self.env["training.attendance"].create(
            {"session_id": session.id, "employee_id": self.tech.id}
        )
        with self.assertRaises(UserError) as refused:
            session.write({"state": "done"})
        self.assertIn(session.name, str(refused.exception))
        self.assertIn("Finish", str(refused.exception))
        with self.assertRaisesRegex(UserError, session.name):
            api.call_kw(
                session.browse(),
                "write",
                [session.ids, {"state": "done"}],
                {"context": {"service_workflow_pass": ["training.session"]}},
            )
        # Even the superuser cannot store a done session with a result pending.
        with self.assertRaisesRegex(ValidationError, "Li Lei"), self.env.cr.savepoint():
            session.sudo().write({"state": "done"})
        session.invalidate_recordset()
        self.assertEqual(session.state, "planned")
        attendance.write({"attendance": "excused"})
        session.action_done()
        self.assertEqual(session.state, "done")

    def test_certificate_revoked_only_with_a_reason(self):
        cert = self._cert(self.tech, self.type_refrigerant, date(2026, 1, 10))
        officer_cert = cert.with_user(self.officer)
        with self.assertRaises(UserError) as refused:
            officer_cert.write({"revoked_on": "2026-02-01"})
        self.assertIn(cert.number, str(refused.exception))
        self.assertIn("Revoke", str(refused.exception))
        with self.assertRaisesRegex(UserError, cert.number):
            officer_cert.write({"state": "revoked"})
        with self.assertRaisesRegex(ValidationError, "Give a reason"), self.env.cr.savepoint():
            cert.sudo().write({"revoked_on": "2026-02-01"})
        cert.invalidate_recordset()
        self.assertEqual(cert.state, "valid")
        officer_cert.action_revoke("Unsafe brazing")
        self.assertEqual(cert.state, "revoked")
        officer_2 = new_test_user(
            self.env, "st_guard_officer_r", groups="service_training.group_training_officer"
        )
        cert.with_user(officer_2).action_reinstate("Brazing checked again: it was sound")
        self.assertEqual(cert.state, "valid")
        # the superuser may import a revoked certificate with its reason
        cert.sudo().write({"revoked_on": "2026-02-01", "revoke_reason": "Imported"})
        self.assertEqual(cert.state, "revoked")

    def test_plan_approved_only_through_the_action(self):
        plan = self.env["training.plan"].with_user(self.officer).create({"name": "2026 plan"})
        with self.assertRaisesRegex(UserError, "2026 plan"):
            plan.write({"state": "approved", "approved_by_id": self.officer.id})
        self.assertEqual(plan.state, "draft")
        plan.sudo().write({"state": "submitted", "submitted_by_id": self.officer.id})
        # The four-eyes rule holds for the submitter even through sudo().
        with self.assertRaisesRegex(UserError, "another training officer"):
            plan.sudo().action_approve()
        officer_2 = new_test_user(
            self.env, "st_guard_officer_2", groups="service_training.group_training_officer"
        )
        plan.with_user(officer_2).action_approve()
        self.assertEqual(plan.approved_by_id, officer_2)
