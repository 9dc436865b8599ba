from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import is_html_empty


class EquipmentRetirement(models.Model):
    _name = "equipment.retirement"
    _description = "Tool Retirement"
    _inherit = ["service.workflow.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True
    _workflow_fields = ("state", "requested_by_id", "approved_by_id", "approved_at", "done_at")
    _workflow_moves = {
        "submitted": ("draft",),
        "approved": ("submitted",),
        "done": ("approved",),
        "cancelled": ("draft", "submitted", "approved"),
    }
    # A retired tool's file: the decision and who took it.
    _workflow_final_states = ("done",)
    _workflow_evidence_fields = (
        "equipment_id",
        "reason",
        "assessment",
        "disposal_method",
        "requested_by_id",
        "approved_by_id",
        "approved_at",
        "done_at",
        "company_id",
    )

    name = fields.Char(compute="_compute_name", store=True)
    equipment_id = fields.Many2one(
        "maintenance.equipment",
        string="Tool",
        required=True,
        index=True,
        check_company=True,
        ondelete="restrict",
    )
    reason = fields.Selection(
        [
            ("worn_out", "Worn Out"),
            ("damaged", "Damaged Beyond Repair"),
            ("obsolete", "Obsolete"),
            ("lost", "Lost"),
            ("calibration", "Cannot Be Calibrated"),
        ],
        required=True,
        tracking=True,
    )
    assessment = fields.Html(
        help="Technical assessment of the tool's condition and residual value."
    )
    disposal_method = fields.Selection(
        [
            ("scrap", "Scrap"),
            ("recycle", "Recycle"),
            ("sell", "Sell"),
            ("donate", "Donate"),
            ("return_vendor", "Return to Vendor"),
        ],
        required=True,
        tracking=True,
    )
    requested_by_id = fields.Many2one(
        "res.users",
        string="Requested By",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
        index=True,
        copy=False,
    )
    approved_by_id = fields.Many2one("res.users", string="Approved By", readonly=True, copy=False)
    approved_at = fields.Datetime(readonly=True, copy=False)
    done_at = fields.Datetime(string="Retired At", readonly=True, copy=False)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("approved", "Approved"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
        copy=False,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    @api.depends("equipment_id")
    def _compute_name(self):
        for retirement in self:
            retirement.name = _("Retirement of %(tool)s", tool=retirement.equipment_id.display_name)

    @api.constrains("state", "approved_by_id", "requested_by_id")
    def _check_approval(self):
        """Approved and done retirements carry an approver other than the
        requester, however they got there."""
        for retirement in self.filtered(lambda r: r.state in ("approved", "done")):
            approver = retirement.approved_by_id
            if not approver:
                raise ValidationError(
                    _("%(name)s cannot be approved without an approver.", name=retirement.name)
                )
            if approver == retirement.requested_by_id and not approver._is_superuser():
                raise ValidationError(
                    _(
                        "%(name)s: you requested this retirement, someone else must approve it.",
                        name=retirement.name,
                    )
                )

    def _workflow_actions_hint(self, field_names):
        return _("the Submit, Approve, Retire Tool and Cancel buttons")

    def action_submit(self):
        self._workflow_check_move("submitted")
        for retirement in self:
            if is_html_empty(retirement.assessment):
                raise UserError(
                    _("%(name)s: write the assessment before submitting it.", name=retirement.name)
                )
        self._workflow_move("submitted")
        return True

    def action_approve(self):
        self._workflow_check_move("approved")
        if not self.env.user.has_group("equipment_care.group_equipment_keeper"):
            raise UserError(_("Only an equipment keeper can approve a retirement."))
        self._check_approver_not_requester(
            "requested_by_id",
            _("%(name)s: you requested this retirement, someone else must approve it."),
        )
        self._workflow_move(
            "approved",
            {"approved_by_id": self.env.user.id, "approved_at": fields.Datetime.now()},
        )
        return True

    def action_done(self):
        self._workflow_check_move("done")
        for retirement in self:
            tool = retirement.equipment_id
            if tool.care_status == "checked_out":
                raise UserError(
                    _(
                        "%(name)s: the tool is still checked out; check it in first.",
                        name=retirement.name,
                    )
                )
        self._workflow_move("done", {"done_at": fields.Datetime.now()})
        for retirement in self:
            tool = retirement.equipment_id.with_context(care_status_internal=True, retiring=True)
            tool.write(
                {
                    "care_status": "retired",
                    "active": False,
                    "scrap_date": fields.Date.context_today(self),
                }
            )
            tool.message_post(
                body=_(
                    "Retired (%(method)s), approved by %(user)s.",
                    method=dict(self._fields["disposal_method"]._description_selection(self.env))[
                        retirement.disposal_method
                    ],
                    user=retirement.approved_by_id.name,
                )
            )
        return True

    def action_cancel(self):
        return self._workflow_move("cancelled")
