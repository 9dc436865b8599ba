from collections import defaultdict

from odoo import fields, models


class ServiceNotifyMixin(models.AbstractModel):
    """Chatter notes and activities on a whole batch of records at once.

    Scheduled jobs that remind or escalate write one note per record and
    give the people who must act an activity. ``message_post`` and
    ``activity_schedule`` record by record cost about ten queries each; these
    helpers call Odoo's own batch methods instead: ``_message_log_batch`` once
    per group of records addressed to the same partners, ``activity_schedule``
    once per group of records that share the assignee, type, summary, note
    and deadline. The activities reach their assignees through Odoo's activity
    machinery (systray counter, bus push, *My Activities*, digest). Models
    using it inherit ``mail.thread`` and ``mail.activity.mixin``.
    """

    _name = "service.notify.mixin"
    _description = "Batched Chatter Notes and Activities"

    def _notify_log_batch(self, bodies, partners=None, subject=False):
        """Log ``bodies`` (``{record id: body}``) in the chatter of the
        records, each message linked to the partners it is addressed to
        (``partners``: ``{record id: res.partner}``); one create per distinct
        set of addressees. Returns the new messages (sudo)."""
        partners = partners or {}
        groups = defaultdict(dict)
        for res_id, body in bodies.items():
            addressees = partners.get(res_id) or self.env["res.partner"]
            groups[tuple(sorted(addressees.ids))][res_id] = body
        messages = self.env["mail.message"].sudo()
        author = self.env.ref("base.partner_root")
        for partner_ids, group_bodies in groups.items():
            records = self.browse(list(group_bodies))
            messages |= records._message_log_batch(
                group_bodies,
                subject=subject,
                author_id=author.id,
                partner_ids=list(partner_ids),
            )
        return messages

    def _notify_schedule_batch(self, activity_type, assignments):
        """Schedule activities of ``activity_type`` from ``assignments``, a
        list of dicts with ``res_id``, ``user_id`` and optional ``summary``,
        ``note`` and ``date_deadline`` (today by default); one
        ``activity_schedule`` call per group of identical values. The
        assignees are not sent a separate email: the note in the chatter
        already tells them (``mail_activity_quick_update``)."""
        if not activity_type or not assignments:
            return self.env["mail.activity"]
        today = fields.Date.context_today(self)
        groups = defaultdict(list)
        for assignment in assignments:
            key = (
                assignment["user_id"],
                assignment.get("summary") or False,
                assignment.get("note") or False,
                assignment.get("date_deadline") or today,
            )
            groups[key].append(assignment["res_id"])
        # sudo: the job assigns users whatever their own access to the record
        records = self.sudo().with_context(mail_activity_quick_update=True)
        activities = self.env["mail.activity"]
        for (user_id, summary, note, deadline), res_ids in groups.items():
            activities |= records.browse(list(dict.fromkeys(res_ids))).activity_schedule(
                activity_type_id=activity_type.id,
                summary=summary or "",
                note=note or "",
                date_deadline=deadline,
                user_id=user_id,
            )
        return activities
