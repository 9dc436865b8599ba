from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import TrainingCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-04 10:00:00")
class TestSession(TrainingCommon):
    def _attend(self, session, employee, **vals):
        return self.env["training.attendance"].create(
            dict({"session_id": session.id, "employee_id": employee.id}, **vals)
        )

    def test_end_before_start_refused(self):
        with self.assertRaisesRegex(ValidationError, "must end after it starts"):
            self._session(start=datetime(2026, 3, 4, 1, 0), end=datetime(2026, 3, 3, 1, 0))
        session = self._session()
        with self.assertRaises(ValidationError):
            session.date_end = datetime(2026, 3, 1, 0, 0)

    def test_scores_out_of_range_refused(self):
        session = self._session()
        with self.assertRaisesRegex(ValidationError, "between 0 and 100"):
            self._attend(session, self.tech, theory_score=101)
        att = self._attend(session, self.tech)
        with self.assertRaisesRegex(ValidationError, "between 0 and 100"):
            att.practical_score = -5
        self.assertEqual(att.practical_score, 0)
        self.assertFalse(att.practical_scored)
        with self.assertRaises(ValidationError):
            self.course.theory_pass_mark = 120

    def test_pass_fail_and_certificate(self):
        session = self._session()
        passed = self._attend(session, self.tech)
        failed = self._attend(session, self.tech_2)
        session.action_start()
        self.assertEqual(passed.result, "pending")
        with self.assertRaisesRegex(UserError, "Li Lei.*Han Meimei|Han Meimei.*Li Lei"):
            session.action_done()
        self.assertEqual(session.state, "in_progress")
        # Officer grades in the session form
        form = Form(session.with_user(self.officer))
        with form.attendance_ids.edit(0) as line:
            line.theory_score = 88
            line.practical_score = 90
        with form.attendance_ids.edit(1) as line:
            line.theory_score = 75
            line.practical_score = 55  # below the 70 practical mark
        form.save()
        self.assertEqual(passed.result, "passed")
        self.assertEqual(failed.result, "failed")
        session.with_user(self.officer).action_done()
        self.assertEqual(session.state, "done")
        cert = passed.certification_id
        self.assertTrue(cert)
        self.assertEqual(cert.employee_id, self.tech)
        self.assertEqual(cert.type_id, self.type_refrigerant)
        self.assertEqual(cert.source_attendance_id, passed)
        self.assertEqual(cert.issue_date, date(2026, 3, 4))
        self.assertEqual(cert.expiry_date, date(2029, 3, 4))
        self.assertFalse(failed.certification_id)
        self.assertFalse(
            self.env["training.certification"].search([("employee_id", "=", self.tech_2.id)])
        )
        # results are frozen once the session is done
        with self.assertRaises(UserError):
            failed.practical_score = 80

    def test_absent_fails_and_excused_does_not_block(self):
        session = self._session()
        absent = self._attend(session, self.tech, attendance="absent")
        excused = self._attend(session, self.tech_2, attendance="excused")
        self.assertEqual(absent.result, "failed")
        self.assertEqual(absent.hours, 0)
        session.action_done()
        self.assertEqual(excused.result, "pending")
        self.assertFalse(self.env["training.evaluation"].search([("session_id", "=", session.id)]))

    def test_retake_links_failed_attempt(self):
        first = self._session()
        attempt = self._attend(first, self.tech, theory_score=40, practical_score=80)
        first.action_done()
        self.assertEqual(attempt.result, "failed")
        second = self._session(start=datetime(2026, 3, 10, 1, 0), end=datetime(2026, 3, 11, 9, 0))
        other = self._attend(second, self.tech_2, attendance="excused")
        with self.assertRaisesRegex(ValidationError, "retake"):
            other.retake_of_id = attempt
        passing = self._attend(
            second, self.tech, retake_of_id=attempt.id, theory_score=70, practical_score=80
        )
        self.assertEqual(attempt.retake_ids, passing)
        with freeze_time("2026-03-11 10:00:00"):
            second.action_done()
        self.assertEqual(passing.result, "passed")
        self.assertEqual(passing.certification_id.issue_date, date(2026, 3, 11))

    def test_renewal_extends_existing_certificate(self):
        existing = self._cert(self.tech, self.type_refrigerant, date(2023, 5, 1), date(2026, 5, 1))
        existing.reminder_threshold_sent = 60
        session = self._session()
        self._attend(session, self.tech, theory_score=90, practical_score=90)
        session.action_done()
        certs = self.env["training.certification"].search([("employee_id", "=", self.tech.id)])
        self.assertEqual(certs, existing, "renewed, not duplicated")
        self.assertEqual(existing.expiry_date, date(2029, 5, 1), "extended from the old expiry")
        self.assertEqual(existing.renewal_count, 1)
        self.assertEqual(existing.reminder_threshold_sent, 0, "a new reminder cycle")
        self.assertEqual(existing.state, "valid")

    def test_evaluations_created_with_kpis_before(self):
        session = self._session()
        att = self._attend(session, self.tech, theory_score=90, practical_score=90)
        before = self._finished_orders(self.tech_user, [(datetime(2026, 2, 1, 8, 0), True)])
        self.assertEqual(before.sla_status, "met")
        session.action_done()
        evaluations = self.env["training.evaluation"].search([("attendance_id", "=", att.id)])
        self.assertEqual(sorted(evaluations.mapped("milestone")), ["12m", "3m", "6m", "end"])
        by_milestone = {e.milestone: e for e in evaluations}
        self.assertEqual(by_milestone["end"].review_date, date(2026, 3, 4))
        self.assertEqual(by_milestone["3m"].review_date, date(2026, 6, 4))
        self.assertEqual(by_milestone["12m"].review_date, date(2027, 3, 4))
        self.assertEqual(by_milestone["3m"].orders_before, 1)
        self.assertEqual(by_milestone["3m"].sla_met_rate_before, 100.0)
        cron = self.env.ref("service_training.ir_cron_training_evaluations")
        cron.method_direct_trigger()
        self.assertEqual(by_milestone["end"].state, "measured")
        self.assertEqual(by_milestone["3m"].state, "planned")
        with freeze_time("2026-06-05 03:00:00"):
            after = self._finished_orders(self.tech_user, [(datetime(2026, 4, 1, 8, 0), False)])
            self.assertEqual(after.sla_status, "breached")
            cron.method_direct_trigger()
        self.assertEqual(by_milestone["3m"].state, "measured")
        self.assertEqual(by_milestone["3m"].orders_after, 1)
        self.assertEqual(by_milestone["3m"].sla_met_rate_delta, -100.0)
        with self.assertRaisesRegex(UserError, "rating"):
            by_milestone["3m"].action_done()
        by_milestone["3m"].rating = "4"
        by_milestone["3m"].with_user(self.officer).action_done()
        self.assertEqual(by_milestone["3m"].reviewer_id, self.officer)
