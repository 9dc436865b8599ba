"""Chatter messages and activities on many records at once.

Scheduled jobs that remind or escalate post one message per record.
``message_post`` and ``activity_schedule`` in a loop cost about ten queries
per record; these helpers do the same work for a whole batch with a constant
number of queries: one ``mail.message`` create, one ``mail.notification``
create, one ``mail.mail`` create, one ``mail.activity`` create.

What the recipients get is what ``message_post`` gives them: the message in
the record's chatter, addressed to the given partners; followers of the
record subscribed to the subtype are notified too; internal users who handle
notifications in Odoo get it in their inbox, everybody else by email (queued
for the mail cron), the author excepted. Differences, the price of the
constant cost: the email is the message with a link to the record instead
of the full notification layout, the inbox is not pushed live over the bus
(it shows at the next load of the web client), and activities are created
without the separate "you have been assigned" email.
"""

from collections import defaultdict

from markupsafe import Markup

from odoo import Command, fields
from odoo.tools import clean_context


def post_messages(records, messages, subtype_xmlid="mail.mt_comment"):
    """Post ``messages`` on records of the model of ``records`` and notify
    their recipients; return the new ``mail.message`` records (sudo).

    :param records: any recordset of the target model (mail.thread);
    :param messages: list of dicts with ``res_id``, ``body`` (text or
        Markup), optional ``subject`` and ``partner_ids`` (partners the
        message is addressed to);
    """
    env = records.env
    if not messages:
        return env["mail.message"].sudo()
    Model = env[records._name]
    subtype = env.ref(subtype_xmlid)
    author_id, email_from = env["mail.thread"]._message_compute_author(raise_on_email=False)
    targets = Model.browse(list(dict.fromkeys(m["res_id"] for m in messages)))
    # sudo: the job notifies whoever must know; values computed once per batch
    reply_to = targets.sudo()._notify_get_reply_to(default=email_from)
    followers = defaultdict(set)
    for follower in (
        env["mail.followers"]
        .sudo()
        .search(
            [
                ("res_model", "=", Model._name),
                ("res_id", "in", targets.ids),
                ("subtype_ids", "in", subtype.id),
            ]
        )
    ):
        followers[follower.res_id].add(follower.partner_id.id)
    names = {record.id: record.display_name for record in targets}

    vals_list, recipients = [], []
    for message in messages:
        res_id = message["res_id"]
        addressed = list(message.get("partner_ids") or ())
        vals_list.append(
            {
                "model": Model._name,
                "res_id": res_id,
                "record_name": names[res_id],
                "body": message["body"]
                if isinstance(message["body"], Markup)
                else Markup("<p>%s</p>") % message["body"],
                "subject": message.get("subject") or False,
                "message_type": "notification",
                "subtype_id": subtype.id,
                "is_internal": subtype.internal,
                "author_id": author_id,
                "email_from": email_from,
                "reply_to": reply_to.get(res_id) or email_from,
                "partner_ids": [Command.set(addressed)],
            }
        )
        recipients.append((set(addressed) | followers[res_id]) - {author_id})
    safe_env = env(su=True, context=clean_context(env.context))
    new_messages = safe_env["mail.message"].create(vals_list)
    _notify(safe_env, Model._name, new_messages, recipients, subtype.internal)
    return new_messages


def _notify(env, model, new_messages, recipients, internal_only):
    partners = env["res.partner"].with_context(active_test=False).browse(set().union(*recipients))
    partners.fetch(["email", "active"])
    users = partners.user_ids.filtered(lambda u: u.active)
    users.fetch(["notification_type", "share", "partner_id"])
    inbox, internal = set(), set()
    for user in users:
        if not user.share:
            internal.add(user.partner_id.id)
            if user.notification_type == "inbox":
                inbox.add(user.partner_id.id)
    base_url = env["mail.thread"].get_base_url()
    notifications, mails, mail_partners = [], [], []
    for message, partner_ids in zip(new_messages, recipients, strict=True):
        by_email = []
        for partner in partners.browse(sorted(partner_ids)):
            if not partner.active or (internal_only and partner.id not in internal):
                continue
            if partner.id in inbox:
                notifications.append(
                    {
                        "author_id": message.author_id.id,
                        "mail_message_id": message.id,
                        "notification_type": "inbox",
                        "notification_status": "sent",
                        "res_partner_id": partner.id,
                    }
                )
            elif partner.email:
                by_email.append(partner.id)
        if by_email:
            link = f"{base_url}/mail/view?model={model}&res_id={message.res_id}"
            mails.append(
                {
                    "mail_message_id": message.id,
                    "body_html": Markup('%s<p><a href="%s">%s</a></p>')
                    % (message.body, link, env._("Open %(name)s", name=message.record_name)),
                    "recipient_ids": [Command.link(pid) for pid in by_email],
                    "references": message.message_id,
                    "is_notification": True,
                    "auto_delete": True,
                }
            )
            mail_partners.append((message, by_email))
    for mail, (message, partner_ids) in zip(
        env["mail.mail"].create(mails), mail_partners, strict=True
    ):
        notifications.extend(
            {
                "author_id": message.author_id.id,
                "mail_message_id": message.id,
                "mail_mail_id": mail.id,
                "notification_type": "email",
                "notification_status": "ready",
                "is_read": True,
                "res_partner_id": pid,
            }
            for pid in partner_ids
        )
    env["mail.notification"].create(notifications)


def schedule_activities(records, activities):
    """Create ``activities`` (dicts with ``res_id``, ``activity_type``,
    ``user_id``, ``summary``, ``note`` and optional ``date_deadline``, today
    by default, as ``activity_schedule``) on
    records of the model of ``records`` in one create. The assignees are not
    sent a separate assignment email: the message posted with the activity
    already tells them (``mail_activity_quick_update``)."""
    env = records.env
    if not activities or env.context.get("mail_activity_automation_skip"):
        return env["mail.activity"]
    model_id = env["ir.model"]._get_id(records._name)
    today = fields.Date.context_today(records)
    vals_list = []
    for activity in activities:
        activity_type = activity["activity_type"]
        vals_list.append(
            {
                "res_model_id": model_id,
                "res_id": activity["res_id"],
                "activity_type_id": activity_type.id,
                "summary": activity.get("summary") or activity_type.summary,
                "note": activity.get("note") or False,
                "user_id": activity["user_id"],
                "date_deadline": activity.get("date_deadline") or today,
                "automated": True,
            }
        )
    return (
        env["mail.activity"]
        .sudo()
        .with_context(clean_context(env.context), mail_activity_quick_update=True)
        .create(vals_list)
    )
