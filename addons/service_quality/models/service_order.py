import base64
import logging
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, consteq, plaintext2html
from odoo.tools.mimetypes import guess_mimetype
from odoo.tools.safe_eval import safe_eval, time

from .service_order_selections import OPEN_STATES, PRIORITIES, SLA_STATUSES, STATES

# The runners of the completion job (signed report PDF and completion email).
# Odoo runs a scheduled action in one cron worker at a time; the runners are
# two scheduled actions calling the same job, each on its own locked batch
# (``FOR UPDATE SKIP LOCKED``), so two cron workers (two threads of a node,
# or two nodes) render at once. Acceptance wakes them all up.
COMPLETION_CRONS = (
    "service_quality.ir_cron_service_order_completion",
    "service_quality.ir_cron_service_order_completion_2",
)

_logger = logging.getLogger(__name__)

# Forward path of the order life cycle. ``cancelled`` is reachable from every
# open state and is handled apart.
STATE_FLOW = [
    "new",
    "assessed",
    "approved",
    "scheduled",
    "in_progress",
    "to_accept",
    "done",
    "closed",
]
# Plan edits in these states send the order back to ``assessed``.
MAX_SLOTS = 3
MAX_PHOTOS = 5
MAX_PHOTO_BYTES = 10 * 1024 * 1024
PLAN_LOCKED_STATES = ("approved", "scheduled", "in_progress")
# Fields that select the SLA policy and calendar.
SLA_TRIGGER_FIELDS = (
    "category_id",
    "priority",
    "team_id",
    "partner_id",
    "received_at",
    "is_emergency",
)
# an emergency is resolved once the work is done
EMERGENCY_OPEN_STATES = ("new", "assessed", "approved", "scheduled", "in_progress")
APPOINTMENT_FIELDS = ("appointment_start", "appointment_end", "user_id")
# Written by the SLA engine and the transitions only.
PROTECTED_FIELDS = {
    "sla_policy_id",
    "response_deadline",
    "resolve_deadline",
    "response_warning_at",
    "resolve_warning_at",
    "responded_at",
    "resolved_at",
    "sla_status",
    "sla_breached",
    "response_breached_at",
    "resolve_breached_at",
    "sla_warned",
    "paused_hours",
    "plan_author_id",
    "approved_by_id",
    "approved_on",
    "accepted_by_id",
    "accepted_on",
    "return_visit_done_on",
    "closed_at",
    "completion_pending",
}
# Once done (signed by the customer, accepted by quality) or closed, an order
# is evidence: these fields no longer change except through a manager's
# reopening. ``closed_at`` and ``contract_end_date`` drive the retention clock.
EVIDENCE_FIELDS = (
    "partner_id",
    "received_at",
    # what the signed service report says: the job, where, who, when
    "description",
    "appliance",
    "serial_number",
    "category_id",
    "address",
    "user_id",
    "helper_ids",
    "team_id",
    "appointment_start",
    "appointment_end",
    "warranty",
    "warranty_end",
    "diagnosis",
    "plan",
    "quote_amount",
    "resolution",
    "work_hours",
    "customer_signature",
    "signed_by",
    "signed_on",
    "plan_author_id",
    "approved_by_id",
    "approved_on",
    "accepted_by_id",
    "accepted_on",
    "closed_at",
    "contract_end_date",
)


class ServiceOrder(models.Model):
    _name = "service.order"
    _description = "Service Order"
    _inherit = [
        "service.workflow.mixin",
        "service.sla.mixin",
        "portal.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "service.retention.mixin",
        "service.customer.notify.mixin",
    ]
    _order = "priority desc, received_at desc, id desc"
    _check_company_auto = True
    _primary_email = "contact_email"
    _workflow_fields = ("state", *sorted(PROTECTED_FIELDS))
    _workflow_moves = {
        "assessed": ("new",),
        "approved": ("assessed",),
        "scheduled": ("approved",),
        "in_progress": ("scheduled",),
        "to_accept": ("in_progress",),
        "done": ("to_accept",),
        "closed": ("done",),
        "cancelled": tuple(OPEN_STATES),
    }
    _workflow_final_states = ("done", "closed")
    _workflow_evidence_fields = EVIDENCE_FIELDS
    _workflow_reopen_states = {"done": "to_accept", "closed": "done"}
    _customer_notify_templates = {
        "received": (
            "service_quality.mail_template_service_order_received",
            "service_quality.sms_template_service_order_received",
        ),
        "appointment": (
            "service_quality.mail_template_service_order_appointment",
            "service_quality.sms_template_service_order_appointment",
        ),
        "on_the_way": (
            "service_quality.mail_template_service_order_on_the_way",
            "service_quality.sms_template_service_order_on_the_way",
        ),
        # the completion email with the report and the rating link is sent by
        # ``_send_completion_email``
        "done": (None, "service_quality.sms_template_service_order_done"),
    }

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="New", index=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True
    )
    contact_phone = fields.Char(compute="_compute_contact", store=True, readonly=False)
    contact_email = fields.Char(compute="_compute_contact", store=True, readonly=False)
    address = fields.Text(compute="_compute_contact", store=True, readonly=False)
    channel = fields.Selection(
        [
            ("phone", "Phone"),
            ("email", "Email"),
            ("web", "Website"),
            ("portal", "Portal"),
            ("walk_in", "Walk-in"),
            ("other", "Other"),
        ],
        default="phone",
        required=True,
    )
    category_id = fields.Many2one("service.category", string="Category", index=True, tracking=True)
    priority = fields.Selection(
        PRIORITIES,
        default="0",
        required=True,
        index=True,
    )
    description = fields.Html()
    appliance = fields.Char(
        string="Appliance / Installation", help="Brand, model or installation concerned."
    )
    serial_number = fields.Char()
    received_at = fields.Datetime(default=fields.Datetime.now, required=True, index=True)
    intake_user_id = fields.Many2one(
        "res.users",
        string="First Responder",
        default=lambda self: self.env.user,
        required=True,
        index=True,
        tracking=True,
        help="Whoever received the request stays accountable until closure "
        "(first-responder rule). Only a service manager can transfer it.",
    )
    user_id = fields.Many2one(
        "res.users", string="Technician", index=True, tracking=True, check_company=True
    )
    helper_ids = fields.Many2many(
        "res.users",
        "service_order_helper_rel",
        "order_id",
        "user_id",
        string="Helpers",
        check_company=True,
    )
    team_id = fields.Many2one(
        "service.team", string="Team", index=True, tracking=True, check_company=True
    )
    appointment_start = fields.Datetime(tracking=True, index=True)
    appointment_end = fields.Datetime(tracking=True)
    state = fields.Selection(
        STATES,
        default="new",
        required=True,
        tracking=True,
        index=True,
        copy=False,
        group_expand=True,  # kanban: every state in workflow order, empty ones too
    )
    # Assessment
    diagnosis = fields.Text(tracking=True)
    plan = fields.Text(tracking=True, help="Work plan shown to the customer before work starts.")
    currency_id = fields.Many2one(related="company_id.currency_id")
    quote_amount = fields.Monetary(string="Quoted Amount", tracking=True)
    warranty = fields.Selection(
        [("in", "In Warranty"), ("out", "Out of Warranty")], default="out", required=True
    )
    warranty_end = fields.Date(string="Warranty End")
    plan_author_id = fields.Many2one(
        "res.users", string="Plan Written By", copy=False, readonly=True
    )
    approval_required = fields.Boolean(related="category_id.approval_required")
    approved_by_id = fields.Many2one("res.users", string="Approved By", copy=False, readonly=True)
    approved_on = fields.Datetime(copy=False, readonly=True)
    # Completion
    resolution = fields.Text(string="Work Done", tracking=True)
    work_hours = fields.Float(string="Work Time (Hours)")
    accepted_by_id = fields.Many2one(
        "res.users", string="Quality Accepted By", copy=False, readonly=True
    )
    accepted_on = fields.Datetime(string="Quality Accepted On", copy=False, readonly=True)
    customer_signature = fields.Binary(copy=False, attachment=True)
    signed_by = fields.Char(copy=False, tracking=True)
    signed_on = fields.Datetime(copy=False, tracking=True)
    cancel_reason = fields.Text(copy=False, tracking=True)
    # SLA
    sla_policy_id = fields.Many2one(
        "service.sla.policy", string="SLA Policy", index=True, copy=False
    )
    response_deadline = fields.Datetime(index=True, copy=False)
    resolve_deadline = fields.Datetime(index=True, copy=False)
    response_warning_at = fields.Datetime(copy=False, readonly=True)
    resolve_warning_at = fields.Datetime(copy=False, readonly=True)
    responded_at = fields.Datetime(copy=False)
    resolved_at = fields.Datetime(copy=False)
    sla_status = fields.Selection(
        SLA_STATUSES,
        string="SLA Status",
        default="on_track",
        index=True,
        copy=False,
        tracking=True,
    )
    sla_breached = fields.Boolean(
        string="SLA Breached",
        index=True,
        copy=False,
        readonly=True,
        help="Set for good once a deadline was missed, even if the order is finished later.",
    )
    response_breached_at = fields.Datetime(copy=False, readonly=True)
    resolve_breached_at = fields.Datetime(copy=False, readonly=True)
    sla_warned = fields.Boolean(copy=False, readonly=True, help="At-risk warning already posted.")
    waiting = fields.Boolean(
        string="Waiting on Customer",
        tracking=True,
        copy=False,
        help="While waiting on the customer the SLA clock is paused and deadlines are extended.",
    )
    waiting_since = fields.Datetime(copy=False, readonly=True)
    paused_hours = fields.Float(
        string="Paused Working Hours", copy=False, readonly=True, digits=(16, 4)
    )
    # Feedback and return visit
    feedback_ids = fields.One2many("service.feedback", "service_order_id", string="Feedback")
    feedback_count = fields.Integer(compute="_compute_feedback_stats")
    feedback_score = fields.Float(string="Feedback Score", compute="_compute_feedback_stats")
    complaint_count = fields.Integer(compute="_compute_complaint_count")
    return_visit_date = fields.Date(copy=False, readonly=True)
    completion_pending = fields.Boolean(
        copy=False,
        readonly=True,
        index=True,
        help="Accepted, the signed service report and the completion email are still to be "
        "produced by their job.",
    )
    return_visit_done_on = fields.Datetime(copy=False, readonly=True)
    return_visit_note = fields.Text(copy=False)
    lead_id = fields.Many2one("crm.lead", string="Opportunity", index="btree_not_null", copy=False)
    is_service_manager = fields.Boolean(compute="_compute_is_service_manager")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    rework_of_id = fields.Many2one(
        "service.order",
        string="Rework Of",
        index="btree_not_null",
        copy=False,
        check_company=True,
        help="Set when this order repeats the work of an earlier order: that "
        "earlier order then no longer counts as fixed the first time when "
        "this one comes within 30 days of its resolution.",
    )
    rework_ids = fields.One2many("service.order", "rework_of_id", string="Rework Orders")
    complaint_ids = fields.One2many("service.complaint", "service_order_id", string="Complaints")
    closed_at = fields.Datetime(
        string="Closed On", readonly=True, copy=False, index=True, help="When the order was closed."
    )
    contract_end_date = fields.Date(
        string="Contract End",
        index=True,
        tracking=True,
        help="End of the service contract covering this order: the order is kept at least "
        "two years after it.",
    )
    preferred_slots = fields.Text(
        string="Preferred Time Slots",
        help="When the customer would like the visit, as given with the request.",
    )
    is_emergency = fields.Boolean(
        string="Emergency",
        tracking=True,
        index=True,
        copy=False,
        help="Round-the-clock SLA (24x7, whatever the working calendar), the on-duty team is "
        "paged at once and the customer gets an update at a set interval until resolved.",
    )
    emergency_plan_id = fields.Many2one(
        "service.emergency.plan",
        string="Emergency Plan",
        index="btree_not_null",
        check_company=True,
        tracking=True,
    )
    customer_update_hours = fields.Float(
        string="Customer Update Every (Hours)",
        default=2.0,
        help="Interval between two updates to the customer of an emergency order.",
    )
    last_customer_update_at = fields.Datetime(
        string="Last Customer Update", copy=False, readonly=True
    )
    next_update_due = fields.Datetime(
        string="Next Customer Update Due",
        compute="_compute_next_update_due",
        store=True,
        index="btree_not_null",
        help="When the customer of an open emergency order must next be told how it stands.",
    )
    update_reminded_for = fields.Datetime(copy=False, readonly=True)
    emergency_paged_at = fields.Datetime(string="Team Paged On", copy=False, readonly=True)
    kanban_color = fields.Integer(compute="_compute_kanban_color")

    _sql_constraints = [
        (
            "quote_amount_positive",
            "CHECK(quote_amount IS NULL OR quote_amount >= 0)",
            "The quoted amount cannot be negative.",
        ),
        (
            "work_hours_positive",
            "CHECK(work_hours IS NULL OR work_hours >= 0)",
            "The work time cannot be negative.",
        ),
    ]

    @api.depends(
        "is_emergency", "state", "received_at", "last_customer_update_at", "customer_update_hours"
    )
    def _compute_next_update_due(self):
        for order in self:
            if order.is_emergency and order.state in EMERGENCY_OPEN_STATES:
                last = order.last_customer_update_at or order.received_at
                order.next_update_due = last + timedelta(hours=order.customer_update_hours or 2.0)
            else:
                order.next_update_due = False

    @api.depends("is_emergency")
    def _compute_kanban_color(self):
        for order in self:
            order.kanban_color = 1 if order.is_emergency else 0

    @api.depends("partner_id")
    def _compute_contact(self):
        for order in self:
            partner = order.partner_id
            if not partner:
                continue
            order.contact_phone = order.contact_phone or partner.phone or partner.mobile
            order.contact_email = order.contact_email or partner.email
            order.address = order.address or partner._display_address(without_company=True)

    def _compute_feedback_stats(self):
        data = {
            order: (count, total)
            for order, count, total in self.env["service.feedback"]._read_group(
                [("service_order_id", "in", self.ids)],
                ["service_order_id"],
                ["__count", "score:sum"],
            )
        }
        for order in self:
            count, total = data.get(order, (0, 0))
            order.feedback_count = count
            order.feedback_score = total / count if count else 0.0

    def _compute_complaint_count(self):
        data = dict(
            self.env["service.complaint"]._read_group(
                [("service_order_id", "in", self.ids)], ["service_order_id"], ["__count"]
            )
        )
        for order in self:
            order.complaint_count = data.get(order, 0)

    @api.depends_context("uid")
    def _compute_is_service_manager(self):
        is_manager = self.env.user.has_group("service_quality.group_service_manager")
        for order in self:
            order.is_service_manager = is_manager

    def _compute_access_url(self):
        super()._compute_access_url()
        for order in self:
            order.access_url = f"/my/service_orders/{order.id}"

    def _get_report_base_filename(self):
        """File name of the service report downloaded from the portal."""
        self.ensure_one()
        return _("Service Report %(name)s", name=self.name)

    @api.constrains("received_at")
    def _check_received_at(self):
        self._check_date_not_future("received_at")

    @api.constrains("appointment_start", "appointment_end")
    def _check_appointment_dates(self):
        for order in self:
            if (
                order.appointment_start
                and order.appointment_end
                and order.appointment_end <= order.appointment_start
            ):
                raise ValidationError(
                    _(
                        "Order %(name)s: the appointment must end after it starts.",
                        name=order.name,
                    )
                )

    @api.constrains("user_id", "appointment_start", "appointment_end")
    def _check_appointment_overlap(self):
        """A technician is not booked twice. A move between two states other
        than cancelled changes no booking: ``write`` checks again only the
        orders that leave the cancelled state."""
        # sudo: a technician must be refused even for orders they cannot read
        Order = self.sudo()
        local_time = self.env["service.local.time"]
        for order in self:
            if not (order.user_id and order.appointment_start and order.appointment_end):
                continue
            if order.state == "cancelled":
                continue
            clash = Order.search(
                [
                    ("id", "!=", order.id),
                    ("user_id", "=", order.user_id.id),
                    ("state", "!=", "cancelled"),
                    ("appointment_start", "<", order.appointment_end),
                    ("appointment_end", ">", order.appointment_start),
                ],
                limit=1,
            )
            if clash:
                raise ValidationError(
                    _(
                        "Order %(name)s: %(tech)s is already booked on order %(other)s "
                        "from %(start)s to %(end)s.",
                        name=order.name,
                        tech=order.user_id.name,
                        other=clash.name,
                        start=local_time._format_local_datetime(clash.appointment_start),
                        end=local_time._format_local_datetime(clash.appointment_end),
                    )
                )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("state") == "closed" and not vals.get("closed_at"):
                vals["closed_at"] = fields.Datetime.now()
        unnamed = [vals for vals in vals_list if vals.get("name", "New") == "New"]
        for vals, name in zip(unnamed, self._next_order_names(len(unnamed)), strict=True):
            vals["name"] = name
        for vals in vals_list:
            if vals.get("waiting") and not vals.get("waiting_since"):
                vals["waiting_since"] = fields.Datetime.now()
        orders = super().create(vals_list)
        orders._sla_compute_deadlines()
        orders.filtered("is_emergency")._emergency_page()
        orders._customer_notify("received")
        return orders

    @api.model
    def _next_order_names(self, count):
        """``count`` order numbers; one ``nextval`` query for a whole batch when
        the sequence is a plain PostgreSQL sequence without date ranges."""
        if not count:
            return []
        Sequence = self.env["ir.sequence"]
        if count == 1:
            return [Sequence.next_by_code("service.order") or "New"]
        # sudo: numbering is not a user decision, like ir.sequence.next_by_code
        seq = (
            self.env["ir.sequence"]
            .sudo()
            .search(
                [
                    ("code", "=", "service.order"),
                    ("company_id", "in", [self.env.company.id, False]),
                ],
                order="company_id",
                limit=1,
            )
        )
        if not seq or seq.implementation != "standard" or seq.use_date_range:
            return [Sequence.next_by_code("service.order") or "New" for _i in range(count)]
        self.env.cr.execute(
            SQL(
                "SELECT nextval(%s) FROM generate_series(1, %s)",
                f"ir_sequence_{seq.id:03d}",
                count,
            )
        )
        return [seq.get_next_char(number) for (number,) in self.env.cr.fetchall()]

    def write(self, vals):
        if vals.get("state") == "closed" and "closed_at" not in vals:
            vals = dict(vals, closed_at=fields.Datetime.now())
        self._check_evidence_write(vals)
        self._check_workflow_write(vals)
        if "intake_user_id" in vals and not self.env.su:
            if not self.env.user.has_group("service_quality.group_service_manager"):
                changed = self.filtered(lambda o: o.intake_user_id.id != vals["intake_user_id"])
                if changed:
                    raise UserError(
                        _(
                            "Order %(name)s: only a service manager can transfer the first "
                            "responder.",
                            name=changed[0].name,
                        )
                    )
        if self.filtered(lambda o: o.state == "cancelled") and set(vals) - {
            "message_main_attachment_id",
            "access_token",
        }:
            if not self.env.context.get("service_order_allow_cancelled"):
                cancelled = self.filtered(lambda o: o.state == "cancelled")
                if "state" in vals or set(vals) & set(self._service_business_fields()):
                    raise UserError(
                        _(
                            "Order %(name)s is cancelled and cannot be changed.",
                            name=cancelled[0].name,
                        )
                    )
        if vals.get("customer_signature") and not vals.get("signed_on"):
            vals["signed_on"] = fields.Datetime.now()
        resumed = self.browse()
        if "waiting" in vals:
            now = fields.Datetime.now()
            if vals["waiting"]:
                vals["waiting_since"] = now
            else:
                resumed = self.filtered(lambda o: o.waiting and o.waiting_since)
                resumed._sla_add_pause(now)
        plan_changed = self.browse()
        if {"plan", "diagnosis"} & set(vals) and "state" not in vals:
            plan_changed = self.filtered(
                lambda o: o.state in PLAN_LOCKED_STATES
                and any(o[f] != vals[f] for f in ("plan", "diagnosis") if f in vals)
            )
        uncancelled = self.browse()
        if vals.get("state") and vals["state"] != "cancelled":
            uncancelled = self.filtered(lambda o: o.state == "cancelled")
        res = super().write(vals)
        uncancelled._check_appointment_overlap()
        if vals.get("is_emergency"):
            self.filtered(lambda o: not o.emergency_paged_at)._emergency_page()
        if set(APPOINTMENT_FIELDS) & set(vals):
            self.filtered(lambda o: o.state == "scheduled")._customer_notify_appointment()
        if "customer_signature" in vals:
            self._log_signature_change(bool(vals["customer_signature"]))
        if set(SLA_TRIGGER_FIELDS) & set(vals) or resumed:
            self.filtered(
                lambda o: o.state not in ("done", "closed", "cancelled")
            )._sla_compute_deadlines()
        if plan_changed:
            plan_changed._workflow_write(
                {
                    "state": "assessed",
                    "approved_by_id": False,
                    "approved_on": False,
                    "plan_author_id": self.env.user.id,
                }
            )
            for order in plan_changed:
                order.message_post(
                    body=_(
                        "The plan changed during the work: the order is back to Assessed "
                        "for re-approval."
                    ),
                    subtype_xmlid="mail.mt_note",
                )
        return res

    def _log_signature_change(self, signed):
        """A signature is evidence: its recording or removal stands in the
        chatter with who did it and when (binary fields have no tracking)."""
        # a note for whoever follows the order: in the company's language and
        # time zone, whoever signed (a portal customer, a technician)
        for part in self._notify_by_lang():
            local_time = part.env["service.local.time"]
            for order in part:
                if signed:
                    body = part.env._(
                        "Customer signature recorded: %(signer)s, %(when)s.",
                        signer=order.signed_by or "–",
                        when=local_time._format_local_datetime(
                            order.signed_on, reader=False, company=order.company_id
                        ),
                    )
                else:
                    body = part.env._("Customer signature removed.")
                order._message_log(body=body)

    def _workflow_error(self, field_names, vals=None):
        """The state moves through the action methods (and their checks) only;
        SLA bookkeeping and sign-offs are written by the engine, not by hand."""
        name = (vals or {}).get("name") if vals is not None else self[:1].name
        if "state" in field_names:
            return UserError(
                _("Order %(name)s: use the workflow buttons to change its state.", name=name or "")
            )
        labels = ", ".join(self._fields[f]._description_string(self.env) for f in field_names)
        return UserError(
            _(
                "Order %(name)s: %(fields)s are set by the system and cannot be edited.",
                name=name or "",
                fields=labels,
            )
        )

    @api.model
    def _service_business_fields(self):
        return [
            "partner_id", "category_id", "priority", "user_id", "team_id",
            "appointment_start", "appointment_end", "diagnosis", "plan", "resolution",
            "customer_signature", "signed_by", "waiting", "quote_amount",
        ]  # fmt: skip

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """Incoming mail on the service alias: one order per new thread."""
        values = dict(custom_values or {})
        email_from = msg_dict.get("email_from") or ""
        partner = self.env["res.partner"].browse(msg_dict.get("author_id") or [])
        if not partner and email_from:
            partner = self.env["mail.thread"]._mail_find_partner_from_emails(
                [email_from], force_create=True
            )[0]
        values.setdefault("partner_id", partner.id)
        values.setdefault("channel", "email")
        values.setdefault("name", "New")  # numbered by the sequence, not the subject
        values.setdefault("contact_email", partner.email or email_from)
        subject = msg_dict.get("subject") or ""
        body = msg_dict.get("body") or ""
        values.setdefault("description", f"<p><b>{subject}</b></p>{body}" if subject else body)
        return super().message_new(msg_dict, custom_values=values)

    def message_post(self, **kwargs):
        message = super().message_post(**kwargs)
        # A first message to the customer counts as the response; automatic
        # messages (a request's confirmation) do not.
        if (
            not self.env.context.get("service_order_automatic")
            and message.message_type == "comment"
            and message.subtype_id == self.env.ref("mail.mt_comment")
            and message.author_id.user_ids
            and not message.author_id.user_ids[0].share
        ):
            pending = self.filtered(lambda o: not o.responded_at)
            if pending:
                pending.sudo()._sla_register_response(fields.Datetime.now())
            if self.partner_id & (message.partner_ids | self.message_partner_ids):
                self._emergency_register_update()
        return message

    # ------------------------------------------------------------------
    # State machine
    # ------------------------------------------------------------------
    def _check_transition(self, new_state):
        """Refuse a move of ``self`` to ``new_state`` with a message naming the
        missing step. Other addons extend it (certified-to-work rule, tools
        still checked out, ...) and must call ``super()``."""
        labels = dict(self._fields["state"]._description_selection(self.env))
        for order in self:
            if order.state == "cancelled":
                raise UserError(
                    _("Order %(name)s is cancelled and cannot be changed.", name=order.name)
                )
            if new_state == "cancelled" and order.state not in OPEN_STATES:
                raise UserError(
                    _(
                        "Order %(name)s is %(state)s and can no longer be cancelled.",
                        name=order.name,
                        state=labels[order.state],
                    )
                )
            order._workflow_check_state(new_state)
            order._check_transition_rights(new_state)
            order._check_transition_requirements(new_state)

    def _workflow_check_move(self, target):
        self._check_transition(target)

    def _workflow_previous_states(self, target):
        previous = super()._workflow_previous_states(target)
        # Without a mandatory approval, an assessed order may be scheduled.
        if target == "scheduled" and not self.category_id.approval_required:
            previous += ("assessed",)
        return previous

    def _check_transition_rights(self, new_state):
        """Role check of the current user for moving ``self`` to ``new_state``."""
        self.ensure_one()
        if self.env.su:
            return
        user = self.env.user
        labels = dict(self._fields["state"]._description_selection(self.env))
        dispatcher = user.has_group("service_quality.group_service_dispatcher")
        if new_state == "approved":
            # the group ids of the user and the xml id are cached: no query
            group = self.category_id.approval_group_id or self.env["res.groups"].browse(
                self.env["ir.model.data"]._xmlid_to_res_id("service_quality.group_service_manager")
            )
            if group.id not in user._get_group_ids():
                raise UserError(
                    _(
                        "Order %(name)s: only a member of %(group)s can approve the plan.",
                        name=self.name,
                        group=group.display_name,
                    )
                )
            if self.plan_author_id == user:
                raise UserError(
                    _(
                        "Order %(name)s: you wrote this plan; another user of %(group)s "
                        "must approve it.",
                        name=self.name,
                        group=group.display_name,
                    )
                )
            return
        allowed = True
        if new_state in ("scheduled", "cancelled", "closed"):
            allowed = dispatcher or (
                new_state == "closed" and user.has_group("service_quality.group_quality_inspector")
            )
        elif new_state == "done":
            allowed = user.has_group("service_quality.group_quality_inspector")
        elif new_state in ("in_progress", "to_accept"):
            allowed = dispatcher or user in (self.user_id | self.helper_ids)
        elif new_state == "assessed":
            allowed = user.has_group("service_quality.group_service_user")
        if not allowed:
            raise UserError(
                _(
                    "Order %(name)s: you are not allowed to move it to %(target)s.",
                    name=self.name,
                    target=labels[new_state],
                )
            )

    def _check_transition_requirements(self, new_state):
        """Data that must be present before ``self`` enters ``new_state``."""
        self.ensure_one()
        missing = []
        if new_state == "assessed":
            if not self.diagnosis:
                missing.append(_("a diagnosis"))
            if not self.plan:
                missing.append(_("a plan"))
        elif new_state == "scheduled":
            if not self.user_id:
                missing.append(_("a technician"))
            if not (self.appointment_start and self.appointment_end):
                missing.append(_("an appointment"))
        elif new_state == "to_accept":
            if not self.resolution:
                missing.append(_("the work done"))
        elif new_state == "done":
            if not self.customer_signature:
                missing.append(_("the customer's signature"))
            if not self.signed_by:
                missing.append(_("the name of the person who signed"))
        elif new_state == "closed":
            visit = self.return_visit_done_on or self.env.context.get("service_return_visit")
            if not self.feedback_ids and not visit:
                missing.append(_("customer feedback or a return visit"))
        elif new_state == "cancelled":
            reason = self.env.context.get("service_cancel_reason") or self.cancel_reason
            if not (reason or "").strip():
                missing.append(_("a cancellation reason"))
        if missing:
            raise UserError(
                _(
                    "Order %(name)s is missing %(missing)s.",
                    name=self.name,
                    missing=", ".join(missing),
                )
            )

    def _workflow_move(self, target, vals=None):
        now = fields.Datetime.now()
        first_moves = self.filtered(lambda o: o.state == "new" and not o.responded_at)
        super()._workflow_move(target, vals)
        if first_moves:
            first_moves._sla_register_response(now)
        return True

    def _workflow_reopen_values(self, target):
        """Back from done, the customer signs and quality accepts again; back
        from closed, the order is open for feedback again."""
        vals = super()._workflow_reopen_values(target)
        if target == "to_accept":
            vals.update(
                accepted_by_id=False,
                accepted_on=False,
                customer_signature=False,
                signed_by=False,
                signed_on=False,
            )
        elif target == "done":
            vals.update(closed_at=False)
        return vals

    def action_assess(self):
        return self._workflow_move("assessed", {"plan_author_id": self.env.user.id})

    def action_approve(self):
        return self._workflow_move(
            "approved", {"approved_by_id": self.env.user.id, "approved_on": fields.Datetime.now()}
        )

    def action_schedule(self):
        self._workflow_move("scheduled")
        self._customer_notify_appointment()
        return True

    def action_start(self):
        return self._workflow_move("in_progress")

    def action_finish(self):
        return self._workflow_move("to_accept")

    def action_accept(self):
        """Quality acceptance. The signed service report (a PDF rendered by
        wkhtmltopdf) and the completion email that carries it are produced by
        a job triggered here, after the click: ``completion_pending`` marks
        the orders it still has to do."""
        now = fields.Datetime.now()
        self._workflow_move(
            "done",
            {
                "accepted_by_id": self.env.user.id,
                "accepted_on": now,
                "resolved_at": now,
                "completion_pending": True,
            },
        )
        self._sla_register_resolution()
        self._schedule_return_visit()
        IrModelData = self.env["ir.model.data"]
        cron_ids = [
            IrModelData._xmlid_to_res_id(xmlid, raise_if_not_found=False)
            for xmlid in COMPLETION_CRONS
        ]
        crons = self.env["ir.cron"].sudo().browse([cron_id for cron_id in cron_ids if cron_id])
        if crons:
            for cron in crons:
                cron._trigger()
        else:
            self._complete_orders()
        self._customer_notify("done")
        return True

    def action_close(self):
        return self._workflow_move("closed")

    def action_cancel(self, reason=None):
        vals = {"waiting": False}
        if reason:
            vals["cancel_reason"] = reason
        # the reason is checked from the context so that nothing is written on refusal
        return self.with_context(service_cancel_reason=reason)._workflow_move("cancelled", vals)

    def action_open_cancel_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": _("Cancel Service Order"),
            "res_model": "service.order.cancel",
            "view_mode": "form",
            "target": "new",
            "context": {"default_order_ids": self.ids},
        }

    def action_wait_customer(self):
        for order in self:
            if order.state not in OPEN_STATES:
                raise UserError(
                    _(
                        "Order %(name)s is not open: it cannot wait on the customer.",
                        name=order.name,
                    )
                )
        self.filtered(lambda o: not o.waiting).write({"waiting": True})
        return True

    def action_resume(self):
        self.filtered("waiting").write({"waiting": False})
        return True

    def action_record_return_visit(self):
        """Return visit done: closes the order (the note is kept on the order)."""
        for order in self:
            if order.state != "done":
                raise UserError(
                    _("Order %(name)s must be Done before its return visit.", name=order.name)
                )
        visited = self.with_context(service_return_visit=True)
        visited._workflow_move("closed", {"return_visit_done_on": fields.Datetime.now()})
        activity_type = self.env.ref("service_quality.mail_activity_type_return_visit")
        self.activity_ids.filtered(lambda a: a.activity_type_id == activity_type).action_done()
        return True

    def action_view_feedback(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "service_quality.service_feedback_action"
        )
        action["domain"] = [("service_order_id", "=", self.id)]
        action["context"] = {"default_service_order_id": self.id, "default_channel": "phone"}
        return action

    def action_record_feedback(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Record Feedback"),
            "res_model": "service.feedback",
            "view_mode": "form",
            "target": "new",
            "context": {"default_service_order_id": self.id, "default_channel": "phone"},
        }

    def action_view_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "service_quality.service_complaint_action"
        )
        action["domain"] = [("service_order_id", "=", self.id)]
        action["context"] = {
            "default_service_order_id": self.id,
            "default_partner_id": self.partner_id.id,
        }
        return action

    def action_send_rating_link(self):
        self._send_completion_email()
        return True

    # ------------------------------------------------------------------
    # Completion: email, rating link, return visit
    # ------------------------------------------------------------------
    def _rating_access_token(self):
        """Token of the rating link: the access token of the order's pending
        ``rating.rating`` for its customer (created when missing), which opens
        the rating page of this order and nothing else (not the order's
        portal page, its signature or its report)."""
        self.ensure_one()
        return self._rating_get_access_token()

    def _get_rating_url(self):
        """Rating link in the customer's language (its code in the path, as
        the website routing expects)."""
        self.ensure_one()
        lang = self.env["res.lang"]._get_data(code=self.partner_id.lang or "")
        # sudo: reading the default language of partners
        default = self.env["ir.default"].sudo()._get("res.partner", "lang") or "en_US"
        prefix = f"/{lang.url_code}" if lang.url_code and lang.code != default else ""
        return f"{self.get_base_url()}{prefix}/service/rate/{self.id}/{self._rating_access_token()}"

    def _rating_from_token(self, token):
        """The rating of this order whose access token is ``token``, or an
        empty recordset (sudo: the link is the credential)."""
        self.ensure_one()
        if not token:
            return self.env["rating.rating"]
        rating = (
            self.env["rating.rating"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "=", self.id),
                    ("access_token", "=", token),
                ],
                limit=1,
            )
        )
        return rating if rating and consteq(rating.access_token, token) else rating.browse()

    def _complete_orders(self):
        """Store the signed service report of each order as an attachment of
        the order, then queue the completion email (which reuses it), in the
        name of whoever accepted the work."""
        report = self.env.ref("service_quality.report_service_order", raise_if_not_found=False)
        if report:
            self._attach_signed_report(report)
        for acceptor, orders in self.grouped("accepted_by_id").items():
            # sudo: the job acts for the acceptor, who accepted the work with the rights to it
            orders.with_user(acceptor or self.env.user).sudo()._send_completion_email()
        self._with_workflow_pass().sudo().write({"completion_pending": False})

    def _attach_signed_report(self, report):
        """Keep with each order the report as the customer signed it. The
        report action names the stored PDF (``attachment``: order and date of
        signature) and reuses it (``attachment_use``), so the email, the
        portal and later prints give that same document; rendering saves it.
        Rendered in another format (HTML in test mode), it is attached here
        under the same name."""
        report = report.sudo()
        names = {
            order: safe_eval(report.attachment or "False", {"object": order, "time": time})
            for order in self
        }
        todo = self.filtered(lambda o: names[o] and not report.retrieve_attachment(o))
        if not todo:
            return
        Report = self.env["ir.actions.report"]
        vals_list = []
        # one wkhtmltopdf run per order: a multi-record run needs the PDF
        # outlines of a wkhtmltopdf "with patched qt" to be split per order
        for order in todo:
            content, fmt = Report._render_qweb_pdf(report, order.ids)
            if report.retrieve_attachment(order):
                continue  # saved by the report action
            vals_list.append(
                {
                    "name": names[order],
                    "raw": content,
                    "res_model": order._name,
                    "res_id": order.id,
                    "mimetype": "application/pdf" if fmt == "pdf" else "text/html",
                }
            )
        # sudo: the job stores the evidence whoever accepted the order
        self.env["ir.attachment"].sudo().create(vals_list)

    @api.model
    def _cron_complete_orders(self, batch_size=2, seconds=1):
        """Job of the accepted orders: signed report attached, completion
        email queued; one locked batch per call. Rendering stops once the
        call has used ``seconds`` (after one order at least): the rest of the
        batch stays pending for the next call.

        Calls are short on purpose: the batch's orders stay locked until the
        call commits, and the customer's feedback, given right after the
        acceptance, closes the order, so it waits for that lock (then Odoo
        replays it after the serialization conflict). The wait lasts as long
        as the call renders: with one or two PDFs per call, about a second
        (a batch of 20 under load: up to 10 s). The cron runner calls the job
        again at once while orders are left, ten calls per cycle."""
        condition = SQL("completion_pending")
        orders = self._cron_lock_batch(condition, batch_size)
        if orders:
            orders = orders._render_signed_reports(seconds)
            orders._complete_orders()
        return self._cron_done(len(orders), self._cron_count(condition))

    def _render_signed_reports(self, seconds):
        """Attach the signed report of the orders one by one until ``seconds``
        have passed; return the orders whose report is attached."""
        report = self.env.ref("service_quality.report_service_order", raise_if_not_found=False)
        if not report:
            return self
        rendered = []
        for order in self._cron_until(self, seconds):
            order._attach_signed_report(report)
            rendered.append(order.id)
        return self.browse(rendered)

    def _send_completion_email(self):
        template = self.env.ref(
            "service_quality.mail_template_service_order_done", raise_if_not_found=False
        )
        if not template:
            return
        for order in self:
            if not (order.partner_id.email or order.contact_email):
                order.message_post(
                    body=_("No email address for the customer: the completion email was not sent."),
                    subtype_xmlid="mail.mt_note",
                )
                continue
            order._portal_ensure_token()
            template.send_mail(
                order.id, force_send=False, email_layout_xmlid="mail.mail_notification_light"
            )
            order.message_post(
                body=_(
                    "Completion email with the service report and the rating link "
                    "queued to %(email)s.",
                    email=order.partner_id.email or order.contact_email,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _schedule_return_visit(self):
        """Date the return visit of each order (days of its category, else 3)
        and give the intake user (else the team leader) the activity."""
        today = fields.Date.context_today(self)
        for order in self:
            days = order.category_id.return_visit_days if order.category_id else 3
            order.return_visit_date = today + timedelta(days=days)
            # sudo: the visit is planned for its user whoever finished the work
            order.sudo().activity_schedule(
                "service_quality.mail_activity_type_return_visit",
                date_deadline=order.return_visit_date,
                summary=_("Return visit to %(customer)s", customer=order.partner_id.name),
                user_id=(order.intake_user_id or order.team_id.leader_id or self.env.user).id,
            )

    def _close_after_feedback(self):
        """Feedback recorded: close the orders that wait for it (sudo by
        callers). An order rated low stays done until the complaint its
        rating opened is handled (``_close_after_complaint``). The feedback
        is not a return visit: the return-visit activity is cancelled, not
        marked done, and the order's history says why it closed, in the
        name of whoever recorded the feedback (OdooBot for an anonymous
        rating link: see the rating controller)."""
        to_close = self.filtered(
            lambda o: o.state == "done" and not o.feedback_ids.filtered("is_low_score")
        )
        for order in to_close:
            feedback = order.feedback_ids.sorted("id")[-1:]
            order._close_without_return_visit(
                _(
                    "Closed on the customer's feedback (overall score %(score)s/5, %(channel)s): "
                    "no return visit is needed.",
                    score=feedback.score,
                    channel=dict(feedback._fields["channel"]._description_selection(self.env)).get(
                        feedback.channel
                    ),
                )
            )

    def _close_after_complaint(self, complaint):
        """The complaint opened by a low rating of these orders was handled:
        close the orders that wait for it (done, rated, no other complaint of
        theirs still open)."""
        open_orders = (
            self.env["service.complaint"]
            .sudo()
            .search([("service_order_id", "in", self.ids), ("state", "!=", "closed")])
            .service_order_id
        )
        for order in self.filtered(lambda o: o.state == "done" and o.feedback_ids) - open_orders:
            order._close_without_return_visit(
                _(
                    "Closed: complaint %(complaint)s opened by the customer's rating was handled.",
                    complaint=complaint.name,
                )
            )

    def _close_without_return_visit(self, reason):
        self.ensure_one()
        # sudo: whoever records feedback or closes the complaint closes the order
        order = self.sudo()
        type_id = self.env["ir.model.data"]._xmlid_to_res_id(
            "service_quality.mail_activity_type_return_visit"
        )
        order.activity_ids.filtered(lambda a: a.activity_type_id.id == type_id).unlink()
        order._workflow_move("closed")
        order.message_post(body=reason, subtype_xmlid="mail.mt_note")

    # ------------------------------------------------------------------
    # Records retention
    # ------------------------------------------------------------------
    def _retention_dependents(self):
        """An order's file includes its customer feedback."""
        feedback = self.env["service.feedback"].search([("service_order_id", "in", self.ids)])
        return [*super()._retention_dependents(), (feedback, "service_order_id")]

    # ------------------------------------------------------------------
    # Portal requests
    # ------------------------------------------------------------------
    @api.model
    def _portal_periods(self):
        """Parts of the day a customer may prefer for the visit, with their
        labels in the current language."""
        return [
            ("morning", _("Morning (08:00-12:00)")),
            ("afternoon", _("Afternoon (13:00-17:00)")),
            ("evening", _("Evening (17:00-20:00)")),
        ]

    @api.model
    def _check_portal_request(self, values, photos, slots):
        """Refuse a portal request that misses what the dispatcher needs, or
        carries photos that are not images or are too large. Returns nothing;
        raises ``ValidationError`` naming the problem."""
        missing = [
            label
            for field, label in (
                ("appliance", _("the product or appliance")),
                ("address", _("the address")),
                ("description", _("a description of the problem")),
            )
            if not (values.get(field) or "").strip()
        ]
        if missing:
            raise ValidationError(
                _("Your request is missing %(missing)s.", missing=", ".join(missing))
            )
        if len(photos) > MAX_PHOTOS:
            raise ValidationError(_("Attach at most %(count)s photos.", count=MAX_PHOTOS))
        for name, data in photos:
            if len(data) > MAX_PHOTO_BYTES:
                raise ValidationError(
                    _("Photo %(name)s is larger than 10 MB.", name=name or _("(no name)"))
                )
            if not guess_mimetype(data).startswith("image/"):
                raise ValidationError(
                    _("%(name)s is not a photo (JPEG, PNG...).", name=name or _("(no name)"))
                )
        if len(slots) > MAX_SLOTS:
            raise ValidationError(_("Give at most %(count)s time slots.", count=MAX_SLOTS))
        today = fields.Date.context_today(self)
        periods = dict(self._portal_periods())
        for day, period in slots:
            if day < today:
                raise ValidationError(
                    _("The time slot on %(date)s is in the past.", date=fields.Date.to_string(day))
                )
            if period not in periods:
                raise ValidationError(_("Choose a part of the day for each time slot."))

    @api.model
    def _create_portal_request(self, partner, values, photos=(), slots=()):
        """Create the service order a customer requests on the portal.

        ``values``: ``appliance``, ``serial_number``, ``address``,
        ``description`` (plain text), optional ``category_id``; ``photos``:
        ``[(file name, bytes)]`` attached to the order; ``slots``:
        ``[(date, period)]`` preferred for the visit. The order is numbered,
        gets its SLA deadlines, is owned by the dispatcher on duty
        (``service.team._dispatcher_on_duty``: first-responder rule for
        requests nobody received in person) and the customer follows it and
        gets the confirmation email. Called by the portal controller, which
        has checked that ``partner`` is the logged-in customer.
        """
        photos = list(photos)
        slots = sorted(set(slots))
        self._check_portal_request(values, photos, slots)
        company = partner.company_id or self.env.company
        dispatcher, team = self.env["service.team"]._dispatcher_on_duty(company)
        if not dispatcher:
            raise UserError(
                _(
                    "No dispatcher can receive requests for %(company)s: add one to a team's "
                    "dispatcher roster.",
                    company=company.name,
                )
            )
        category = self.env["service.category"].sudo().browse(values.get("category_id")).exists()
        lang = dispatcher.lang or company.partner_id.lang or self.env.lang
        labels = dict(self.with_context(lang=lang)._portal_periods())
        # sudo: portal customers cannot create orders; the values come from the
        # checked form and the customer is the logged-in partner
        order = (
            self.sudo()
            .with_context(mail_create_nosubscribe=True)
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "channel": "portal",
                    "intake_user_id": dispatcher.id,
                    "team_id": team.id,
                    "category_id": category.id,
                    "appliance": values["appliance"].strip(),
                    "serial_number": (values.get("serial_number") or "").strip() or False,
                    "address": values["address"].strip(),
                    "contact_phone": (values.get("phone") or "").strip()
                    or partner.phone
                    or partner.mobile,
                    "contact_email": partner.email,
                    "description": plaintext2html(values["description"].strip()),
                    "preferred_slots": "\n".join(
                        f"{fields.Date.to_string(day)} · {labels[period]}" for day, period in slots
                    )
                    or False,
                }
            )
        )
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                [
                    {
                        "name": name or _("Photo %(number)s", number=index),
                        "datas": base64.b64encode(data),
                        "res_model": self._name,
                        "res_id": order.id,
                    }
                    for index, (name, data) in enumerate(photos, start=1)
                ]
            )
        )
        order.message_subscribe(partner_ids=partner.ids)
        order.message_subscribe(partner_ids=dispatcher.partner_id.ids)
        order._send_request_confirmation(attachments)
        return order

    def _send_request_confirmation(self, attachments=None):
        """Confirmation of a customer's request, in the order's history (the
        customer reads it on the portal) and by email to the customer: number,
        deadlines in the customer's time zone, who looks after it. Not a
        response in the SLA's sense: a person still has to answer."""
        template = self.env.ref(
            "service_quality.mail_template_service_order_received", raise_if_not_found=False
        )
        if not template:
            return
        for order in self:
            # posted as the dispatcher who owns the request: the customer (the
            # user of the portal request) is then a recipient, not the author
            poster = order.with_user(order.intake_user_id).sudo()
            poster.with_context(service_order_automatic=True).message_post_with_source(
                template,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                author_id=order.intake_user_id.partner_id.id,
                attachment_ids=[(6, 0, (attachments or self.env["ir.attachment"]).ids)],
            )

    # ------------------------------------------------------------------
    # Service app home
    # ------------------------------------------------------------------
    @api.model
    def _action_service_home(self):
        """First screen of the Service app: the agenda (today's and upcoming
        appointments) for technicians, the order list for the office
        (dispatchers, quality inspectors, managers, archivists)."""
        user = self.env.user
        office = any(
            user.has_group(group)
            for group in (
                "service_quality.group_service_dispatcher",
                "service_quality.group_quality_inspector",
                "service_quality.group_archivist",
            )
        )
        xmlid = (
            "service_quality.service_order_action"
            if office
            else "service_quality.service_order_action_agenda"
        )
        return self.env["ir.actions.act_window"]._for_xml_id(xmlid)

    # ------------------------------------------------------------------
    # Emergency orders and customer notifications
    # ------------------------------------------------------------------
    def _sla_is_24x7(self, policy):
        """An emergency order runs on plain hours whatever the calendar."""
        return super()._sla_is_24x7(policy) or self.is_emergency

    def _phone_get_number_fields(self):
        return ["contact_phone"]

    def _customer_notify_email_to(self):
        return self.contact_email or self.partner_id.email

    def _customer_notify_phone(self):
        return self.contact_phone or super()._customer_notify_phone()

    def _customer_notify_allowed(self, event, channel):
        # a portal request's confirmation comes with its photos from
        # ``_send_request_confirmation``
        if event == "received" and channel == "email" and self.channel == "portal":
            return False
        return super()._customer_notify_allowed(event, channel)

    def _customer_notify_appointment(self):
        """Tell the customers of scheduled orders their appointment: once per
        technician and time window (a moved appointment is told again)."""
        orders = self.filtered(lambda o: o.appointment_start and o.user_id)
        keys = {
            order.id: f"{order.appointment_start}|{order.appointment_end}|{order.user_id.id}"
            for order in orders
        }
        return orders._customer_notify("appointment", keys)

    def action_on_the_way(self):
        """The technician leaves for the customer: the customer is told (once
        per appointment)."""
        for order in self:
            if order.state not in ("scheduled", "in_progress"):
                raise UserError(
                    _(
                        "Order %(name)s has no appointment under way: the customer cannot be "
                        "told that the technician is on the way.",
                        name=order.name,
                    )
                )
        keys = {order.id: str(order.appointment_start or "") for order in self}
        told = self._customer_notify("on_the_way", keys)
        if not told:
            raise UserError(
                _(
                    "Order %(name)s: the customer was already told, opted out or has no email "
                    "address or phone number.",
                    name=self[:1].name,
                )
            )
        return True

    def _emergency_members(self):
        """Users paged by an emergency order: its team (else its plan's team)
        with the team leader."""
        self.ensure_one()
        team = self.team_id or self.emergency_plan_id.team_id
        return (team.member_ids | team.leader_id | team.dispatcher_ids).filtered("active")

    def _emergency_page(self):
        """Page the on-duty team of emergency orders at once: a notification
        (inbox and email per their preference) to every member in one post
        per order, and an activity for each of them."""
        if not self:
            return
        now = fields.Datetime.now()
        activity_type = self.env.ref("service_quality.mail_activity_type_emergency")
        assignments = []
        # sudo: the team is paged whoever records the emergency
        for order in self.sudo():
            members = order._emergency_members()
            if not members:
                order.message_post(
                    body=_(
                        "Emergency order %(name)s has no team to page: set its service team.",
                        name=order.name,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
                continue
            order.message_notify(
                partner_ids=members.partner_id.ids,
                subject=_("Emergency: %(name)s", name=order.name),
                body=_(
                    "Emergency order %(name)s for %(customer)s: %(appliance)s. Respond now.",
                    name=order.name,
                    customer=order.partner_id.display_name or "",
                    appliance=order.appliance or "",
                ),
                model_description=order._description,
            )
            assignments += [
                {
                    "res_id": order.id,
                    "user_id": user.id,
                    "summary": _("Emergency: respond now"),
                    "date_deadline": fields.Date.context_today(order),
                }
                for user in members
            ]
        self._notify_schedule_batch(activity_type, assignments)
        self._with_workflow_pass().sudo().write({"emergency_paged_at": now})

    def _emergency_register_update(self):
        """A message to the customer of an open emergency order is an update:
        the next one is due an interval later."""
        emergencies = self.filtered(lambda o: o.is_emergency and o.state in EMERGENCY_OPEN_STATES)
        if emergencies:
            # sudo: the clock moves whoever wrote to the customer
            emergencies.sudo().write({"last_customer_update_at": fields.Datetime.now()})

    @api.model
    def _cron_emergency_update_due(self, batch_size=500):
        """Remind the owner (first responder, else the technician) of each
        open emergency order whose customer update is due: one activity per
        due date, one locked batch per call."""
        now = fields.Datetime.now()
        condition = SQL(
            "is_emergency AND next_update_due <= %s "
            "AND (update_reminded_for IS NULL OR update_reminded_for < next_update_due)",
            now,
        )
        orders = self._cron_lock_batch(condition, batch_size)
        if orders:
            activity_type = self.env.ref("service_quality.mail_activity_type_customer_update")
            assignments = []
            bodies = {}
            # the note and the activity are read by the order's owner
            owners = {
                order.id: order.intake_user_id or order.user_id or order.team_id.leader_id
                for order in orders
            }
            for part in orders._notify_by_lang(owners):
                local_time = part.env["service.local.time"]
                for order in part:
                    owner = owners[order.id]
                    due = local_time._format_local_datetime(
                        order.next_update_due, reader=owner, company=order.company_id
                    )
                    if owner:
                        assignments.append(
                            {
                                "res_id": order.id,
                                "user_id": owner.id,
                                "summary": part.env._("Update the customer (due %(due)s)", due=due),
                            }
                        )
                    bodies[order.id] = part.env._(
                        "Customer update due since %(due)s for emergency order %(name)s.",
                        due=due,
                        name=order.name,
                    )
            self.env.cr.execute(
                SQL(
                    "UPDATE service_order SET update_reminded_for = next_update_due "
                    "WHERE id IN %s",
                    tuple(orders.ids),
                )
            )
            orders.invalidate_recordset(["update_reminded_for"])
            orders._notify_log_batch(bodies)
            orders._notify_schedule_batch(activity_type, assignments)
        return self._cron_done(len(orders), self._cron_count(condition))
