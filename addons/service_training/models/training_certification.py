import logging
from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL

from odoo.addons.service_quality.models.service_workflow_mixin import retention_destroying

_logger = logging.getLogger(__name__)

EXPIRING_DAYS = 90
# Reminder thresholds in days before expiry, most urgent first.
REMINDER_THRESHOLDS = (7, 30, 60, 90)
CRON_BATCH = 500
# Fields shown on the holder's resume line.
RESUME_FIELDS = {"employee_id", "type_id", "number", "issue_date", "expiry_date", "revoked_on"}
# What a certificate states from its issue: who holds which qualification,
# under which number, from and until when, issued by which company on which
# training, and how often it was renewed. Only the workflow (a renewal)
# changes them afterwards, whatever the state.
ISSUED_FIELDS = (
    "employee_id",
    "type_id",
    "number",
    "issue_date",
    "expiry_date",
    "source_attendance_id",
    "company_id",
    "renewal_count",
    "last_renewed_on",
)


class TrainingCertification(models.Model):
    _name = "training.certification"
    _description = "Certification"
    _inherit = [
        "service.workflow.mixin",
        "service.notify.mixin",
        "service.cron.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "service.retention.mixin",
    ]
    _order = "expiry_date, id"
    _check_company_auto = True
    _rec_name = "number"
    _workflow_fields = ("state", "revoked_on", "revoke_reason", "revoked_by_id")
    # The state follows the dates (a daily job) and the revocation; an
    # expired or revoked certificate comes back only through a renewal
    # (``_renew``) or a reinstatement (``action_reinstate``, the reopening of
    # the workflow mixin: a training officer other than the one who revoked
    # it, with a reason). A certificate in force keeps its issued fields
    # too (``_check_issued_write``).
    _workflow_final_states = ("expired", "revoked")
    _workflow_evidence_fields = (
        *ISSUED_FIELDS,
        "revoked_on",
        "revoke_reason",
        "revoked_by_id",
    )
    _workflow_reopen_states = {"revoked": "valid"}
    _workflow_reopen_group = "service_training.group_training_officer"

    employee_id = fields.Many2one(
        "hr.employee", required=True, index=True, tracking=True, check_company=True
    )
    user_id = fields.Many2one(
        "res.users",
        related="employee_id.user_id",
        store=True,
        index=True,
        string="User",
    )
    department_id = fields.Many2one(
        "hr.department", related="employee_id.department_id", store=True, index=True
    )
    type_id = fields.Many2one(
        "training.certification.type", string="Type", required=True, index=True, tracking=True
    )
    number = fields.Char(required=True, copy=False, default="New", index=True)
    issue_date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    expiry_date = fields.Date(
        index=True, tracking=True, help="Leave empty for a certificate that never expires."
    )
    state = fields.Selection(
        [
            ("valid", "Valid"),
            ("expiring", "Expiring"),
            ("expired", "Expired"),
            ("revoked", "Revoked"),
        ],
        compute="_compute_state",
        store=True,
        readonly=True,
        default="valid",
        required=True,
        index=True,
        tracking=True,
        help="Expiring: expires within 90 days. Refreshed every day by a scheduled job.",
    )
    days_to_expiry = fields.Integer(compute="_compute_days_to_expiry")
    source_attendance_id = fields.Many2one(
        "training.attendance", string="Source Attendance", index=True, copy=False
    )
    renewal_count = fields.Integer(copy=False, readonly=True)
    last_renewed_on = fields.Date(copy=False, readonly=True)
    revoked_on = fields.Date(copy=False, readonly=True, tracking=True)
    revoke_reason = fields.Text(copy=False, readonly=True)
    revoked_by_id = fields.Many2one(
        "res.users", string="Revoked By", copy=False, readonly=True, tracking=True
    )
    resume_line_id = fields.Many2one(
        "hr.resume.line",
        string="Resume Line",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        help="The certification line of the employee's resume, kept in step with the certificate.",
    )
    reminder_threshold_sent = fields.Integer(
        copy=False,
        readonly=True,
        help="Smallest reminder threshold (days before expiry) already sent; 0 = none yet.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    @api.model
    def _state_on(self, expiry_date, revoked, today):
        if revoked:
            return "revoked"
        if not expiry_date:
            return "valid"
        if expiry_date < today:
            return "expired"
        if expiry_date <= today + relativedelta(days=EXPIRING_DAYS):
            return "expiring"
        return "valid"

    @api.depends("expiry_date", "revoked_on")
    def _compute_state(self):
        today = fields.Date.context_today(self)
        for cert in self:
            cert.state = self._state_on(cert.expiry_date, cert.revoked_on, today)

    def _compute_days_to_expiry(self):
        today = fields.Date.context_today(self)
        for cert in self:
            cert.days_to_expiry = (cert.expiry_date - today).days if cert.expiry_date else 0

    @api.constrains("issue_date", "expiry_date")
    def _check_dates(self):
        for cert in self:
            if cert.expiry_date and cert.issue_date and cert.expiry_date < cert.issue_date:
                raise ValidationError(
                    _(
                        "Certificate %(number)s of %(employee)s cannot expire (%(expiry)s) "
                        "before it is issued (%(issue)s).",
                        number=cert.number,
                        employee=cert.employee_id.name,
                        expiry=cert.expiry_date,
                        issue=cert.issue_date,
                    )
                )

    @api.constrains("revoked_on", "revoke_reason")
    def _check_revoke_reason(self):
        for cert in self:
            if cert.revoked_on and not (cert.revoke_reason or "").strip():
                raise ValidationError(
                    _("Give a reason to revoke certificate %(number)s.", number=cert.number)
                )

    def _check_date_values(self, vals):
        """Refuse an expiry before the issue date before anything is written."""
        for cert in self or [self.browse()]:
            issue = fields.Date.to_date(vals.get("issue_date", cert.issue_date))
            expiry = fields.Date.to_date(vals.get("expiry_date", cert.expiry_date))
            if issue and expiry and expiry < issue:
                employee = (
                    self.env["hr.employee"].browse(vals["employee_id"])
                    if vals.get("employee_id")
                    else cert.employee_id
                )
                raise ValidationError(
                    _(
                        "Certificate %(number)s of %(employee)s cannot expire (%(expiry)s) "
                        "before it is issued (%(issue)s).",
                        number=vals.get("number") or cert.number or _("New"),
                        employee=employee.name,
                        expiry=expiry,
                        issue=issue,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self.browse()._check_date_values(vals)
            if vals.get("number", "New") == "New":
                vals["number"] = (
                    self.env["ir.sequence"].next_by_code("training.certification") or "New"
                )
            if "expiry_date" not in vals and vals.get("type_id"):
                cert_type = self.env["training.certification.type"].browse(vals["type_id"])
                issue = fields.Date.to_date(vals.get("issue_date")) or fields.Date.context_today(
                    self
                )
                if cert_type.validity_months:
                    vals["expiry_date"] = issue + relativedelta(months=cert_type.validity_months)
        certs = super().create(vals_list)
        certs._sync_resume_lines()
        return certs

    def write(self, vals):
        self._check_evidence_write(vals)  # a locked record is refused before its values
        if "issue_date" in vals or "expiry_date" in vals:
            self._check_date_values(vals)
        self._check_issued_write(vals)
        if "expiry_date" in vals and "reminder_threshold_sent" not in vals:
            # A new expiry date starts a new reminder cycle.
            vals = dict(vals, reminder_threshold_sent=0)
        res = super().write(vals)
        if RESUME_FIELDS & set(vals):
            self._sync_resume_lines()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_certificate_issued(self):
        if retention_destroying(self.env):
            # destroyed by an approved retention request, with a register row
            # (the job runs as the superuser; the context key alone can come
            # from any caller)
            return
        if self:
            cert = self[:1]
            raise UserError(
                _(
                    "Certificate %(number)s of %(employee)s is issued: it cannot be deleted. "
                    "Revoke it or archive it; it is destroyed only through an approved "
                    "retention request.",
                    number=cert.number,
                    employee=cert.employee_id.name,
                )
            )

    def _check_issued_write(self, vals):
        """Refuse a change of what a certificate states (``ISSUED_FIELDS``)
        once it is issued, whoever asks (``sudo()`` included), before anything
        is written: the expired and revoked ones are locked by the workflow
        mixin, the ones in force here. A renewal writes them through
        ``_workflow_write``."""
        locked = [name for name in ISSUED_FIELDS if name in vals]
        if not locked or not self or self._workflow_passed():
            return
        self.check_access("write")  # who may not write at all is told so first
        cert = self[:1]
        raise UserError(
            _(
                "Certificate %(number)s of %(employee)s is issued: %(fields)s can no longer "
                "be changed. Renew it through a training session, or revoke it and issue a "
                "new one.",
                number=cert.number,
                employee=cert.employee_id.name,
                fields=", ".join(self._fields[f]._description_string(self.env) for f in locked),
            )
        )

    def _sync_resume_lines(self):
        """Show each certificate on its holder's resume (``hr_skills``): a
        *Certification* line from the issue date to the expiry date, or to
        the revocation. One create for the certificates without a line."""
        line_type = self.env.ref(
            "hr_skills_survey.resume_type_certification", raise_if_not_found=False
        )
        # sudo: the resume follows the certificate whoever records it
        Line = self.env["hr.resume.line"].sudo()
        missing, vals_list = [], []
        for cert in self:
            vals = {
                "employee_id": cert.employee_id.id,
                "name": cert.type_id.name,
                "description": cert.number,
                "date_start": cert.issue_date,
                "date_end": cert.revoked_on or cert.expiry_date or False,
                "line_type_id": line_type.id if line_type else False,
                "display_type": "certification",
            }
            if cert.resume_line_id:
                cert.resume_line_id.sudo().write(vals)
            else:
                missing.append(cert)
                vals_list.append(vals)
        for cert, line in zip(missing, Line.create(vals_list), strict=True):
            cert.resume_line_id = line

    def _workflow_actions_hint(self, field_names):
        return _("the Revoke and Reinstate buttons")

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_open_revoke_wizard(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Revoke Certificate"),
            "res_model": "training.certification.revoke",
            "view_mode": "form",
            "target": "new",
            "context": {"default_certification_id": self.id},
        }

    def action_revoke(self, reason):
        reason = (reason or "").strip()
        for cert in self:
            if not reason:
                raise UserError(
                    _("Give a reason to revoke certificate %(number)s.", number=cert.number)
                )
            if cert.state == "revoked":
                raise UserError(_("Certificate %(number)s is already revoked.", number=cert.number))
        self._workflow_write(
            {
                "revoked_on": fields.Date.context_today(self),
                "revoke_reason": reason,
                "revoked_by_id": self.env.uid,
            }
        )
        for cert in self:
            cert.message_post(body=_("Certificate revoked: %(reason)s", reason=reason))
        return True

    def action_open_reinstate_wizard(self):
        return self.env["service.workflow.reopen"]._records_wizard_action(
            self, _("Reinstate Certificate")
        )

    def action_reinstate(self, reason=None):
        """Reinstate revoked certificates: a training officer other than the
        one who revoked them gives the reason; the chatter keeps who, when,
        why and the revocation undone (date, reason, by whom)."""
        return self._workflow_reopen(reason)

    # ------------------------------------------------------------------
    # Reinstatement (the reopening of the workflow mixin)
    # ------------------------------------------------------------------
    def _workflow_reopen_values(self, target):
        self.ensure_one()
        return {"revoked_on": False, "revoke_reason": False, "revoked_by_id": False}

    def _workflow_reopen(self, reason):
        for cert in self:
            if cert.state != "revoked":
                raise UserError(_("Certificate %(number)s is not revoked.", number=cert.number))
        self._check_approver_not_requester(
            "revoked_by_id",
            _(
                "Certificate %(name)s was revoked by you: another training officer must reinstate it."
            ),
        )
        result = super()._workflow_reopen(reason)
        # back in force: the dates tell valid, expiring or expired
        today = fields.Date.context_today(self)
        for cert in self:
            state = self._state_on(cert.expiry_date, False, today)
            if cert.state != state:
                cert._workflow_write({"state": state})
        return result

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _renew(self, issue_date, attendance=False):
        """Extend ``self`` by its type's validity from the later of its
        current expiry and ``issue_date``."""
        for cert in self:
            months = cert.type_id.validity_months
            vals = {
                "renewal_count": cert.renewal_count + 1,
                "last_renewed_on": issue_date,
                "revoked_on": False,
                "revoke_reason": False,
                "revoked_by_id": False,
            }
            if attendance:
                vals["source_attendance_id"] = attendance.id
            if months:
                start = max(cert.expiry_date or issue_date, issue_date)
                vals["expiry_date"] = start + relativedelta(months=months)
            else:
                vals["expiry_date"] = False
            cert._workflow_write(vals)
            cert.message_post(
                body=_(
                    "Certificate renewed until %(date)s.",
                    date=vals["expiry_date"] or _("no expiry"),
                )
            )

    @api.model
    def _get_missing_certifications(self, user_ids, type_ids, on_date):
        """Return ``{user_id: training.certification.type recordset}`` of the
        required types each user lacks a valid certificate of on
        ``on_date``. One query whatever the number of certificates."""
        types = self.env["training.certification.type"].browse(type_ids)
        if not user_ids or not types:
            return {uid: types.browse() for uid in user_ids}
        # sudo: the rule is checked for dispatchers and technicians who may not
        # read every certificate; only ids of held types are returned.
        held = self.sudo()._read_group(
            [
                ("user_id", "in", list(user_ids)),
                ("type_id", "in", types.ids),
                ("revoked_on", "=", False),
                ("issue_date", "<=", on_date),
                "|",
                ("expiry_date", "=", False),
                ("expiry_date", ">=", on_date),
            ],
            ["user_id", "type_id"],
        )
        held_pairs = {(user.id, cert_type.id) for user, cert_type in held}
        return {
            uid: types.filtered(lambda t, uid=uid: (uid, t.id) not in held_pairs)
            for uid in user_ids
        }

    def _reminder_officers(self):
        """Training officers to remind, per company of ``self``."""
        officers = self._notify_ref("service_training.group_training_officer").users.filtered(
            lambda u: not u.share and u.active and u.id != SUPERUSER_ID
        )
        return {
            company: officers.filtered(lambda u, c=company: c in u.company_ids)
            for company in self.company_id
        }

    def _send_expiry_reminder(self, threshold):
        """Note the reminder on each certificate, addressed to its holder,
        email the holder (mail template) and give the holder's user an
        activity, and send the training officers of each company one digest
        (mail template) for the batch instead of one email per certificate.
        A constant number of queries per batch of up to 50 certificates
        (``mail.batch_size`` of the template rendering)."""
        self.fetch(["number", "expiry_date", "employee_id", "type_id", "company_id"])
        self.employee_id.fetch(["name", "user_id", "work_contact_id"])
        activity_type = self._notify_ref("mail.mail_activity_data_todo")
        subject = _("Certificate expiry reminder")
        summary = _("Plan the renewal training")
        bodies, partners, activities = {}, {}, []
        for cert in self:
            bodies[cert.id] = _(
                "The %(type)s certificate %(number)s of %(employee)s expires on "
                "%(date)s (%(days)s days). Plan the renewal training now.",
                type=cert.type_id.name,
                number=cert.number,
                employee=cert.employee_id.name,
                date=cert.expiry_date,
                days=cert.days_to_expiry,
            )
            partners[cert.id] = (
                cert.employee_id.user_id.partner_id or cert.employee_id.work_contact_id
            )
            if cert.employee_id.user_id:
                activities.append(
                    {
                        "res_id": cert.id,
                        "summary": summary,
                        "user_id": cert.employee_id.user_id.id,
                    }
                )
        self._notify_log_batch(bodies, partners, subject=subject)
        self._notify_schedule_batch(activity_type, activities)
        reminder = self._notify_ref("service_training.mail_template_certificate_expiry_reminder")
        holders = self.filtered(lambda c: partners[c.id])
        if reminder and holders:
            reminder.send_mail_batch(holders.ids)
        digest = self._notify_ref("service_training.mail_template_certificate_expiry_digest")
        for company, officers in self._reminder_officers().items():
            certs = self.filtered(lambda c, co=company: c.company_id == co)
            if not digest or not officers or not certs:
                continue
            digest.with_context(
                expiring_certificate_ids=tuple(certs.ids), expiry_threshold=threshold
            ).send_mail_batch(
                officers.ids,
                email_values={
                    "email_from": company.email_formatted or self.env.user.email_formatted
                },
            )
        self.write({"reminder_threshold_sent": threshold})

    def _lock_skip_locked(self):
        """Lock ``self`` for this transaction, skipping rows another run of
        the job already holds; return the locked records."""
        if not self:
            return self
        self.env.cr.execute(
            SQL(
                "SELECT id FROM training_certification WHERE id IN %s FOR UPDATE SKIP LOCKED",
                tuple(self.ids),
            )
        )
        locked = self.browse([row[0] for row in self.env.cr.fetchall()])
        locked.invalidate_recordset()
        return locked

    # ------------------------------------------------------------------
    # Scheduled job
    # ------------------------------------------------------------------
    @api.model
    def _cron_update_states_and_reminders(self):
        """Keep states true, then send expiry reminders: one locked batch of
        each per call (the cron runner calls again while some remain).

        A reminder is due for the most urgent threshold reached that has not
        been sent yet, so a missed run only delays it to the next run and
        a threshold is never sent twice (``reminder_threshold_sent``)."""
        done = self._update_states() + self._send_due_reminders()
        today = fields.Date.context_today(self)
        certs = self.sudo()
        remaining = sum(
            certs.search_count(domain)
            for domain in (
                *self._stale_domains(today),
                expression.OR(self._reminder_domains(today)),
            )
        )
        return self._cron_done(done, remaining)

    @api.model
    def _stale_domains(self, today):
        """Domains of the certificates whose stored state disagrees with ``today``."""
        horizon = today + relativedelta(days=EXPIRING_DAYS)
        return [
            [("state", "in", ("valid", "expiring")), ("expiry_date", "<", today)],
            [
                ("state", "=", "valid"),
                ("expiry_date", ">=", today),
                ("expiry_date", "<=", horizon),
            ],
            [("state", "in", ("expiring", "expired")), ("expiry_date", ">", horizon)],
        ]

    @api.model
    def _reminder_domains(self, today):
        """Domains of the certificates due for a reminder, per threshold."""
        return [
            [
                ("state", "in", ("valid", "expiring")),
                ("expiry_date", ">=", today),
                ("expiry_date", "<=", today + relativedelta(days=threshold)),
                "|",
                ("reminder_threshold_sent", "=", 0),
                ("reminder_threshold_sent", ">", threshold),
            ]
            for threshold in REMINDER_THRESHOLDS
        ]

    @api.model
    def _update_states(self, batch_size=CRON_BATCH):
        """Recompute the stored state of one locked batch of rows whose state
        disagrees with today: a constant number of queries. Returns the
        number of certificates updated."""
        today = fields.Date.context_today(self)
        # sudo: system job; no tracking message per row, the reminders and
        # the searchable state are the audit trail.
        certs = self.sudo().with_context(tracking_disable=True)
        for domain in self._stale_domains(today):
            batch = certs.search(domain, limit=batch_size)._lock_skip_locked()
            if not batch:
                continue
            by_state = defaultdict(list)
            for cert in batch:
                by_state[self._state_on(cert.expiry_date, cert.revoked_on, today)].append(cert.id)
            for state, ids in by_state.items():
                certs.browse(ids).write({"state": state})
            batch.flush_recordset(["state"])
            return len(batch)
        return 0

    @api.model
    def _send_due_reminders(self, batch_size=CRON_BATCH):
        """Send the reminders of one locked batch of certificates, for the
        most urgent threshold that has some due: one search for all the
        thresholds (the sooner a certificate expires, the more urgent its
        threshold), the batch keeps those of the first one's threshold.
        Returns their number."""
        today = fields.Date.context_today(self)
        domains = self._reminder_domains(today)
        found = self.sudo().search_fetch(
            expression.OR(domains),
            # what the thresholds' domains read, so that choosing the batch
            # reads nothing more
            ["state", "expiry_date", "reminder_threshold_sent"],
            order="expiry_date, id",
            limit=batch_size,
        )
        for threshold, domain in zip(REMINDER_THRESHOLDS, domains, strict=True):
            batch = found.filtered_domain(domain)
            if not batch:
                continue
            locked = batch._lock_skip_locked().filtered_domain(domain)
            if locked:
                locked._send_expiry_reminder(threshold)
            return len(locked)
        return 0
