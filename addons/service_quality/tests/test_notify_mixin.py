import json
from collections import defaultdict
from contextlib import contextmanager
from datetime import date

from odoo.tests import new_test_user, tagged

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
    "user_tz",
    "date_done",
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

    def _follower(self, record, partner):
        return self.env["mail.followers"].search(
            [
                ("res_model", "=", record._name),
                ("res_id", "=", record.id),
                ("partner_id", "=", partner.id),
            ]
        )

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
        # as stored, not as the helper left them in the cache
        self.env.invalidate_all()
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
        # as stored, not as the helper left them in the cache
        self.env.invalidate_all()
        # the same systray counters pushed to the same assignees
        self.assertEqual(pushed, pushed_by_odoo)
        self.assertEqual(set(pushed), {user.partner_id.id for user in users})
        self.assertEqual(
            self._values(activities, ACTIVITY_FIELDS), self._values(expected, ACTIVITY_FIELDS)
        )
        self.assertEqual(activities.mapped("res_id"), self.batch.ids)
        self.assertEqual(activities.mapped("res_name"), self.batch.mapped("display_name"))
        self.assertEqual(expected.mapped("res_name"), self.reference.mapped("display_name"))
        # the assignees follow the records with the same subtypes, as with
        # activity_schedule
        for record, ref, user in zip(self.batch, self.reference, users, strict=True):
            self.assertIn(user.partner_id, record.message_partner_ids)
            self.assertEqual(
                record.message_partner_ids & user.partner_id,
                ref.message_partner_ids & user.partner_id,
            )
            self.assertEqual(
                self._follower(record, user.partner_id).subtype_ids,
                self._follower(ref, user.partner_id).subtype_ids,
            )
        # a duplicate assignment gives one activity, nothing under automation skip
        again = self.batch[:1]._notify_schedule_batch(self.todo, assignments[:1] * 2)
        self.assertEqual(len(again), 1)
        skipped = self.batch.with_context(
            mail_activity_automation_skip=True
        )._notify_schedule_batch(self.todo, assignments)
        self.assertFalse(skipped)

    def test_followers_like_message_subscribe(self):
        """Existing followers keep their subtypes, inactive partners are
        not subscribed, portal partners get the external subtypes: as
        ``message_subscribe`` record by record."""
        portal = self.portal_user
        archived = self.env["res.partner"].create({"name": "Archived", "active": False})
        first, second, third = self.batch
        note = self.env.ref("mail.mt_note")
        first.message_subscribe(self.technician.partner_id.ids, subtype_ids=note.ids)
        pairs = [
            (first.id, self.technician.partner_id.id),
            (second.id, portal.partner_id.id),
            (third.id, archived.id),
            (third.id, self.dispatcher.partner_id.id),
        ]
        followed = self.batch._notify_follow_batch(pairs)
        self.assertEqual(
            followed, frozenset((self.batch._name, res_id, pid) for res_id, pid in pairs)
        )
        self.assertEqual(self._follower(first, self.technician.partner_id).subtype_ids, note)
        self.assertFalse(self._follower(third, archived))
        for record, ref, partner in (
            (second, self.reference[1], portal.partner_id),
            (third, self.reference[2], self.dispatcher.partner_id),
        ):
            ref.message_subscribe(partner.ids)
            self.assertEqual(
                self._follower(record, partner).subtype_ids,
                self._follower(ref, partner).subtype_ids,
            )

    def test_activity_queries_do_not_grow_with_the_assignees(self):
        """Subscribing the assignees is one batch whatever their number
        (``mail.activity.create`` alone costs about five queries each)."""
        users = [self.technician, self.dispatcher, self.manager]
        # warm the caches (activity type, default subtypes)
        self.reference._notify_schedule_batch(
            self.todo, [{"res_id": self.reference[0].id, "user_id": users[0].id}]
        )
        queries = {}
        for count in (1, 3):
            records = self.batch if count == 3 else self.batch[:1]
            assignments = [
                {"res_id": record.id, "user_id": user.id, "summary": f"Act {count}"}
                for record, user in zip(records, users[:count], strict=True)
            ]
            self.env.flush_all()
            self.env.invalidate_all()
            start = self.cr.sql_log_count
            activities = self.batch._notify_schedule_batch(self.todo, assignments)
            self.env.flush_all()
            queries[count] = self.cr.sql_log_count - start
            self.assertEqual(len(activities), count)
            for record, user in zip(records, users[:count], strict=True):
                self.assertIn(user.partner_id, record.message_partner_ids)
        self.assertEqual(queries[1], queries[3])

    def test_group_users_are_its_active_internal_users(self):
        xmlid = "service_quality.group_quality_inspector"
        archived = new_test_user(self.env, "sq_archived_inspector", groups=xmlid)
        archived.active = False
        Action = self.env["service.corrective.action"]
        Action._notify_group_users(xmlid)  # the xml id in its cache
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        users = Action._notify_group_users(xmlid)
        users.partner_id  # noqa: B018 (fetched with the users)
        self.assertEqual(self.cr.sql_log_count - start, 1, "one query")
        group = self.env.ref(xmlid)
        self.assertEqual(users, group.users.filtered(lambda u: u.active and not u.share))
        self.assertIn(self.inspector, users)
        self.assertNotIn(archived, users)
        self.assertFalse(Action._notify_group_users("service_quality.no_such_group"))
