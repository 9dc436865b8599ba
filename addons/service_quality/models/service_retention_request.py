from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from .service_retention_request_line import DESTROY_ORDER

# Workflow fields: written by the actions only, never by a plain write.
PROTECTED_FIELDS = {
    "state",
    "policy_id",
    "requested_by_id",
    "requested_at",
    "approved_by_id",
    "approved_at",
    "destroyed_at",
    "destroy_queued_by_id",
    "destroy_queued_at",
    "line_ids",
}


class ServiceRetentionRequest(models.Model):
    _name = "service.retention.request"
    _description = "Records Destruction Request"
    _inherit = ["service.workflow.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _workflow_fields = tuple(sorted(PROTECTED_FIELDS))
    _workflow_moves = {
        "approved": ("proposed",),
        "rejected": ("proposed",),
        "done": ("approved",),
    }
    _workflow_final_states = ("done", "rejected")
    _workflow_evidence_fields = (*sorted(PROTECTED_FIELDS - {"state"}), "note", "company_id")

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="New", index=True
    )
    policy_id = fields.Many2one(
        "service.retention.policy",
        string="Policy",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    model_name = fields.Char(related="policy_id.model_name", store=True, string="Model")
    state = fields.Selection(
        [
            ("proposed", "To Approve"),
            ("approved", "Approved"),
            ("done", "Destroyed"),
            ("rejected", "Rejected"),
        ],
        default="proposed",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
        copy=False,
    )
    requested_by_id = fields.Many2one(
        "res.users",
        string="Requested By",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
    )
    requested_at = fields.Datetime(readonly=True, default=fields.Datetime.now, required=True)
    approved_by_id = fields.Many2one(
        "res.users", string="Approved By", readonly=True, tracking=True, copy=False
    )
    approved_at = fields.Datetime(readonly=True, copy=False)
    destroyed_at = fields.Datetime(readonly=True, copy=False)
    destroy_queued_by_id = fields.Many2one(
        "res.users", string="Destruction Ordered By", readonly=True, copy=False
    )
    destroy_queued_at = fields.Datetime(
        string="Destruction Queued On",
        readonly=True,
        copy=False,
        help="Destroy Now was clicked: the retention job destroys the records in the background.",
    )
    line_ids = fields.One2many(
        "service.retention.request.line", "request_id", string="Records", readonly=True
    )
    line_count = fields.Integer(compute="_compute_counts", string="Record Count")
    pending_count = fields.Integer(compute="_compute_counts", string="To Destroy")
    destroyed_count = fields.Integer(compute="_compute_counts", string="Destroyed")
    error_count = fields.Integer(compute="_compute_counts", string="Errors")
    company_id = fields.Many2one("res.company", index=True, default=lambda self: self.env.company)
    note = fields.Text()

    def _compute_counts(self):
        counts = {}
        for request, state, count in self.env["service.retention.request.line"]._read_group(
            [("request_id", "in", self.ids)], ["request_id", "state"], ["__count"]
        ):
            counts.setdefault(request.id, {})[state] = count
        for request in self:
            by_state = counts.get(request.id, {})
            request.line_count = sum(by_state.values())
            request.pending_count = by_state.get("pending", 0)
            request.destroyed_count = by_state.get("destroyed", 0)
            request.error_count = by_state.get("error", 0)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "New") == "New":
                vals["name"] = (
                    self.env["ir.sequence"].next_by_code("service.retention.request") or "New"
                )
        return super().create(vals_list)

    def _workflow_error(self, field_names, vals=None):
        names = vals.get("name", "") if vals is not None else ", ".join(self.mapped("name"))
        return UserError(
            _(
                "Request %(names)s: %(fields)s change only through Approve, Keep the Records "
                "and Destroy Now.",
                names=names,
                fields=", ".join(sorted(field_names)),
            )
        )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def _check_archivist(self):
        if not self.env.user.has_group("service_quality.group_archivist"):
            raise AccessError(
                _(
                    "Only an archivist can approve, reject or destroy records (%(names)s).",
                    names=", ".join(self.mapped("name")),
                )
            )

    def action_approve(self):
        self._check_archivist()
        self._workflow_check_move("approved")
        self._check_approver_not_requester(
            "requested_by_id",
            _("Request %(name)s: you requested it, another archivist must approve it."),
        )
        self._workflow_move(
            "approved", {"approved_by_id": self.env.uid, "approved_at": fields.Datetime.now()}
        )
        return True

    def action_reject(self):
        self._check_archivist()
        self._workflow_check_move("rejected")
        # sudo: candidate lines are written by the workflow only
        self.sudo().line_ids.filtered(lambda line: line.state == "pending").write(
            {"state": "rejected"}
        )
        self._workflow_move("rejected")
        return True

    def action_destroy(self):
        """Queue the destruction of the records of approved requests: the
        retention job destroys them in the background, batch after batch,
        with the register rows in the name of the archivist who ordered it,
        and closes each request when its last record is handled."""
        self._check_archivist()
        for request in self:
            if request.state != "approved":
                raise UserError(
                    _(
                        "Request %(name)s is not approved: its records cannot be destroyed.",
                        name=request.name,
                    )
                )
        self._workflow_write(
            {"destroy_queued_by_id": self.env.uid, "destroy_queued_at": fields.Datetime.now()}
        )
        self.env.ref("service_quality.ir_cron_retention_destroy_approved").sudo()._trigger()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "title": _("Destruction queued"),
                "message": _(
                    "%(names)s: the retention job destroys the records in the background; the "
                    "request moves to Destroyed when it is done.",
                    names=", ".join(self.mapped("name")),
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    # ------------------------------------------------------------------
    # Destruction
    # ------------------------------------------------------------------
    @api.model
    def _cron_destroy_approved(self):
        """One locked batch of pending lines of approved requests per call
        (see ``service.retention.request.line._destroy_batch``), then the
        requests with nothing left pending are closed. Each batch commits
        on its own (the cron runner commits between calls): a crash leaves
        every record either present (line pending) or deleted with its
        register row, and the next call resumes."""
        requests = self.sudo().search(
            [("state", "=", "approved")], order="id"
        )  # sudo: the job acts for the approver
        Line = self.env["service.retention.request.line"].sudo()
        if not requests:
            return Line._cron_done(0, 0)
        batch_size = max(requests.policy_id.mapped("batch_size") or [1000])
        lines = Line._cron_lock_batch(
            Line._destroy_condition(requests.ids), batch_size, order=DESTROY_ORDER
        )
        if not lines:
            # nothing left to take: every approved request is looked at (one
            # whose lines were all handled otherwise closes too)
            requests._close_finished()
            return Line._cron_done(0, 0)
        done = lines._destroy_locked()
        if len(lines) == batch_size:
            # a request can only have finished if this batch handled some of
            # its lines; lines may be left: the runner calls again, and a call
            # that finds none closes the run (not counted: the count would
            # read the next batch's lines once more after every batch)
            lines.request_id._close_finished()
            return Line._cron_done(done, 1)
        # the batch took every line left (but those a concurrent run holds
        # and handles): every approved request is looked at
        requests._close_finished()
        return Line._cron_done(done, 0)

    def _close_finished(self):
        self.env.flush_all()
        rows = self.env.execute_query(
            SQL(
                "SELECT r.id FROM service_retention_request r WHERE r.id IN %s AND r.state = 'approved' "
                "AND NOT EXISTS (SELECT 1 FROM service_retention_request_line l "
                "WHERE l.request_id = r.id AND l.state = 'pending')",
                tuple(self.ids) or (0,),
            )
        )
        finished = self.browse([row[0] for row in rows])
        if not finished:
            return
        finished._workflow_move("done", {"destroyed_at": fields.Datetime.now()})
        labels = dict(
            self.env["service.retention.request.line"]
            ._fields["state"]
            ._description_selection(self.env)
        )
        for request in finished:
            request.invalidate_recordset(["destroyed_count", "line_count"])
            counts = dict(
                self.env["service.retention.request.line"]._read_group(
                    [("request_id", "=", request.id)], ["state"], ["__count"]
                )
            )
            request.message_post(
                body=_(
                    "Destruction done: %(summary)s.",
                    summary=", ".join(
                        f"{labels[state]} {count}" for state, count in sorted(counts.items())
                    ),
                ),
                subtype_xmlid="mail.mt_note",
            )
