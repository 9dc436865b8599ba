import json
from collections import defaultdict
from contextlib import contextmanager
from datetime import date

from odoo.tests import tagged

from .quality_common import QualityCommon

MESSAGE_FIELDS = [
    "model",
    "message_type",
    "subtype_id",
    "is_internal",
    "author_id",
    "email_from",
    "reply_to",
    "subject",
    "partner_ids",
    "body",
]
ACTIVITY_FIELDS = [
    "res_model",
    "activity_type_id",
    "summary",
    "note",
    "automated",
    "user_id",
    "date_deadline",
]


@tagged("post_install", "-at_install")
class TestNotifyMixin(QualityCommon):
    """The batch helpers of ``service.notify.mixin`` give what Odoo's own
    ``_message_log_batch`` and ``activity_schedule`` give record by record."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        complaint = cls._complaint()
        Action = cls.env["service.corrective.action"]
        common = {
            "complaint_id": complaint.id,
            "owner_id": cls.technician.id,
            "deadline": date(2026, 3, 10),
        }
        cls.batch = Action.create([{"name": f"Batch {i}", **common} for i in range(3)])
        cls.reference = Action.create([{"name": f"Ref {i}", **common} for i in range(3)])
        cls.root = cls.env.ref("base.partner_root")
        cls.todo = cls.env.ref("mail.mail_activity_data_todo")

    @contextmanager
    def _activity_pushes(self):
        """Yield ``{partner id: activities added}`` of the systray counter
        pushes sent over the bus in the block."""
        data = self.env.cr.precommit.data
        start = len(data.get("bus.bus.values", []))
        pushed = defaultdict(int)
        yield pushed
        for value in data.get("bus.bus.values", [])[start:]:
            message = json.loads(value["message"])
            if message["type"] == "mail.activity/updated":
                channel = json.loads(value["channel"])
                pushed[channel[2]] += message["payload"]["count_diff"]

    def _values(self, records, fields):
        return [{f: record[f] for f in fields} for record in records]

    def test_notes_like_message_log_batch(self):
        partners = [
            self.technician.partner_id,
            self.technician.partner_id | self.dispatcher.partner_id,
            self.env["res.partner"],
        ]
        bodies = {record.id: f"Note {i}" for i, record in enumerate(self.batch)}
        ref_bodies = {record.id: f"Note {i}" for i, record in enumerate(self.reference)}
        notifications = self.env["mail.notification"].search_count([])
        messages = self.batch._notify_log_batch(
            bodies, dict(zip(self.batch.ids, partners, strict=True)), subject="Reminder"
        )
        expected = self.env["mail.message"].sudo()
        for record, addressees in zip(self.reference, partners, strict=True):
            expected |= record._message_log_batch(
                {record.id: ref_bodies[record.id]},
                subject="Reminder",
                author_id=self.root.id,
                partner_ids=addressees.ids,
            )
        self.assertEqual(messages.mapped("res_id"), self.batch.ids)
        self.assertEqual(messages.subtype_id, self.env.ref("mail.mt_note"))
        self.assertEqual(
            self._values(messages, MESSAGE_FIELDS), self._values(expected, MESSAGE_FIELDS)
        )
        # notes notify nobody, as Odoo's own
        self.assertEqual(self.env["mail.notification"].search_count([]), notifications)
        self.assertFalse(self.env["mail.mail"].search([("mail_message_id", "in", messages.ids)]))

    def test_activities_like_activity_schedule(self):
        users = [self.technician, self.dispatcher, self.technician]
        assignments = [
            {
                "res_id": record.id,
                "user_id": user.id,
                "summary": "Act now" if i else False,
                "date_deadline": date(2026, 3, 10 + i),
            }
            for i, (record, user) in enumerate(zip(self.batch, users, strict=True))
        ]
        mails = self.env["mail.mail"].search_count([])
        with self._activity_pushes() as pushed:
            activities = self.batch._notify_schedule_batch(self.todo, assignments)
        self.assertEqual(self.env["mail.mail"].search_count([]), mails)
        expected = self.env["mail.activity"]
        with self._activity_pushes() as pushed_by_odoo:
            for i, (record, user) in enumerate(zip(self.reference, users, strict=True)):
                expected |= (
                    record.sudo()
                    .with_context(mail_activity_quick_update=True)
                    .activity_schedule(
                        activity_type_id=self.todo.id,
                        summary="Act now" if i else "",
                        date_deadline=date(2026, 3, 10 + i),
                        user_id=user.id,
                    )
                )
        # the same systray counters pushed to the same assignees
        self.assertEqual(pushed, pushed_by_odoo)
        self.assertEqual(set(pushed), {user.partner_id.id for user in users})
        self.assertEqual(
            self._values(activities, ACTIVITY_FIELDS), self._values(expected, ACTIVITY_FIELDS)
        )
        self.assertEqual(activities.mapped("res_id"), self.batch.ids)
        # the assignees follow the records, as with activity_schedule
        for record, ref, user in zip(self.batch, self.reference, users, strict=True):
            self.assertIn(user.partner_id, record.message_partner_ids)
            self.assertEqual(
                record.message_partner_ids & user.partner_id,
                ref.message_partner_ids & user.partner_id,
            )
        # a duplicate assignment gives one activity, nothing under automation skip
        again = self.batch[:1]._notify_schedule_batch(self.todo, assignments[:1] * 2)
        self.assertEqual(len(again), 1)
        skipped = self.batch.with_context(
            mail_activity_automation_skip=True
        )._notify_schedule_batch(self.todo, assignments)
        self.assertFalse(skipped)
