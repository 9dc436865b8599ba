from collections import defaultdict

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
      ``automated``), so ``mail.activity.create`` pushes the systray
      counter over the bus and every override of it applies. The assignees
      follow their records first, all in one ``mail.followers`` create
      (``_notify_follow_batch``), so the ``message_subscribe`` call
      ``mail.activity.create`` makes per assignee finds nothing to do
      (``mail.thread.message_subscribe``, service_quality).

    The activities reach their assignees through Odoo's activity machinery
    (systray counter, bus push, *My Activities*, digest). Models using it
    inherit ``mail.thread`` and ``mail.activity.mixin``.

    **Language and time zone of a job's texts.** A job runs as OdooBot, in
    English and UTC, but writes for people: each text is written in the
    language of the person who reads it, its date-times in that person's
    time zone.

    * An activity summary (or note) is read by its assignee: in the
      assignee's language (``_notify_reader_lang(assignee)``).
    * A chatter note is read by whoever follows the record: in the language
      of the user responsible for the record, else of the company's partner
      (``_notify_reader_lang(responsible)``, ``_notify_reader_lang()``).
    * Date-times are formatted by ``service.local.time`` in the same
      environment, with the reader (the responsible user, or ``False`` for
      the company's time zone) and the record's company.

    ``_notify_by_lang(readers)`` splits a batch by that language, each part
    in an environment of its language, so that a job builds its texts with
    ``part.env._(...)`` and its dates with
    ``part.env["service.local.time"]`` once per language (translated fields
    of the part, such as a name, read in that language too)::

        readers = {plan.id: plan.responsible_id for plan in plans}
        for part in plans._notify_by_lang(readers):
            local_time = part.env["service.local.time"]
            for plan in part:
                bodies[plan.id] = part.env._(
                    "Plan %(plan)s is due on %(date)s.",
                    plan=plan.name,
                    date=local_time._format_local_date(plan.next_drill_date),
                )

    When the assignee of an activity is not the record's responsible, the
    summary is written in an environment of the assignee's language:
    ``record.with_context(lang=record._notify_reader_lang(assignee)).env._(...)``.
    """

    _name = "service.notify.mixin"
    _description = "Batched Chatter Notes and Activities"

    def _notify_ref(self, xmlid):
        """The record of ``xmlid`` (empty when there is none), read from the
        xml id cache: unlike ``env.ref``, no query to check that it exists
        (Odoo deletes the xml id with its record). A job reads its activity
        type, mail templates and groups this way once per batch."""
        model, res_id = self.env["ir.model.data"]._xmlid_to_res_model_res_id(xmlid)
        return self.env[model].browse(res_id) if model else None

    def _notify_reader_lang(self, reader=None, company=None):
        """Code of the language a job writes in for ``reader``
        (``res.users`` or ``res.partner``, may be empty) about the record
        ``self``: the reader's language, else the language of ``company``'s
        partner (default: the record's company, else the current one), else
        the job's own. Only active languages are returned."""
        active = {code for code, _name in self.env["res.lang"].get_installed()}
        # sudo: the languages are read whoever runs the job (a portal
        # customer's signature, a public page)
        lang = reader.sudo().lang if reader else False
        if lang in active:
            return lang
        if company is None:
            company = (
                self.company_id if "company_id" in self._fields else self.env["res.company"]
            ) or self.env.company
        lang = company.sudo().partner_id.lang
        return lang if lang in active else self.env.lang or "en_US"

    def _notify_by_lang(self, readers=None):
        """``self`` split by the language its texts are written in, for the
        reader of each record (``readers``: ``{record id: res.users}``, the
        company's partner for a record without one; see
        ``_notify_reader_lang``): a list of recordsets, each in an
        environment of its language (``lang`` in its context), in the order
        of the records' first appearance."""
        readers = readers or {}
        ids_by_lang = {}
        for record in self:
            lang = record._notify_reader_lang(readers.get(record.id))
            ids_by_lang.setdefault(lang, []).append(record.id)
        return [
            self.browse(ids).with_prefetch(self._prefetch_ids).with_context(lang=lang)
            for lang, ids in ids_by_lang.items()
        ]

    def _notify_group_users(self, xmlid):
        """The active internal users of the group ``xmlid`` with their
        partner, in one query (the group's users and then their fields are
        two): the people a job notifies or gives activities to."""
        group = self._notify_ref(xmlid)
        if not group:
            return self.env["res.users"]
        return self.env["res.users"].search_fetch(
            [("groups_id", "in", group.ids), ("share", "=", False)], ["partner_id"]
        )

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
        partners = partners or {}
        author = self._notify_ref("base.partner_root")
        # sudo: the author and the partners addressed (the assignees of the
        # batch's activities and the recipients of its mails among them) read
        # at once, the fields the ORM reads together on first access, instead
        # of one read for the author's address and more for the assignees'
        # time zones and share flags and the mails' recipients
        Partner = self.env["res.partner"].sudo()
        Partner.browse(
            {author.id, *(pid for partner in partners.values() for pid in partner.ids)}
        ).fetch([fname for fname, field in Partner._fields.items() if field.prefetch is True])
        messages = records._message_log_batch(bodies, subject=subject, author_id=author.id)
        # the messages are new: those created without partners are linked to
        # none, which the cache is told so that the write below need not
        # read the relation first
        partner_ids = messages._fields["partner_ids"]
        unlinked = messages.browse(self.env.cache.get_missing_ids(messages, partner_ids))
        self.env.cache.update(unlinked, partner_ids, [()] * len(unlinked))
        # the messages come in the order of the records
        links = [
            (message, [Command.link(pid) for pid in partners[res_id].ids])
            for res_id, message in zip(records.ids, messages, strict=True)
            if partners.get(res_id)
        ]
        if links:
            partner_ids.write_batch(links)
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
        # the activity's model name, precomputed from its ``ir.model``: known,
        # said to the cache instead of a query reading the model's row
        IrModel = self.env["ir.model"].sudo()
        self.env.cache.update(IrModel.browse(model_id), IrModel._fields["model"], [self._name])
        # sudo: the activity's stored computes (document name, assignee's
        # time zone, done date) run as sudo; given in the values, they are
        # written by the INSERT instead of an UPDATE per 100 activities after
        users = self.env["res.users"].sudo().browse({vals["user_id"] for vals in vals_list})
        user_of = {user.id: user for user in users}
        records = self.sudo().browse({vals["res_id"] for vals in vals_list})
        name_of = {record.id: record.display_name for record in records}
        for vals in vals_list:
            vals.update(
                res_name=name_of[vals["res_id"]],
                user_tz=user_of[vals["user_id"]].tz,
                date_done=False,
            )
        followed = self._notify_follow_batch(
            [(vals["res_id"], user_of[vals["user_id"]].partner_id.id) for vals in vals_list]
        )
        # sudo: the job assigns users whatever their own access to the record
        return (
            self.env["mail.activity"]
            .sudo()
            .with_context(mail_activity_quick_update=True, service_notify_followed=followed)
            .create(vals_list)
        )

    def _notify_follow_batch(self, pairs):
        """Make each partner follow its record (``pairs``: ``(record id,
        partner id)``) as ``message_subscribe`` does, for the whole batch
        at once: inactive partners skipped, existing followers left as they
        are, new ones with the model's default subtypes (the external ones
        for portal and public partners). Two queries and one
        ``mail.followers`` create instead of about five queries per partner.

        Returns the frozenset of ``(model, record id, partner id)`` handled,
        for the ``service_notify_followed`` context key that lets the later
        ``message_subscribe`` of these pairs return at once."""
        pairs = set(pairs)
        if not pairs:
            return frozenset()
        Followers = self.env["mail.followers"].sudo()
        partner_ids = list({pid for _res_id, pid in pairs})
        # sudo: the share flag of the assignees' partners (usually in the
        # cache already, read with the assignees' time zone)
        partners = self.env["res.partner"].sudo().browse(partner_ids).filtered(lambda p: p.active)
        existing = {
            (res_id, pid)
            for _fid, res_id, pid, _sids in Followers._get_subscription_data(
                [(self._name, list({res_id for res_id, _pid in pairs}))], partner_ids
            )
        }
        default, _internal, external = self.env["mail.message.subtype"].default_subtypes(self._name)
        subtypes = {p.id: (external if p.partner_share else default).ids for p in partners}
        to_follow = defaultdict(list)
        for res_id, pid in sorted(pairs):
            if pid in subtypes and (res_id, pid) not in existing:
                to_follow[res_id].append(pid)
        vals_list = []
        for res_id, pids in to_follow.items():
            new, _update = Followers._add_followers(
                self._name, [res_id], pids, subtypes, check_existing=False
            )
            vals_list += [dict(values, res_id=res_id) for values in new[res_id]]
        if vals_list:
            Followers.with_context(default_partner_id=False).create(vals_list)
        return frozenset((self._name, res_id, pid) for res_id, pid in pairs)
