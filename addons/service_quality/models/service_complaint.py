from collections import defaultdict
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, is_html_empty

# Hours allowed before a complaint must be acknowledged (general) or its
# special handling started (major).
RESPONSE_HOURS = {"general": 24, "major": 48}
OPEN_STATES = ("new", "acknowledged", "investigating", "action", "resolved")


class ServiceComplaint(models.Model):
    _name = "service.complaint"
    _description = "Service Complaint"
    _inherit = [
        "service.workflow.mixin",
        "service.notify.mixin",
        "service.cron.mixin",
        "service.retention.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "service.customer.notify.mixin",
    ]
    _order = "received_at desc, id desc"
    _customer_notify_templates = {
        "complaint_received": (
            "service_quality.mail_template_service_complaint_received",
            "service_quality.sms_template_service_complaint_received",
        ),
        "complaint_resolved": (
            "service_quality.mail_template_service_complaint_resolved",
            "service_quality.sms_template_service_complaint_resolved",
        ),
    }
    _check_company_auto = True
    _workflow_fields = (
        "state",
        "acknowledged_at",
        "hours_to_acknowledge",
        "responded_at",
        "closed_at",
        "hours_to_close",
        "reopen_count",
    )
    _workflow_moves = {
        "acknowledged": ("new",),
        "investigating": ("acknowledged",),
        "action": ("investigating",),
        "resolved": ("action",),
        "closed": ("resolved",),
    }
    _workflow_final_states = ("closed",)
    _workflow_evidence_fields = (
        "partner_id",
        "service_order_id",
        "feedback_id",
        "channel",
        "received_at",
        "category_id",
        "investigator_ids",
        "severity",
        "description",
        "findings",
        "handling_plan",
        "resolution",
        "cause_id",
        "department_id",
        "responsible_id",
        "customer_answer",
        "customer_answer_note",
        "acknowledged_at",
        "hours_to_acknowledge",
        "closed_at",
        "hours_to_close",
    )
    _workflow_reopen_states = {"closed": "investigating"}

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="New", index=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, index=True, string="Customer Entity"
    )
    service_order_id = fields.Many2one(
        "service.order", string="Service Order", index=True, check_company=True, tracking=True
    )
    technician_id = fields.Many2one(
        "res.users",
        related="service_order_id.user_id",
        store=True,
        index=True,
        string="Technician",
    )
    team_id = fields.Many2one(
        "service.team", related="service_order_id.team_id", store=True, index=True, string="Team"
    )
    service_category_id = fields.Many2one(
        "service.category",
        related="service_order_id.category_id",
        store=True,
        index=True,
        string="Service Category",
    )
    feedback_id = fields.Many2one(
        "service.feedback", string="Low Feedback", index=True, copy=False, ondelete="set null"
    )
    channel = fields.Selection(
        [
            ("phone", "Phone"),
            ("email", "Email"),
            ("web", "Website"),
            ("portal", "Portal"),
            ("walk_in", "Walk-in"),
            ("feedback", "Low Feedback Score"),
            ("other", "Other"),
        ],
        default="phone",
        required=True,
    )
    category_id = fields.Many2one(
        "service.complaint.category", string="Category", index=True, tracking=True
    )
    severity = fields.Selection(
        [("general", "General"), ("major", "Major")],
        default="general",
        required=True,
        tracking=True,
        index=True,
    )
    received_at = fields.Datetime(default=fields.Datetime.now, required=True, index=True)
    description = fields.Html()
    state = fields.Selection(
        [
            ("new", "New"),
            ("acknowledged", "Acknowledged"),
            ("investigating", "Investigating"),
            ("action", "Action"),
            ("resolved", "Resolved"),
            ("closed", "Closed"),
        ],
        default="new",
        required=True,
        tracking=True,
        index=True,
        copy=False,
    )
    # Investigation and handling
    investigator_ids = fields.Many2many(
        "res.users", string="Investigation Team", check_company=True
    )
    findings = fields.Html(string="Site Findings")
    handling_plan = fields.Html()
    resolution = fields.Html(string="Result Given to the Customer")
    cause_id = fields.Many2one(
        "service.complaint.cause", string="Root Cause", index=True, tracking=True
    )
    department_id = fields.Many2one(
        "hr.department",
        string="Responsible Department",
        index=True,
        tracking=True,
        check_company=True,
    )
    responsible_id = fields.Many2one(
        "hr.employee", string="Responsible Person", index=True, tracking=True, check_company=True
    )
    corrective_action_ids = fields.One2many(
        "service.corrective.action", "complaint_id", string="Corrective Actions"
    )
    corrective_action_count = fields.Integer(compute="_compute_corrective_action_count")
    customer_answer = fields.Selection(
        [("satisfied", "Satisfied"), ("not_satisfied", "Not Satisfied")],
        string="Customer's Answer",
        tracking=True,
        copy=False,
    )
    customer_answer_note = fields.Text(copy=False)
    reopen_count = fields.Integer(copy=False, readonly=True, tracking=True)
    # Deadlines (same pattern as the order SLA)
    response_deadline = fields.Datetime(
        compute="_compute_response_deadline",
        store=True,
        index=True,
        help="General complaints must be acknowledged within 24 h, major ones "
        "must have their special handling started within 48 h.",
    )
    responded_at = fields.Datetime(copy=False, readonly=True)
    deadline_status = fields.Selection(
        [("on_track", "On Track"), ("breached", "Breached"), ("met", "Met")],
        default="on_track",
        index=True,
        copy=False,
        tracking=True,
    )
    breach_notified_at = fields.Datetime(copy=False, readonly=True)
    escalated_at = fields.Datetime(copy=False, readonly=True)
    acknowledged_at = fields.Datetime(copy=False, readonly=True)
    closed_at = fields.Datetime(
        string="Closed On",
        readonly=True,
        copy=False,
        index=True,
        help="When the complaint was closed.",
    )
    hours_to_acknowledge = fields.Float(copy=False, readonly=True, aggregator="avg")
    hours_to_close = fields.Float(copy=False, readonly=True, aggregator="avg")
    is_repeat = fields.Boolean(
        string="Repeat Complaint",
        copy=False,
        readonly=True,
        index=True,
        help="The same customer already complained in the 12 months before this one.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    @api.depends("corrective_action_ids")
    def _compute_corrective_action_count(self):
        counts = dict(
            self.env["service.corrective.action"]._read_group(
                [("complaint_id", "in", self.ids)], ["complaint_id"], ["__count"]
            )
        )
        for complaint in self:
            complaint.corrective_action_count = counts.get(complaint, 0)

    @api.depends("received_at", "severity")
    def _compute_response_deadline(self):
        for complaint in self:
            complaint.response_deadline = (
                complaint.received_at
                and complaint.received_at
                + timedelta(hours=RESPONSE_HOURS[complaint.severity or "general"])
            )

    @api.constrains("partner_id", "service_order_id")
    def _check_order_customer(self):
        for complaint in self:
            order = complaint.service_order_id
            if (
                order
                and order.partner_id.commercial_partner_id
                != complaint.partner_id.commercial_partner_id
            ):
                raise ValidationError(
                    _(
                        "Complaint %(name)s: service order %(order)s belongs to %(owner)s, not to %(customer)s.",
                        name=complaint.name,
                        order=order.name,
                        owner=order.partner_id.display_name,
                        customer=complaint.partner_id.display_name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        seq = self.env["ir.sequence"]
        for vals in vals_list:
            if vals.get("name", "New") == "New":
                vals["name"] = seq.next_by_code("service.complaint") or "New"
            if vals.get("state") == "closed" and not vals.get("closed_at"):
                vals["closed_at"] = fields.Datetime.now()
        complaints = super().create(vals_list)
        complaints._update_is_repeat()
        complaints._customer_notify("complaint_received")
        return complaints

    def write(self, vals):
        if vals.get("state") == "closed" and "closed_at" not in vals:
            vals = dict(vals, closed_at=fields.Datetime.now())
        return super().write(vals)

    def _workflow_actions_hint(self, field_names):
        return _(
            "the Acknowledge, Start Investigation, Approve Handling Plan, Give Result to "
            "Customer, Close and Reopen buttons"
        )

    def _update_is_repeat(self):
        """Flag complaints whose customer already complained in the previous
        12 months (one grouped query for the batch)."""
        if not self:
            return
        partners = self.commercial_partner_id
        earliest = min(self.mapped("received_at")) - timedelta(days=365)
        previous = self.sudo().search_read(  # across record rules: a count only
            [
                ("commercial_partner_id", "in", partners.ids),
                ("received_at", ">=", earliest),
            ],
            ["commercial_partner_id", "received_at"],
        )
        for complaint in self:
            start = complaint.received_at - timedelta(days=365)
            complaint.is_repeat = any(
                row["commercial_partner_id"][0] == complaint.commercial_partner_id.id
                and row["id"] != complaint.id
                and start <= row["received_at"] <= complaint.received_at
                for row in previous
            )

    @api.constrains("received_at")
    def _check_received_at(self):
        self._check_date_not_future("received_at")

    # ------------------------------------------------------------------
    # Flow
    # ------------------------------------------------------------------
    def _mark_responded(self, now):
        """Stop the response clock; a late response records the breach."""
        for complaint in self.filtered(lambda c: not c.responded_at):
            late = complaint.response_deadline and now > complaint.response_deadline
            complaint._workflow_write(
                {"responded_at": now, "deadline_status": "breached" if late else "met"}
                if complaint.deadline_status != "breached"
                else {"responded_at": now}
            )

    def action_acknowledge(self):
        self._workflow_check_move("acknowledged")
        now = fields.Datetime.now()
        for complaint in self:
            complaint._workflow_move(
                "acknowledged",
                {
                    "acknowledged_at": now,
                    "hours_to_acknowledge": (now - complaint.received_at).total_seconds() / 3600.0,
                },
            )
        self.filtered(lambda c: c.severity == "general")._mark_responded(now)
        return True

    def action_investigate(self):
        now = fields.Datetime.now()
        self._workflow_move("investigating")
        # Special handling of a major complaint starts with the investigation.
        self.filtered(lambda c: c.severity == "major")._mark_responded(now)
        return True

    def action_approve_plan(self):
        self._workflow_check_move("action")
        for complaint in self:
            if is_html_empty(complaint.handling_plan):
                raise UserError(
                    _("Complaint %(name)s has no handling plan to approve.", name=complaint.name)
                )
        self._workflow_move("action")
        return True

    def action_resolve(self):
        self._workflow_check_move("resolved")
        for complaint in self:
            if is_html_empty(complaint.resolution):
                raise UserError(
                    _(
                        "Complaint %(name)s: write the result given to the customer first.",
                        name=complaint.name,
                    )
                )
        self._workflow_move("resolved")
        # a reopened complaint resolved again is told again
        self._customer_notify(
            "complaint_resolved", {c.id: str(c.reopen_count) for c in self if c.reopen_count}
        )
        return True

    def _get_closing_missing_items(self):
        self.ensure_one()
        missing = []
        if not self.cause_id:
            missing.append(_("root cause"))
        if not self.department_id:
            missing.append(_("responsible department"))
        if not self.responsible_id:
            missing.append(_("responsible person"))
        actions = self.corrective_action_ids.filtered(lambda a: a.state != "cancelled")
        if not actions:
            missing.append(_("corrective actions"))
        elif actions.filtered(lambda a: a.state == "open"):
            missing.append(
                _(
                    "corrective actions done (still open: %(actions)s)",
                    actions=", ".join(actions.filtered(lambda a: a.state == "open").mapped("name")),
                )
            )
        if not self.customer_answer:
            missing.append(_("the customer's answer"))
        elif self.customer_answer == "not_satisfied":
            missing.append(_("a satisfied customer (reopen the complaint instead)"))
        return missing

    def action_close(self):
        self._workflow_check_move("closed")
        for complaint in self:
            missing = complaint._get_closing_missing_items()
            if missing:
                raise UserError(
                    _(
                        "Complaint %(name)s cannot be closed, missing: %(missing)s.",
                        name=complaint.name,
                        missing="; ".join(missing),
                    )
                )
        now = fields.Datetime.now()
        for complaint in self:
            complaint._workflow_move(
                "closed",
                {
                    "closed_at": now,
                    "hours_to_close": (now - complaint.received_at).total_seconds() / 3600.0,
                },
            )
        for complaint in self.filtered("feedback_id"):
            # the order rated low waited for this complaint
            complaint.service_order_id.sudo()._close_after_complaint(complaint)
        return True

    def action_reopen(self):
        """The customer is not satisfied with the result: back to
        investigating, count kept. A closed complaint is evidence: only a
        manager reopens it, with a reason (``action_open_reopen_wizard``)."""
        for complaint in self:
            if complaint.state != "resolved":
                raise UserError(
                    _(
                        "Complaint %(name)s is not resolved: only a resolved complaint is "
                        "reopened for an unsatisfied customer (a closed one by a service "
                        "manager, giving a reason).",
                        name=complaint.name,
                    )
                )
        for complaint in self:
            # a way back, like ``_workflow_reopen``: outside the forward moves
            complaint._workflow_write(
                dict(complaint._workflow_reopen_values("investigating"), state="investigating")
            )
            complaint.message_post(
                body=_(
                    "Reopened (%(count)s): the customer is not satisfied.",
                    count=complaint.reopen_count,
                )
            )
        return True

    def _workflow_reopen_values(self, target):
        vals = super()._workflow_reopen_values(target)
        vals.update(
            reopen_count=self.reopen_count + 1,
            customer_answer=False,
            closed_at=False,
            hours_to_close=0.0,
        )
        return vals

    def action_view_corrective_actions(self):
        self.ensure_one()
        return self.env["service.corrective.action"]._action_for("complaint_id", self)

    # ------------------------------------------------------------------
    # Escalation and deadlines
    # ------------------------------------------------------------------
    def _get_escalation_users(self):
        """Service managers of the complaint's company."""
        group = self.env.ref("service_quality.group_service_manager")
        return group.sudo().users.filtered(
            lambda u: u.active and not u.share and self.company_id in u.company_ids
        )

    def _escalation_users_by_company(self):
        """``{company: service managers}`` for the companies of ``self``,
        read once for a whole batch."""
        group = self.env.ref("service_quality.group_service_manager")
        managers = group.sudo().users.filtered(lambda u: u.active and not u.share)
        return {
            company: managers.filtered(lambda u, c=company: c in u.company_ids)
            for company in self.company_id
        }

    def _escalate_to_managers(self):
        """Escalate major complaints to the service managers at once: an
        activity each and a notification. Run once per complaint (marker
        ``escalated_at``); called by the automation rule
        ``service_complaint_automation_major`` (editable by admins)."""
        activity_type = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        to_escalate = self.filtered(
            lambda c: c.severity == "major" and not c.escalated_at and c.state in OPEN_STATES
        )
        for complaint in to_escalate:
            managers = complaint._get_escalation_users()
            body = _(
                "Major complaint %(name)s from %(customer)s escalated to the service managers: "
                "special handling must start by %(deadline)s.",
                name=complaint.name,
                customer=complaint.partner_id.display_name,
                deadline=self.env["service.local.time"]._format_local_datetime(
                    complaint.response_deadline, reader=False, company=complaint.company_id
                ),
            )
            # sudo: the escalation must reach the managers whoever filed the complaint
            complaint_sudo = complaint.sudo()
            complaint_sudo.message_post(
                body=body, partner_ids=managers.partner_id.ids, subtype_xmlid="mail.mt_comment"
            )
            if activity_type:
                for manager in managers:
                    complaint_sudo.activity_schedule(
                        activity_type_id=activity_type.id,
                        summary=_("Major complaint: start special handling"),
                        note=body,
                        user_id=manager.id,
                        date_deadline=fields.Date.to_date(complaint.response_deadline),
                    )
            complaint_sudo.escalated_at = fields.Datetime.now()
        return True

    @api.model
    def _cron_check_deadlines(self, batch_size=500):
        """Mark complaints not acknowledged (general) or not in special
        handling (major) by their deadline as breached, note it on them and
        give the managers an activity. One locked batch per call (the cron
        runner calls again while some remain); idempotent: only rows without
        ``breach_notified_at`` are taken."""
        now = fields.Datetime.now()
        condition = SQL(
            """breach_notified_at IS NULL AND responded_at IS NULL
               AND state IN ('new', 'acknowledged') AND response_deadline < %s""",
            now,
        )
        complaints = self._cron_lock_batch(
            condition, batch_size, order=SQL("response_deadline, id")
        )
        if complaints:
            complaints.write({"deadline_status": "breached", "breach_notified_at": now})
            complaints._notify_deadline_breached()
        return self._cron_done(
            len(complaints), self._cron_remaining(condition, complaints, batch_size)
        )

    def _notify_deadline_breached(self):
        """Note the breach on each complaint, addressed to the service
        managers of its company, and give each manager an activity: one
        message create and one activity create per company."""
        self.fetch(["name", "response_deadline", "company_id"])
        activity_type = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        managers_by_company = self._escalation_users_by_company()
        summary = _("Complaint response deadline missed")
        bodies, partners, activities = {}, {}, []
        for complaint in self:
            managers = managers_by_company[complaint.company_id]
            bodies[complaint.id] = _(
                "Complaint %(name)s missed its response deadline (%(deadline)s).",
                name=complaint.name,
                deadline=self.env["service.local.time"]._format_local_datetime(
                    complaint.response_deadline, reader=False, company=complaint.company_id
                ),
            )
            partners[complaint.id] = managers.partner_id
            activities += [
                {"res_id": complaint.id, "summary": summary, "user_id": manager.id}
                for manager in managers
            ]
        self._notify_log_batch(bodies, partners)
        self._notify_schedule_batch(activity_type, activities)

    # ------------------------------------------------------------------
    # Intake
    # ------------------------------------------------------------------
    @api.model
    def _create_from_feedback(self, feedbacks):
        """Open one complaint per low feedback (idempotent: feedbacks that
        already have a complaint are skipped). Used by the low-score
        automation rule."""
        existing = self.sudo().search([("feedback_id", "in", feedbacks.ids)]).feedback_id
        category = self.env.ref(
            "service_quality.service_complaint_category_service_quality", raise_if_not_found=False
        )
        # a loop, not a comprehension: ``_`` finds the language in this frame
        vals_list = []
        for feedback in feedbacks - existing:
            order = feedback.service_order_id
            description = _(
                "Score %(score)s/5 on %(order)s: %(comment)s",
                score=feedback.score,
                order=order.name,
                comment=feedback.comment or "",
            )
            vals_list.append(
                {
                    "partner_id": order.partner_id.id,
                    "service_order_id": order.id,
                    "feedback_id": feedback.id,
                    "channel": "feedback",
                    "category_id": category.id if category else False,
                    "company_id": order.company_id.id,
                    "description": description,
                }
            )
        # sudo: feedback may come from a portal customer or an anonymous rating link
        complaints = self.sudo().create(vals_list)
        complaints._assign_low_score_follow_up()
        return complaints

    def _low_score_handlers(self):
        """Who handles the complaint opened by a low rating of an order: the
        team leader of the order's team; without one, the company's quality
        inspector with the fewest open complaints (then the first by id).
        Returns a user, possibly empty."""
        self.ensure_one()
        leader = self.service_order_id.team_id.leader_id
        if leader and leader.active:
            return leader
        inspectors = (
            self.env.ref("service_quality.group_quality_inspector")
            .sudo()
            .users.filtered(lambda u: u.active and not u.share and self.company_id in u.company_ids)
        )
        if not inspectors:
            return inspectors
        counts = defaultdict(int)
        for employee, count in self.sudo()._read_group(
            [("state", "in", OPEN_STATES), ("responsible_id.user_id", "in", inspectors.ids)],
            ["responsible_id"],
            ["__count"],
        ):
            counts[employee.user_id.id] += count
        return inspectors.sorted(lambda u: (counts.get(u.id, 0), u.id))[:1]

    def _assign_low_score_follow_up(self):
        """Give each complaint opened by a low rating a responsible person
        (``_low_score_handlers``), followers (that person, the team leader and
        the dispatcher who owns the order) and a to-do activity due by the
        complaint's response deadline, so somebody calls the customer back."""
        activity_type = "mail.mail_activity_data_todo"
        for complaint in self.sudo():
            handler = complaint._low_score_handlers()
            order = complaint.service_order_id
            if handler:
                employee = handler.employee_ids.filtered(
                    lambda e, c=complaint.company_id: e.company_id == c
                )[:1]
                if employee:
                    complaint.responsible_id = employee
            followers = handler | order.team_id.leader_id | order.intake_user_id
            complaint.message_subscribe(partner_ids=followers.partner_id.ids)
            if not handler:
                complaint.message_post(
                    body=_(
                        "Nobody could be made responsible for complaint %(name)s: the order has "
                        "no team leader and the company has no quality inspector.",
                        name=complaint.name,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
                continue
            tz = self.env["service.local.time"]._reader_tz(handler, complaint.company_id)
            deadline = fields.Datetime.context_timestamp(
                complaint.with_context(tz=tz), complaint.response_deadline
            ).date()
            complaint.activity_schedule(
                activity_type,
                date_deadline=deadline,
                summary=_(
                    "Call %(customer)s back about the low rating of %(order)s",
                    customer=complaint.partner_id.display_name,
                    order=order.name,
                ),
                note=_(
                    "The customer rated %(order)s %(score)s/5. Call back by %(deadline)s to "
                    "understand what went wrong; the order stays open until this complaint "
                    "is closed.",
                    order=order.name,
                    score=complaint.feedback_id.score,
                    deadline=self.env["service.local.time"]._format_local_datetime(
                        complaint.response_deadline, reader=handler, company=complaint.company_id
                    ),
                ),
                user_id=handler.id,
            )

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """Complaint received on the email alias: the sender is the customer."""
        values = dict(custom_values or {})
        partner_id = msg_dict.get("author_id")
        if not partner_id:
            partners = self.env["mail.thread"]._mail_find_partner_from_emails(
                [msg_dict.get("email_from")], force_create=True
            )
            partner_id = partners[0].id if partners and partners[0] else False
        values.setdefault("partner_id", partner_id)
        values.setdefault("channel", "email")
        values.setdefault("description", msg_dict.get("body"))
        return super().message_new(msg_dict, custom_values=values)
