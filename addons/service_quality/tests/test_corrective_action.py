from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import batch_queries
from .quality_common import QualityCommon

# Queries of one job batch, whatever the number of records in it.
BATCH_QUERIES = 16


@tagged("post_install", "-at_install")
class TestCorrectiveAction(QualityCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.complaint = cls._complaint()
        cls.complaint.action_acknowledge()
        cls.complaint.action_investigate()

    def _action(self, **vals):
        values = {
            "name": "Retrain on drum bearings",
            "complaint_id": self.complaint.id,
            "owner_id": self.technician.id,
            "deadline": date(2026, 3, 10),
        }
        values.update(vals)
        return self.env["service.corrective.action"].create(values)

    def test_effectiveness_checked_by_someone_else(self):
        action = self._action()
        action.with_user(self.technician).action_done()
        self.assertEqual(action.state, "done")
        action.effectiveness = "effective"
        # The owner (even as inspector) cannot verify their own action.
        action.owner_id = self.inspector
        with self.assertRaisesRegex(UserError, "someone else must check its effectiveness"):
            action.with_user(self.inspector).action_verify()
        self.assertEqual(action.state, "done")
        self.assertFalse(action.verified_by_id)
        with self.assertRaisesRegex(ValidationError, "other than its owner"):
            action.verified_by_id = self.inspector
        action.with_user(self.manager).action_verify()
        self.assertEqual(action.state, "verified")
        self.assertEqual(action.verified_by_id, self.manager)

    def test_not_effective_reopens(self):
        action = self._action()
        action.action_done()
        action.effectiveness = "not_effective"
        action.with_user(self.inspector).action_verify()
        self.assertEqual(action.state, "open")
        self.assertFalse(action.done_on)

    def test_verify_needs_done_and_result(self):
        action = self._action()
        with self.assertRaisesRegex(UserError, "must be done"):
            action.with_user(self.inspector).action_verify()
        action.action_done()
        with self.assertRaisesRegex(UserError, "choose whether it was effective"):
            action.with_user(self.inspector).action_verify()

    def test_origin_required(self):
        with self.assertRaisesRegex(ValidationError, "must belong to a complaint, an inspection"):
            self._action(complaint_id=False)

    def test_form_from_complaint(self):
        form = Form(self.env["service.corrective.action"].with_user(self.inspector))
        form.name = "Check every installation of the month"
        form.action_type = "preventive"
        form.complaint_id = self.complaint
        form.owner_id = self.technician
        form.deadline = date(2026, 4, 1)
        action = form.save()
        self.assertEqual(self.complaint.corrective_action_count, 1)
        self.assertEqual(action.company_id, self.complaint.company_id)

    def test_access_per_role(self):
        own = self._action()
        other = self._action(owner_id=self.technician_2.id)
        Action = self.env["service.corrective.action"].with_user(self.technician)
        self.assertEqual(Action.search([("id", "in", (own | other).ids)]), own)
        with self.assertRaises(AccessError):
            other.with_user(self.technician).read(["name"])
        with self.assertRaises(AccessError):
            Action.create(
                {
                    "name": "x",
                    "complaint_id": self.complaint.id,
                    "owner_id": self.technician.id,
                    "deadline": date(2026, 3, 10),
                }
            )
        with self.assertRaisesRegex(UserError, "State cannot be edited directly"):
            own.with_user(self.technician).write({"state": "verified"})
        for vals in (
            {"effectiveness": "effective"},
            {"deadline": date(2026, 6, 1)},
            {"owner_id": self.technician_2.id},
        ):
            with self.assertRaisesRegex(AccessError, "Only a quality inspector can change"):
                own.with_user(self.technician).write(vals)
        self.assertEqual(own.state, "open")
        self.assertEqual(own.deadline, date(2026, 3, 10))
        own.with_user(self.technician).action_done()
        self.assertEqual(own.state, "done")
        with self.assertRaises(AccessError):
            own.with_user(self.technician).unlink()
        other.with_user(self.inspector).unlink()

    def test_reminders_window_once_per_deadline(self):
        cron = self.env.ref("service_quality.ir_cron_corrective_action_reminders")
        soon = self._action(name="Soon", deadline=date(2026, 3, 12))
        later = self._action(name="Later", deadline=date(2026, 3, 30))
        done = self._action(name="Finished", deadline=date(2026, 3, 11))
        done.action_done()
        # No run on 03-09 nor 03-10: the 03-11 run still reminds (window).
        with freeze_time("2026-03-11 06:00:00"):
            cron.method_direct_trigger()
        self.assertEqual(soon.reminder_sent_for, date(2026, 3, 12))
        self.assertFalse(later.reminder_sent_for)
        self.assertFalse(done.reminder_sent_for)
        reminder = soon.message_ids.filtered(lambda m: "is due on" in (m.body or ""))
        self.assertEqual(len(reminder), 1)
        self.assertIn(self.technician.partner_id, reminder.partner_ids)
        self.assertEqual(soon.activity_ids.user_id, self.technician)
        with freeze_time("2026-03-12 06:00:00"):
            cron.method_direct_trigger()
            cron.method_direct_trigger()
        self.assertEqual(len(soon.message_ids.filtered(lambda m: "is due on" in (m.body or ""))), 1)
        # A postponed deadline gets its own reminder.
        soon.deadline = date(2026, 3, 14)
        with freeze_time("2026-03-13 06:00:00"):
            cron.method_direct_trigger()
        self.assertEqual(soon.reminder_sent_for, date(2026, 3, 14))
        # Missed completely: an overdue notice.
        with freeze_time("2026-04-05 06:00:00"):
            cron.method_direct_trigger()
            later.invalidate_recordset(["is_overdue"])
            self.assertTrue(later.is_overdue)
        self.assertTrue(later.message_ids.filtered(lambda m: "is overdue since" in (m.body or "")))

    def test_overdue_search(self):
        late = self._action(deadline=date(2026, 3, 1))
        with freeze_time(datetime(2026, 3, 5, 12, 0)):
            found = self.env["service.corrective.action"].search([("is_overdue", "=", True)])
            self.assertIn(late, found)
            late.action_done()
            found = self.env["service.corrective.action"].search([("is_overdue", "=", True)])
            self.assertNotIn(late, found)

    def test_reminder_job_query_count_does_not_grow(self):
        Action = self.env["service.corrective.action"]
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        with freeze_time("2026-03-11 06:00:00"):
            Action._cron_send_reminders()  # whatever else the database holds

        def make_actions(count):
            return Action.create(
                [
                    {
                        "name": f"Check bearing {i}",
                        "complaint_id": self.complaint.id,
                        "owner_id": (self.technician if i % 2 else self.technician_2).id,
                        "deadline": date(2026, 3, 1 + i % 2),
                    }
                    for i in range(count)
                ]
            )

        # a first batch of one warms the caches; then 5 and 20 cost the same:
        # the cost follows the distinct owners and deadlines, not the actions
        runs = batch_queries(
            self, Action._cron_send_reminders, make_actions, (1, 5, 20), "2026-03-11 06:00:00"
        )
        self.assertEqual(runs[5][1], BATCH_QUERIES, "queries of a batch of 5")
        self.assertEqual(runs[20][1], runs[5][1], "the batch costs the same at 20 as at 5")
        for actions, _queries in runs.values():
            for action in actions:
                self.assertEqual(action.reminder_sent_for, action.deadline)
                message = action.message_ids.filtered(
                    lambda m: "is due on" in (m.body or "") or "is overdue since" in (m.body or "")
                )
                self.assertEqual(len(message), 1)
                self.assertEqual(message.partner_ids, action.owner_id.partner_id)
                activity = action.activity_ids.filtered(
                    lambda a: a.activity_type_id == activity_type
                )
                self.assertEqual(activity.user_id, action.owner_id)
                self.assertEqual(activity.date_deadline, action.deadline)
