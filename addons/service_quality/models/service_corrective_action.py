from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

INSPECTOR_FIELDS = {
    "name",
    "action_type",
    "complaint_id",
    "inspection_id",
    "inspection_line_id",
    "drill_id",
    "owner_id",
    "deadline",
    "effectiveness",
    "effectiveness_note",
    "company_id",
}
# Dispatchers handle complaints and emergency drills: they plan the actions of
# a complaint or a drill (what, who, by when); the effectiveness check stays
# with quality inspectors.
DISPATCHER_FIELDS = {"name", "action_type", "owner_id", "deadline"}


class ServiceCorrectiveAction(models.Model):
    _name = "service.corrective.action"
    _description = "Corrective Action"
    _inherit = [
        "service.workflow.mixin",
        "service.notify.mixin",
        "service.cron.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "deadline, id"
    _check_company_auto = True
    _workflow_fields = ("state", "done_on", "verified_by_id", "verified_on")
    _workflow_moves = {
        "done": ("open",),
        "verified": ("done",),
        # a failed effectiveness check reopens it; a cancelled one is reset
        "open": ("done", "cancelled"),
        "cancelled": ("open",),
    }
    _workflow_final_states = ("verified",)
    _workflow_evidence_fields = (
        "name",
        "action_type",
        "description",
        "complaint_id",
        "inspection_id",
        "inspection_line_id",
        "drill_id",
        "owner_id",
        "deadline",
        "done_on",
        "effectiveness",
        "effectiveness_note",
        "verified_by_id",
        "verified_on",
        "company_id",
    )
    _workflow_reopen_states = {"verified": "done"}

    name = fields.Char(string="Action to Take", required=True, tracking=True)
    action_type = fields.Selection(
        [
            ("immediate", "Immediate"),
            ("corrective", "Corrective"),
            ("preventive", "Preventive"),
            ("improvement", "Improvement"),
        ],
        string="Type",
        default="corrective",
        required=True,
        index=True,
        tracking=True,
    )
    description = fields.Html()
    complaint_id = fields.Many2one(
        "service.complaint", index=True, ondelete="cascade", check_company=True
    )
    inspection_id = fields.Many2one(
        "service.inspection", index=True, ondelete="cascade", check_company=True
    )
    inspection_line_id = fields.Many2one(
        "service.inspection.line", index=True, ondelete="set null", string="Failed Checklist Item"
    )
    drill_id = fields.Many2one(
        "service.emergency.drill",
        string="Emergency Drill",
        index="btree_not_null",
        ondelete="cascade",
        check_company=True,
        help="The drill whose findings this action follows up.",
    )
    owner_id = fields.Many2one(
        "res.users", string="Owner", required=True, index=True, tracking=True, check_company=True
    )
    deadline = fields.Date(required=True, index=True, tracking=True)
    done_on = fields.Date(copy=False, tracking=True, readonly=True)
    state = fields.Selection(
        [
            ("open", "Open"),
            ("done", "Done"),
            ("verified", "Verified"),
            ("cancelled", "Cancelled"),
        ],
        default="open",
        required=True,
        index=True,
        tracking=True,
        copy=False,
    )
    effectiveness = fields.Selection(
        [("effective", "Effective"), ("not_effective", "Not Effective")],
        copy=False,
        tracking=True,
    )
    effectiveness_note = fields.Text(string="Effectiveness Check", copy=False)
    verified_by_id = fields.Many2one(
        "res.users", string="Verified By", copy=False, tracking=True, readonly=True
    )
    verified_on = fields.Date(copy=False, tracking=True, readonly=True)
    reminder_sent_for = fields.Date(
        copy=False,
        help="Deadline for which the reminder went out: a reminder is sent once per deadline.",
    )
    is_overdue = fields.Boolean(compute="_compute_is_overdue", search="_search_is_overdue")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for action in self:
            action.is_overdue = (
                action.state == "open" and action.deadline and action.deadline < today
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Unsupported search on overdue corrective actions."))
        domain = [("state", "=", "open"), ("deadline", "<", fields.Date.context_today(self))]
        positive = (operator == "=") == value
        return domain if positive else ["!", "&", *domain]

    # ``name`` is required, so it is in every create: the check runs even when
    # the values leave both origins out (constraints only run on given fields).
    @api.constrains("name", "complaint_id", "inspection_id", "drill_id")
    def _check_origin(self):
        for action in self:
            if not action.complaint_id and not action.inspection_id and not action.drill_id:
                raise ValidationError(
                    _(
                        "Corrective action %(name)s must belong to a complaint, an inspection "
                        "or an emergency drill.",
                        name=action.name,
                    )
                )

    @api.constrains("verified_by_id", "owner_id")
    def _check_verifier(self):
        for action in self:
            if action.verified_by_id and action.verified_by_id == action.owner_id:
                raise ValidationError(
                    _(
                        "Corrective action %(name)s: the effectiveness must be checked by someone "
                        "other than its owner %(owner)s.",
                        name=action.name,
                        owner=action.owner_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and not self.env.user.has_group(
            "service_quality.group_quality_inspector"
        ):
            # Dispatchers (the other role allowed to create) add actions to
            # complaints only: inspections and their findings are quality's.
            for vals in vals_list:
                if vals.get("inspection_id") or vals.get("inspection_line_id"):
                    inspection = self.env["service.inspection"].browse(
                        vals.get("inspection_id")
                    ) or (
                        self.env["service.inspection.line"]
                        .browse(vals["inspection_line_id"])
                        .inspection_id
                    )
                    raise AccessError(
                        _(
                            "Corrective action %(name)s: only a quality inspector can add "
                            "actions to inspection %(inspection)s.",
                            name=vals.get("name", ""),
                            inspection=inspection.display_name,
                        )
                    )
        actions = super().create(vals_list)
        # The constraint above only runs for the fields given: an action
        # created with neither origin must be refused too.
        actions._check_origin()
        return actions

    def write(self, vals):
        # Owners (technicians) may report their action done; planning it and
        # judging its effectiveness is the quality inspectors' job.
        protected = set(vals) & INSPECTOR_FIELDS
        if (
            protected
            and not self.env.su
            and not self.env.user.has_group("service_quality.group_quality_inspector")
            and not self._dispatcher_may_plan(protected)
        ):
            labels = ", ".join(
                sorted(self._fields[name].get_description(self.env)["string"] for name in protected)
            )
            raise AccessError(
                _(
                    "Only a quality inspector can change %(fields)s on corrective action %(name)s.",
                    fields=labels,
                    name=", ".join(self.mapped("name")),
                )
            )
        return super().write(vals)

    def _workflow_check_move(self, target):
        super()._workflow_check_move(target)
        if target == "done" or self.env.su:
            return
        # Judging the effectiveness, cancelling and resetting are the quality
        # inspectors' job; the owner only reports the action done.
        if not self.env.user.has_group("service_quality.group_quality_inspector"):
            raise AccessError(
                _(
                    "Corrective action %(name)s: only a quality inspector can check its "
                    "effectiveness, cancel or reset it.",
                    name=", ".join(self.mapped("name")),
                )
            )

    def _workflow_reopen_values(self, target):
        """Back to done: the effectiveness is checked again."""
        vals = super()._workflow_reopen_values(target)
        vals.update(effectiveness=False, verified_by_id=False, verified_on=False)
        return vals

    def action_done(self):
        return self._workflow_move("done", {"done_on": fields.Date.context_today(self)})

    def action_verify(self):
        """Record the effectiveness check. The verifier is the current user,
        who must not be the owner. A non-effective action goes back to open."""
        user = self.env.user
        for action in self:
            if action.state != "done":
                raise UserError(
                    _(
                        "Corrective action %(name)s must be done before its effectiveness is checked.",
                        name=action.name,
                    )
                )
            if not action.effectiveness:
                raise UserError(
                    _(
                        "Corrective action %(name)s: choose whether it was effective first.",
                        name=action.name,
                    )
                )
            if action.owner_id == user:
                raise UserError(
                    _(
                        "Corrective action %(name)s: you own it, so someone else must check its effectiveness.",
                        name=action.name,
                    )
                )
        today = fields.Date.context_today(self)
        effective = self.filtered(lambda a: a.effectiveness == "effective")
        failed = self - effective
        # every move is checked before anything is written
        effective._workflow_check_move("verified")
        failed._workflow_check_move("open")
        effective._workflow_move("verified", {"verified_by_id": user.id, "verified_on": today})
        if failed:
            failed._workflow_move(
                "open", {"done_on": False, "verified_by_id": user.id, "verified_on": today}
            )
            for action in failed:
                action.message_post(
                    body=_("Effectiveness check failed: the action is open again."),
                    partner_ids=action.owner_id.partner_id.ids,
                )
        return True

    def action_cancel(self):
        return self.filtered(lambda a: a.state == "open")._workflow_move("cancelled")

    def action_reset(self):
        return self.filtered(lambda a: a.state == "cancelled")._workflow_move("open")

    @api.model
    def _action_for(self, field_name, record, **defaults):
        """The corrective actions window of ``record`` (its actions through
        ``field_name``); new actions are linked to it, in its company, with
        ``defaults`` (field: value) as further default values."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "service_quality.service_corrective_action_action"
        )
        action["domain"] = [(field_name, "=", record.id)]
        action["context"] = {
            f"default_{field_name}": record.id,
            "default_company_id": record.company_id.id,
            **{f"default_{name}": value for name, value in defaults.items()},
        }
        return action

    def _dispatcher_may_plan(self, field_names):
        """Dispatchers may change the planning ``field_names`` of actions that
        belong to a complaint or an emergency drill (and to no inspection)."""
        return (
            field_names <= DISPATCHER_FIELDS
            and self.env.user.has_group("service_quality.group_service_dispatcher")
            and all(
                (action.complaint_id or action.drill_id) and not action.inspection_id
                for action in self
            )
        )

    @api.model
    def _cron_send_reminders(self, days_before=3, batch_size=200):
        """Remind owners of open actions whose deadline falls within the next
        ``days_before`` days, or has already passed. The window (not one exact
        day) means a missed run still reminds at the next one; the
        ``reminder_sent_for`` marker keeps it to one reminder per deadline.
        One locked batch per call."""
        today = fields.Date.context_today(self)
        condition = SQL(
            """state = 'open' AND deadline <= %s
               AND (reminder_sent_for IS NULL OR reminder_sent_for != deadline)""",
            today + timedelta(days=days_before),
        )
        actions = self._cron_lock_batch(condition, batch_size, order=SQL("deadline, id"))
        actions._send_deadline_reminder(today)
        return self._cron_done(len(actions), self._cron_remaining(condition, actions, batch_size))

    def _send_deadline_reminder(self, today):
        """Remind each owner of its action (note and activity on the action's
        deadline) and mark the deadline as reminded: one message create per
        owner, one activity create per owner and deadline, one update."""
        self.fetch(["name", "deadline", "owner_id"])
        activity_type = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        bodies, partners, activities = {}, {}, []
        # the note and the activity are read by the action's owner
        for part in self._notify_by_lang({action.id: action.owner_id for action in self}):
            local_time = part.env["service.local.time"]
            summary = part.env._("Corrective action due")
            for action in part:
                deadline = local_time._format_local_date(action.deadline)
                if action.deadline < today:
                    body = part.env._(
                        "Corrective action %(name)s is overdue since %(deadline)s.",
                        name=action.name,
                        deadline=deadline,
                    )
                else:
                    body = part.env._(
                        "Corrective action %(name)s is due on %(deadline)s.",
                        name=action.name,
                        deadline=deadline,
                    )
                bodies[action.id] = body
                partners[action.id] = action.owner_id.partner_id
                if action.owner_id:
                    activities.append(
                        {
                            "res_id": action.id,
                            "summary": summary,
                            "user_id": action.owner_id.id,
                            "date_deadline": action.deadline,
                        }
                    )
        self._notify_log_batch(bodies, partners)
        self._notify_schedule_batch(activity_type, activities)
        # written at the flush in one UPDATE whatever the number of deadlines
        for action in self.with_context(tracking_disable=True):
            action.reminder_sent_for = action.deadline
