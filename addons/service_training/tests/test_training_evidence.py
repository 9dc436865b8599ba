from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from odoo.addons.service_quality.models.service_workflow_mixin import RETENTION_DESTROY

from .common import TrainingCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-10 09:00:00")
class TestTrainingEvidence(TrainingCommon):
    """What a finished training leaves behind (the attendances of a done
    session, certificates, signed assessments, approved plans) is refused to
    every write path but the workflow, the superuser included."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.officer_2 = new_test_user(
            cls.env,
            "st_evidence_officer_2",
            groups="service_training.group_training_officer",
            name="Oscar Officer",
        )

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def _done_session(self):
        session = self._session()
        Attendance = self.env["training.attendance"]
        passed = Attendance.create(
            {
                "session_id": session.id,
                "employee_id": self.tech.id,
                "theory_score": 90,
                "practical_score": 85,
            }
        )
        failed = Attendance.create(
            {
                "session_id": session.id,
                "employee_id": self.tech_2.id,
                "theory_score": 40,
                "practical_score": 50,
            }
        )
        session.with_user(self.officer).action_done()
        return session, passed, failed

    def _approved_plan(self):
        plan = (
            self.env["training.plan"]
            .with_user(self.officer)
            .create(
                {
                    "name": "Field service 2026",
                    "year": 2026,
                    "line_ids": [
                        Command.create(
                            {
                                "course_id": self.course.id,
                                "date_start": datetime(2026, 4, 1, 1, 0),
                                "date_end": datetime(2026, 4, 3, 9, 0),
                                "budget": 3000,
                            }
                        )
                    ],
                }
            )
        )
        plan.action_submit()
        plan.with_user(self.officer_2).action_approve()
        return plan.with_user(self.officer)

    def _signed_assessment(self):
        assessment = self.env["training.assessment"].create(
            {
                "employee_id": self.tech.id,
                "date_from": date(2026, 2, 1),
                "date_to": date(2026, 2, 28),
                "technical_score": 80,
                "attitude_score": 85,
                "safety_score": 90,
            }
        )
        assessment.with_user(self.officer).action_sign()
        return assessment

    def _reopen_form(self, action, user):
        return Form(self.env[action["res_model"]].with_user(user).with_context(**action["context"]))

    # ------------------------------------------------------------------
    # attendances of a done session
    # ------------------------------------------------------------------
    def test_done_session_attendances_are_evidence(self):
        session, passed, failed = self._done_session()
        officer_failed = failed.with_user(self.officer)
        for attendance in (officer_failed, failed.sudo()):
            with self.assertRaisesRegex(UserError, f"{session.name} is Done: Attendees"):
                attendance.unlink()
        with self.assertRaisesRegex(UserError, f"{session.name} is Done"):
            passed.with_user(self.officer).write({"employee_id": self.officer_employee.id})
        with self.assertRaisesRegex(UserError, f"{session.name} is Done"):
            passed.sudo().write({"attendance": "absent"})
        with self.assertRaisesRegex(UserError, f"{session.name} is Done"):
            self.env["training.attendance"].with_user(self.officer).create(
                {"session_id": session.id, "employee_id": self.officer_employee.id}
            )
        # nor moved into the done session from an open one
        other = self._session(start=datetime(2026, 3, 20, 1, 0), end=datetime(2026, 3, 21, 9, 0))
        elsewhere = self.env["training.attendance"].create(
            {"session_id": other.id, "employee_id": self.officer_employee.id}
        )
        with self.assertRaisesRegex(UserError, f"{session.name} is Done"):
            elsewhere.with_user(self.officer).write({"session_id": session.id})
        self.assertTrue(failed.exists())
        self.assertEqual(passed.employee_id, self.tech)
        self.assertEqual((passed.attendance, passed.result), ("present", "passed"))
        self.assertEqual(session.attendance_ids, passed | failed)
        self.assertEqual(elsewhere.session_id, other)
        # a remark is not evidence; an open session's attendees still change
        officer_failed.note = "Retake planned for April"
        self.assertEqual(failed.note, "Retake planned for April")
        elsewhere.with_user(self.officer).write({"employee_id": self.tech.id})
        self.assertEqual(elsewhere.employee_id, self.tech)
        elsewhere.with_user(self.officer).unlink()
        self.assertFalse(elsewhere.exists())

    def test_done_session_cannot_be_deleted(self):
        session, passed, _failed = self._done_session()
        for record in (session.with_user(self.officer), session.sudo()):
            with self.assertRaisesRegex(UserError, f"{session.name}.*cannot be deleted"):
                record.unlink()
        self.assertTrue(passed.exists())
        planned = self._session(start=datetime(2026, 5, 4, 1, 0), end=datetime(2026, 5, 5, 9, 0))
        planned.with_user(self.officer).unlink()
        self.assertFalse(planned.exists())

    def test_attendance_destroyed_by_retention_only(self):
        session, _passed, failed = self._done_session()
        # the context key sent over RPC is not the retention job
        with self.assertRaisesRegex(UserError, f"{session.name} is Done"):
            failed.with_user(self.officer).with_context(retention_destroy=True).unlink()
        self.assertTrue(failed.exists())
        # the retention job destroys the attendance with its file
        failed.sudo().with_context(retention_destroy=RETENTION_DESTROY).unlink()
        self.assertFalse(failed.exists())

    # ------------------------------------------------------------------
    # certificates
    # ------------------------------------------------------------------
    def test_issued_certificate_identity_is_locked(self):
        _session, passed, _failed = self._done_session()
        cert = passed.certification_id
        self.assertEqual(cert.state, "valid")
        before = cert.read(["number", "issue_date", "employee_id", "type_id", "expiry_date"])[0]
        forged = {"number": "FORGED-1", "issue_date": "2020-01-01", "employee_id": self.tech_2.id}
        for record in (cert.with_user(self.officer), cert.sudo()):
            with self.assertRaisesRegex(
                UserError, f"{cert.number} of Li Lei is issued: .*can no longer be changed"
            ):
                record.write(forged)
        for name, value in (
            ("type_id", self.type_electric.id),
            ("expiry_date", date(2035, 1, 1)),
            ("company_id", cert.company_id.id),
            ("source_attendance_id", False),
        ):
            with self.assertRaisesRegex(UserError, "can no longer be changed"):
                cert.with_user(self.officer).write({name: value})
        cert.invalidate_recordset()
        self.assertEqual(
            cert.read(["number", "issue_date", "employee_id", "type_id", "expiry_date"])[0],
            before,
        )
        # the workflow still renews it: a passed refresher extends the expiry
        cert._renew(date(2028, 12, 1))
        self.assertEqual(cert.expiry_date, date(2032, 3, 4))
        self.assertEqual(cert.renewal_count, 1)

    def test_certificate_never_deleted_but_by_retention(self):
        valid = self._cert(self.tech, self.type_refrigerant, date(2026, 1, 5))
        expired = self._cert(self.tech_2, self.type_electric, date(2024, 1, 1), date(2025, 1, 1))
        self.assertEqual(expired.state, "expired")
        for cert in (valid, expired):
            for record in (
                cert.with_user(self.officer),
                cert.sudo(),
                cert.with_user(self.officer).with_context(retention_destroy=True),
            ):
                with self.assertRaisesRegex(UserError, f"{cert.number}.*cannot be deleted"):
                    record.unlink()
        self.assertTrue(valid.exists() and expired.exists())
        # the retention destruction of an approved request still destroys
        # certificates: test_retention_training runs it end to end

    def test_reinstate_needs_officer_reason_and_second_person(self):
        cert = self._cert(self.tech, self.type_refrigerant, date(2026, 1, 5))
        cert.with_user(self.officer).action_revoke("Refrigerant vented on site")
        self.assertEqual(cert.revoked_by_id, self.officer)
        officer_cert = cert.with_user(self.officer)
        # the button called without the wizard: no reason given
        with self.assertRaisesRegex(UserError, "revoked by you"):
            officer_cert.action_reinstate("Mistake")
        with self.assertRaisesRegex(UserError, f"{cert.number}: give the reason"):
            cert.with_user(self.officer_2).action_reinstate()
        with self.assertRaisesRegex(AccessError, "Training Officer"):
            cert.with_user(self.tech_user).action_reinstate("Please")
        # nor by writing the revocation away
        with self.assertRaisesRegex(UserError, "can no longer be changed"):
            cert.sudo().write({"revoked_on": False, "revoke_reason": False})
        self.assertEqual(cert.state, "revoked")
        self.assertEqual(cert.revoke_reason, "Refrigerant vented on site")
        # the legitimate path: another officer, through the wizard, with a reason
        action = cert.with_user(self.officer_2).action_open_reinstate_wizard()
        form = self._reopen_form(action, self.officer_2)
        form.reason = "Investigation: the leak came from a faulty valve, not the technician"
        form.save().action_confirm()
        self.assertEqual(cert.state, "valid")
        self.assertFalse(cert.revoked_on or cert.revoke_reason or cert.revoked_by_id)
        note = cert.message_ids[:1]
        self.assertEqual(note.author_id, self.officer_2.partner_id)
        self.assertIn("Oscar Officer", note.body)
        self.assertIn("faulty valve", note.body)
        self.assertIn("Refrigerant vented on site", note.body, "the revocation stays in history")

    def test_reinstated_state_follows_the_dates(self):
        cert = self._cert(self.tech, self.type_electric, date(2025, 5, 1))
        self.assertEqual(cert.state, "expiring")
        cert.with_user(self.officer).action_revoke("Failed the site check")
        cert.with_user(self.officer_2).action_reinstate("Site check was redone and passed")
        self.assertEqual(cert.state, "expiring")

    # ------------------------------------------------------------------
    # assessments
    # ------------------------------------------------------------------
    def test_signed_assessment_state_is_workflow(self):
        assessment = self._signed_assessment()
        officer_assessment = assessment.with_user(self.officer)
        with self.assertRaisesRegex(UserError, "is Signed: Reviewer, Signed On"):
            officer_assessment.write({"state": "draft", "reviewer_id": False, "signed_on": False})
        with self.assertRaisesRegex(UserError, "is Signed: Technical Score"):
            officer_assessment.write({"technical_score": 10})
        with self.assertRaisesRegex(UserError, "is Signed: Reviewer"):
            assessment.sudo().write({"reviewer_id": False, "signed_on": False})
        self.assertRecordValues(
            assessment,
            [{"state": "signed", "reviewer_id": self.officer.id, "technical_score": 80}],
        )
        # a draft one is not signed by a write either
        draft = self.env["training.assessment"].create(
            {
                "employee_id": self.tech_2.id,
                "date_from": date(2026, 2, 1),
                "date_to": date(2026, 2, 28),
            }
        )
        with self.assertRaisesRegex(UserError, "State cannot be edited directly"):
            draft.with_user(self.officer).write({"state": "signed"})
        self.assertEqual(draft.state, "draft")
        with self.assertRaisesRegex(UserError, f"{assessment.name}.*cannot be deleted"):
            officer_assessment.unlink()
        self.assertTrue(assessment.exists())
        draft.with_user(self.officer).unlink()
        self.assertFalse(draft.exists())

    def test_signed_assessment_reopened_with_reason(self):
        assessment = self._signed_assessment()
        with self.assertRaisesRegex(AccessError, "Training Officer"):
            assessment.with_user(self.tech_user)._workflow_reopen("Unfair score")
        with self.assertRaisesRegex(UserError, "give the reason"):
            assessment.with_user(self.officer_2)._workflow_reopen("  ")
        self.assertEqual(assessment.state, "signed")
        action = assessment.with_user(self.officer_2).action_open_reopen_wizard()
        form = self._reopen_form(action, self.officer_2)
        form.reason = "Safety score entered for the wrong month"
        form.save().action_confirm()
        self.assertRecordValues(
            assessment, [{"state": "draft", "reviewer_id": False, "signed_on": False}]
        )
        self.assertIn("wrong month", assessment.message_ids[:1].body)
        assessment.with_user(self.officer_2).write({"safety_score": 70})
        assessment.with_user(self.officer_2).action_sign()
        self.assertRecordValues(
            assessment, [{"state": "signed", "reviewer_id": self.officer_2.id, "safety_score": 70}]
        )

    # ------------------------------------------------------------------
    # approved plans
    # ------------------------------------------------------------------
    def test_approved_plan_lines_are_locked(self):
        plan = self._approved_plan()
        line = plan.line_ids
        Line = self.env["training.plan.line"].with_user(self.officer)
        with self.assertRaisesRegex(UserError, "Field service 2026 is Approved: Planned Courses"):
            line.with_user(self.officer).unlink()
        with self.assertRaisesRegex(UserError, "Field service 2026 is Approved"):
            line.sudo().write({"budget": 99000})
        with self.assertRaisesRegex(UserError, "Field service 2026 is Approved"):
            Line.create(
                {
                    "plan_id": plan.id,
                    "course_id": self.course.id,
                    "date_start": datetime(2026, 6, 1, 1, 0),
                    "date_end": datetime(2026, 6, 2, 9, 0),
                }
            )
        with self.assertRaisesRegex(UserError, "Field service 2026 is Approved"):
            plan.write({"line_ids": [Command.update(line.id, {"participants": 40})]})
        with self.assertRaisesRegex(UserError, "Field service 2026 is Approved"):
            plan.write({"line_ids": [Command.delete(line.id)]})
        for record in (plan, plan.sudo()):
            with self.assertRaisesRegex(UserError, "Field service 2026.*cannot be deleted"):
                record.unlink()
        self.assertTrue(plan.exists())
        self.assertRecordValues(line, [{"budget": 3000, "participants": 1, "plan_id": plan.id}])
        self.assertEqual(len(plan.line_ids), 1)
        # the workflow links the sessions it creates; a revision is a draft again
        plan.action_create_sessions()
        self.assertTrue(line.session_id)
        action = plan.action_revise("q2")
        revision = self.env["training.plan"].with_user(self.officer).browse(action["res_id"])
        revision.line_ids.write({"budget": 4000})
        revision.line_ids.unlink()
        self.assertFalse(revision.line_ids)
        revision.unlink()
        self.assertFalse(revision.exists())
