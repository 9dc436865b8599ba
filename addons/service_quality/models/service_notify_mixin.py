from odoo import Command, fields, models


class ServiceNotifyMixin(models.AbstractModel):
    """Chatter notes and activities on a whole batch of records at once.

    Scheduled jobs that remind or escalate write one note per record and
    give the people who must act an activity. ``message_post`` and
    ``activity_schedule`` record by record cost about ten queries each, and
    Odoo's batch methods take one value for the whole batch (one list of
    partners for ``_message_log_batch``, one assignee, summary and deadline
    for ``activity_schedule``). These helpers keep Odoo's own paths and let
    the values differ per record:

    * ``_notify_log_batch`` is one ``_message_log_batch`` call for the
      batch (author, subtype *Note*, reply-to and message id computed by
      Odoo), then each message linked to its own partners in one write;
    * ``_notify_schedule_batch`` is one ``mail.activity`` create for the
      batch with the values ``activity_schedule`` gives (type defaults,
      ``automated``), so ``mail.activity.create`` subscribes the assignees
      (one call per assignee), pushes the systray counter over the bus and
      every override of it applies.

    The activities reach their assignees through Odoo's activity machinery
    (systray counter, bus push, *My Activities*, digest). Models using it
    inherit ``mail.thread`` and ``mail.activity.mixin``.
    """

    _name = "service.notify.mixin"
    _description = "Batched Chatter Notes and Activities"

    def _notify_log_batch(self, bodies, partners=None, subject=False):
        """Log ``bodies`` (``{record id: body}``) in the chatter of the
        records in one ``_message_log_batch`` call authored by OdooBot, each
        message linked to the partners it is addressed to (``partners``:
        ``{record id: res.partner}``) in one write of the relation for the
        batch (``_message_log_batch`` takes one list for all). Returns the new
        messages (sudo)."""
        if not bodies:
            return self.env["mail.message"].sudo()
        records = self.browse(list(bodies))
        messages = records._message_log_batch(
            bodies, subject=subject, author_id=self.env.ref("base.partner_root").id
        )
        partners = partners or {}
        # the messages come in the order of the records
        links = [
            (message, [Command.link(pid) for pid in partners[res_id].ids])
            for res_id, message in zip(records.ids, messages, strict=True)
            if partners.get(res_id)
        ]
        if links:
            messages._fields["partner_ids"].write_batch(links)
        return messages

    def _notify_schedule_batch(self, activity_type, assignments):
        """Schedule activities of ``activity_type`` from ``assignments``, a
        list of dicts with ``res_id``, ``user_id`` and optional ``summary``,
        ``note`` and ``date_deadline`` (today by default), in one
        ``mail.activity`` create with the values ``activity_schedule`` gives
        (the type's summary and note by default, ``automated``). One activity
        per (record, assignee, summary). The assignees are not sent a
        separate email: the note in the chatter already tells them
        (``mail_activity_quick_update``)."""
        if (
            not activity_type
            or not assignments
            or self.env.context.get("mail_activity_automation_skip")
        ):
            return self.env["mail.activity"]
        today = fields.Date.context_today(self)
        model_id = self.env["ir.model"]._get_id(self._name)
        vals_list, seen = [], set()
        for assignment in assignments:
            key = (assignment["res_id"], assignment["user_id"], assignment.get("summary"))
            if key in seen:
                continue
            seen.add(key)
            vals_list.append(
                {
                    "activity_type_id": activity_type.id,
                    "summary": assignment.get("summary") or activity_type.summary,
                    "automated": True,
                    "note": assignment.get("note") or activity_type.default_note,
                    "date_deadline": assignment.get("date_deadline") or today,
                    "res_model_id": model_id,
                    "res_id": assignment["res_id"],
                    "user_id": assignment["user_id"],
                }
            )
        # sudo: the job assigns users whatever their own access to the record
        return (
            self.env["mail.activity"]
            .sudo()
            .with_context(mail_activity_quick_update=True)
            .create(vals_list)
        )
