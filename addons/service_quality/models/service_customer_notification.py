from collections import defaultdict

import psycopg2

from odoo import _, api, fields, models
from odoo.tools import SQL

from .service_cron_mixin import CRON_CALL_SECONDS

# notifications rendered together (one batched template rendering), between
# two looks at the time the job's call has used
SEND_CHUNK = 50

EVENTS = [
    ("received", "Request received"),
    ("appointment", "Appointment booked or moved"),
    ("on_the_way", "Technician on the way"),
    ("done", "Work done"),
    ("complaint_received", "Complaint received"),
    ("complaint_resolved", "Complaint resolved"),
]


class ServiceCustomerNotification(models.Model):
    """One row per message sent to a customer: record, event and channel.

    The row is inserted before the message is queued, under a UNIQUE
    constraint: whoever inserts it first sends, every other transaction
    (a second run of a job, a double click, a concurrent worker) finds the
    row and sends nothing. An event that may happen again with other values
    (an appointment moved) carries them in ``event_key``."""

    _name = "service.customer.notification"
    _description = "Customer Notification Log"
    _inherit = ["service.cron.mixin"]
    _order = "id desc"

    res_model = fields.Char(string="Document Model", required=True, readonly=True)
    res_id = fields.Many2oneReference(
        string="Document", model_field="res_model", required=True, readonly=True
    )
    event = fields.Selection(EVENTS, required=True, readonly=True)
    event_key = fields.Char(required=True, readonly=True)
    channel = fields.Selection([("email", "Email"), ("sms", "SMS")], required=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    document_ref = fields.Reference(
        selection="_selection_document_model",
        string="Related Document",
        compute="_compute_document_ref",
        help="The order or complaint the customer was told about.",
    )
    state = fields.Selection(
        [("pending", "Pending"), ("queued", "Queued")],
        default="pending",
        required=True,
        readonly=True,
        help="Pending: claimed, the notification job has not rendered it yet; Queued: the "
        "email or SMS is in Odoo's outgoing queue.",
    )

    _sql_constraints = [
        (
            "event_channel_unique",
            "UNIQUE(res_model, res_id, event_key, channel)",
            "A customer is told of an event once per channel.",
        ),
    ]

    @api.model
    def _selection_document_model(self):
        return [
            (model.model, model.name)
            for model in self.env["ir.model"]
            .sudo()
            .search([("model", "in", self._document_models())])
        ]

    @api.model
    def _document_models(self):
        """The models that tell their customers (service.customer.notify.mixin)."""
        return [
            name
            for name, model in self.env.registry.items()
            if getattr(model, "_customer_notify_templates", None)
        ]

    @api.depends("res_model", "res_id")
    def _compute_document_ref(self):
        for log in self:
            log.document_ref = (
                f"{log.res_model},{log.res_id}"
                if log.res_model in self.env and log.res_id
                else False
            )

    @api.depends("event", "channel", "res_model", "res_id")
    def _compute_display_name(self):
        events = dict(self._fields["event"]._description_selection(self.env))
        channels = dict(self._fields["channel"]._description_selection(self.env))
        for log in self:
            log.display_name = (
                f"{events.get(log.event, log.event)} ({channels.get(log.channel, log.channel)})"
            )

    def init(self):
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS service_customer_notification_res_idx "
            "ON service_customer_notification (res_model, res_id)"
        )
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS service_customer_notification_pending_idx "
            "ON service_customer_notification (id) WHERE state = 'pending'"
        )

    @api.model
    def _cron_send_pending(self, batch_size=200, seconds=CRON_CALL_SECONDS):
        """Render and queue the messages of one locked batch of claimed
        notifications, grouped per document model, event and channel (one
        batched template rendering per chunk of a group), then mark them
        queued. Rendering stops once the call has used ``seconds`` (after
        one chunk at least): the rest of the batch stays pending for the
        next call."""
        condition = SQL("state = 'pending'")
        rows = self._cron_lock_batch(condition, batch_size)
        groups = defaultdict(list)
        for row in rows:
            groups[(row.res_model, row.event, row.channel)].append((row.id, row.res_id))
        chunks = [
            (key, pairs[start : start + SEND_CHUNK])
            for key, pairs in groups.items()
            for start in range(0, len(pairs), SEND_CHUNK)
        ]
        sent = []
        for (model, event, channel), pairs in self._cron_until(chunks, seconds):
            sent.extend(row_id for row_id, _res_id in pairs)
            if model not in self.env:
                continue
            records = self.env[model].browse([res_id for _row_id, res_id in pairs]).exists()
            if records:
                records._customer_notify_send(event, channel)
        if sent:
            self.browse(sent).sudo().write({"state": "queued"})
        return self._cron_done(len(sent), self._cron_count(condition))

    @api.model
    def _claim(self, records, event, channel, keys=None):
        """Insert the log rows of ``event`` on ``channel`` for ``records`` in
        one statement and return the records whose row this transaction
        inserted: the others were told already (or are being told by a
        concurrent transaction, which this insert waits for)."""
        return self._claim_channels(event, {channel: records}, keys).get(channel, records.browse())

    @api.model
    def _claim_channels(self, event, records_per_channel, keys=None):
        """Claim ``event`` for every channel of ``records_per_channel``
        ({channel: records}) in one INSERT; return {channel: records whose
        row this transaction inserted} for the channels with any."""
        todo = [(channel, records) for channel, records in records_per_channel.items() if records]
        if not todo:
            return {}
        keys = keys or {}
        try:
            with self.env.cr.savepoint(flush=False):
                return self._claim_rows(todo, event, keys)
        except psycopg2.errors.SerializationFailure:
            # A concurrent transaction committed some of these rows after
            # this one began: claim record by record, a failing one was told.
            claimed = {}
            for channel, records in todo:
                for record in records:
                    try:
                        with self.env.cr.savepoint(flush=False):
                            done = self._claim_rows([(channel, record)], event, keys)
                    except psycopg2.errors.SerializationFailure:
                        continue
                    if done:
                        claimed[channel] = claimed.get(channel, record.browse()) | record
            return claimed

    @api.model
    def _claim_rows(self, todo, event, keys):
        """One INSERT ... ON CONFLICT DO NOTHING of the rows of ``todo``
        ([(channel, records)], records of one model)."""
        model = todo[0][1]._name
        ids, event_keys, companies, channels = [], [], [], []
        for channel, records in todo:
            for record in records:
                ids.append(record.id)
                event_keys.append(f"{event}:{keys[record.id]}" if keys.get(record.id) else event)
                companies.append(record.company_id.id or self.env.company.id)
                channels.append(channel)
        now = fields.Datetime.now()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO service_customer_notification
                    (res_model, res_id, event, event_key, channel, company_id, state,
                     create_uid, create_date, write_uid, write_date)
                SELECT %(model)s, rows.res_id, %(event)s, rows.event_key, rows.channel,
                       rows.company_id, 'pending', %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM unnest(%(ids)s::int[], %(keys)s::varchar[], %(companies)s::int[],
                              %(channels)s::varchar[])
                       AS rows(res_id, event_key, company_id, channel)
                ON CONFLICT (res_model, res_id, event_key, channel) DO NOTHING
                RETURNING channel, res_id
                """,
                model=model,
                event=event,
                uid=self.env.uid,
                now=now,
                ids=ids,
                keys=event_keys,
                companies=companies,
                channels=channels,
            )
        )
        claimed = defaultdict(set)
        for channel, res_id in self.env.cr.fetchall():
            claimed[channel].add(res_id)
        return {
            channel: records.browse([rid for rid in records.ids if rid in claimed[channel]])
            for channel, records in todo
            if claimed[channel]
        }

    @api.model
    def _wake_job(self):
        """Wake the notification job once per transaction, when it commits."""
        data = self.env.cr.precommit.data
        if not data.get("service_customer_notification_wake"):
            data["service_customer_notification_wake"] = True
            self.env.cr.precommit.add(self._trigger_job)

    @api.model
    def _trigger_job(self):
        cron_id = self.env["ir.model.data"]._xmlid_to_res_id(
            "service_quality.ir_cron_customer_notifications", raise_if_not_found=False
        )
        if cron_id:
            self.env["ir.cron"].sudo().browse(cron_id)._trigger()

    @api.model
    def _event_label(self, event):
        return dict(self._fields["event"]._description_selection(self.env)).get(event, event)

    @api.model
    def _log_body(self, event, channel):
        return _(
            "Customer told by %(channel)s: %(event)s.",
            channel=dict(self._fields["channel"]._description_selection(self.env))[channel],
            event=self._event_label(event),
        )
