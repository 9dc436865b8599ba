from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from .maintenance_equipment import BATCH_SIZE

# Default time a tool stays out: a working day.
DEFAULT_CHECKOUT_HOURS = 8


class EquipmentCheckout(models.Model):
    _name = "equipment.checkout"
    _description = "Tool Check-out"
    _inherit = [
        "service.workflow.mixin",
        "service.notify.mixin",
        "service.cron.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "checkout_at desc, id desc"
    _check_company_auto = True
    _rec_name = "name"
    _workflow_fields = ("state", "returned_at")
    _workflow_moves = {"returned": ("out",)}
    # A returned check-out is the tool's custody record.
    _workflow_final_states = ("returned",)
    _workflow_evidence_fields = (
        "equipment_id",
        "employee_id",
        "user_id",
        "service_order_id",
        "checkout_at",
        "expected_return_at",
        "returned_at",
        "return_condition",
        "return_note",
        "company_id",
    )

    name = fields.Char(compute="_compute_name", store=True)
    equipment_id = fields.Many2one(
        "maintenance.equipment",
        string="Tool",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
        ondelete="restrict",
    )
    tool_code = fields.Char(related="equipment_id.tool_code", store=True, string="Tool Code")
    employee_id = fields.Many2one(
        "hr.employee",
        string="Employee",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
        default=lambda self: self.env.user.employee_id,
    )
    user_id = fields.Many2one(
        "res.users", related="employee_id.user_id", store=True, index=True, string="User"
    )
    service_order_id = fields.Many2one(
        "service.order", string="Service Order", index=True, check_company=True, tracking=True
    )
    checkout_at = fields.Datetime(
        string="Checked Out At", required=True, default=fields.Datetime.now, readonly=True
    )
    expected_return_at = fields.Datetime(
        string="Expected Back",
        required=True,
        tracking=True,
        default=lambda self: fields.Datetime.now() + timedelta(hours=DEFAULT_CHECKOUT_HOURS),
        help="When the tool should be back in the tool room; by default a working day later.",
    )
    returned_at = fields.Datetime(string="Returned At", readonly=True, copy=False)
    return_condition = fields.Selection(
        [("ok", "OK"), ("damaged", "Damaged"), ("lost", "Lost")],
        string="Condition on Return",
        copy=False,
        tracking=True,
    )
    return_note = fields.Text(string="Return Note")
    state = fields.Selection(
        [("out", "Checked Out"), ("returned", "Returned")],
        default="out",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
        copy=False,
    )
    is_overdue = fields.Boolean(compute="_compute_is_overdue", search="_search_is_overdue")
    escalated_at = fields.Datetime(
        readonly=True, copy=False, help="When the overdue return was escalated to the keepers."
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    _sql_constraints = [
        (
            "return_after_checkout",
            "CHECK(returned_at IS NULL OR returned_at >= checkout_at)",
            "A tool cannot be returned before it was checked out.",
        ),
    ]

    def init(self):
        # One open check-out per tool, enforced by the database even under concurrency.
        self.env.cr.execute(
            SQL(
                """CREATE UNIQUE INDEX IF NOT EXISTS equipment_checkout_one_open_per_tool
                       ON equipment_checkout (equipment_id) WHERE state = 'out'"""
            )
        )

    @api.depends("equipment_id", "employee_id")
    def _compute_name(self):
        for checkout in self:
            checkout.name = "%s → %s" % (
                checkout.equipment_id.tool_code or checkout.equipment_id.name or "",
                checkout.employee_id.name or "",
            )

    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for checkout in self:
            checkout.is_overdue = checkout.state == "out" and checkout.expected_return_at < now

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Unsupported search on overdue check-outs."))
        overdue = [("state", "=", "out"), ("expected_return_at", "<", fields.Datetime.now())]
        return overdue if (operator == "=") == value else ["!", "&", *overdue]

    @api.constrains("checkout_at", "expected_return_at")
    def _check_expected_return(self):
        for checkout in self:
            if checkout.expected_return_at <= checkout.checkout_at:
                raise ValidationError(
                    _(
                        "Check-out of %(tool)s: the expected return must be after the check-out.",
                        tool=checkout.equipment_id.display_name,
                    )
                )

    @api.constrains("state", "returned_at")
    def _check_returned_at(self):
        for checkout in self:
            if checkout.state == "returned" and not checkout.returned_at:
                raise ValidationError(
                    _(
                        "Check-out %(name)s cannot be returned without the time it was checked in.",
                        name=checkout.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        tools = self.env["maintenance.equipment"].browse([v.get("equipment_id") for v in vals_list])
        if len(set(tools.ids)) != len(vals_list):
            raise UserError(_("A tool can be checked out only once at a time."))
        tools._check_can_check_out()
        checkouts = super().create(vals_list)
        checkouts.equipment_id._set_care_status("checked_out")
        return checkouts

    @api.ondelete(at_uninstall=False)
    def _unlink_except_open(self):
        for checkout in self:
            if checkout.state == "out":
                raise UserError(
                    _(
                        "Check-out %(name)s is still open: check the tool in first.",
                        name=checkout.name,
                    )
                )

    def _workflow_actions_hint(self, field_names):
        return _("the Check In button")

    def action_check_in(self, condition=None, note=None):
        """Return the tools; ``condition`` defaults to the one set on the record, else ok."""
        for checkout in self:
            if checkout.state != "out":
                raise UserError(
                    _(
                        "Tool %(tool)s was already returned on %(date)s.",
                        tool=checkout.equipment_id.display_name,
                        date=checkout.returned_at,
                    )
                )
        now = fields.Datetime.now()
        for checkout in self:
            cond = condition or checkout.return_condition or "ok"
            vals = {"returned_at": now, "return_condition": cond}
            if note:
                vals["return_note"] = note
            checkout._workflow_move("returned", vals)
            tool = checkout.equipment_id
            if cond == "ok":
                tool._set_care_status(tool._status_after_release())
            elif cond == "damaged":
                tool._set_care_status("in_repair")
                self.env["maintenance.request"].create(
                    {
                        "name": _("Damaged on return: %(tool)s", tool=tool.display_name),
                        "equipment_id": tool.id,
                        "maintenance_type": "corrective",
                        "description": checkout.return_note or False,
                        "company_id": checkout.company_id.id,
                    }
                )
            else:
                tool._set_care_status("blocked")
                tool.message_post(
                    body=_("Reported lost on return of check-out %(name)s.", name=checkout.name)
                )
        return True

    # ------------------------------------------------------------------
    # Jobs
    # ------------------------------------------------------------------
    @api.model
    def _cron_escalate_overdue(self, batch_size=BATCH_SIZE):
        """Escalate overdue returns once each (``escalated_at`` marker): a
        note on the check-out addressed to the equipment keepers and the
        borrower, and an activity for each keeper, who chases the return (a
        constant number of assignees per batch: one activity create and one
        subscription per keeper). One locked batch per call."""
        now = fields.Datetime.now()
        condition = SQL("state = 'out' AND escalated_at IS NULL AND expected_return_at < %s", now)
        checkouts = self._cron_lock_batch(condition, batch_size)
        if checkouts:
            checkouts.write({"escalated_at": now})
            checkouts._notify_overdue()
        return self._cron_done(
            len(checkouts), self._cron_remaining(condition, checkouts, batch_size)
        )

    def _notify_overdue(self):
        keepers = self._notify_group_users("equipment_care.group_equipment_keeper")
        activity_type = self._notify_ref("mail.mail_activity_data_todo")
        summary = _("Overdue tool return")
        bodies, partners, activities = {}, {}, []
        local_time = self.env["service.local.time"]
        for checkout in self:
            bodies[checkout.id] = _(
                "Tool %(tool)s is overdue: it was expected back on %(date)s from %(employee)s.",
                tool=checkout.equipment_id.display_name,
                date=local_time._format_local_datetime(
                    checkout.expected_return_at, reader=False, company=checkout.company_id
                ),
                employee=checkout.employee_id.name,
            )
            partners[checkout.id] = keepers.partner_id | checkout.user_id.partner_id
            activities += [
                {"res_id": checkout.id, "summary": summary, "user_id": keeper.id}
                for keeper in keepers
            ]
        self._notify_log_batch(bodies, partners)
        self._notify_schedule_batch(activity_type, activities)
