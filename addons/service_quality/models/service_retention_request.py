import threading

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

# Workflow fields: written by the actions only, never by a plain write.
PROTECTED_FIELDS = {
    "state",
    "policy_id",
    "requested_by_id",
    "requested_at",
    "approved_by_id",
    "approved_at",
    "destroyed_at",
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
        """Destroy the records of approved requests now, batch after batch."""
        self._check_archivist()
        for request in self:
            if request.state != "approved":
                raise UserError(
                    _(
                        "Request %(name)s is not approved: its records cannot be destroyed.",
                        name=request.name,
                    )
                )
        self._destroy(commit=True)
        return True

    # ------------------------------------------------------------------
    # Destruction
    # ------------------------------------------------------------------
    def _destroy(self, commit=True, batch_size=None):
        """Destroy the pending lines of the approved requests in ``self``.

        Each batch runs in a savepoint and, outside tests, is committed before
        the next: a crash leaves every record either present (line pending) or
        deleted with its register row; running again resumes."""
        do_commit = commit and not getattr(threading.current_thread(), "testing", False)
        requests = self.sudo()  # sudo: the register and deletion run on behalf of the approver
        Line = self.env["service.retention.request.line"].sudo()
        batch_size = batch_size or max(requests.policy_id.mapped("batch_size") or [1000])
        last_id = 0
        while True:
            with self.env.cr.savepoint():
                processed, last_id = Line._destroy_batch(requests.ids, batch_size, last_id)
            if do_commit:
                self.env.cr.commit()
            if not processed:
                break
        requests._close_finished()
        if do_commit:
            self.env.cr.commit()

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
        if finished:
            finished._workflow_move("done", {"destroyed_at": fields.Datetime.now()})

    @api.model
    def _cron_destroy_approved(self):
        self.search([("state", "=", "approved")])._destroy(commit=True)
