from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .maintenance_equipment import BATCH_SIZE

DIAGNOSIS_HOURS = 24
REPAIR_HOURS = 48


class MaintenanceRequest(models.Model):
    _name = "maintenance.request"
    _inherit = ["maintenance.request", "service.notify.mixin", "service.cron.mixin"]

    care_plan_id = fields.Many2one(
        "equipment.care.plan", string="Care Plan", index=True, readonly=True
    )
    care_plan_type = fields.Selection(
        related="care_plan_id.plan_type", store=True, string="Plan Type"
    )
    # Fault handling (corrective requests)
    reported_at = fields.Datetime(string="Reported At", copy=False, index=True)
    diagnosis_due = fields.Datetime(
        string="Diagnosis Due", compute="_compute_fault_deadlines", store=True, index=True
    )
    repair_due = fields.Datetime(
        string="Repair Due", compute="_compute_fault_deadlines", store=True, index=True
    )
    diagnosed_at = fields.Datetime(copy=False, readonly=True)
    fault_cause = fields.Text(string="Cause")
    fault_action = fields.Text(string="Action Taken")
    repaired_at = fields.Datetime(copy=False, readonly=True)
    repaired_by_id = fields.Many2one("res.users", string="Repaired By", copy=False, readonly=True)
    recheck_result = fields.Selection(
        [("pass", "Pass"), ("fail", "Fail")],
        string="Re-check Result",
        copy=False,
        readonly=True,
        tracking=True,
    )
    recheck_by_id = fields.Many2one("res.users", string="Re-checked By", copy=False, readonly=True)
    recheck_at = fields.Datetime(string="Re-checked At", copy=False, readonly=True)
    fault_state = fields.Selection(
        [
            ("reported", "Reported"),
            ("diagnosed", "Diagnosed"),
            ("repaired", "Repaired, to re-check"),
            ("closed", "Re-checked"),
        ],
        compute="_compute_fault_state",
        store=True,
        index=True,
    )
    diagnosis_escalated = fields.Boolean(copy=False, readonly=True)
    repair_escalated = fields.Boolean(copy=False, readonly=True)

    @api.depends("reported_at")
    def _compute_fault_deadlines(self):
        for request in self:
            if request.reported_at:
                request.diagnosis_due = request.reported_at + timedelta(hours=DIAGNOSIS_HOURS)
                request.repair_due = request.reported_at + timedelta(hours=REPAIR_HOURS)
            else:
                request.diagnosis_due = request.repair_due = False

    @api.depends("maintenance_type", "diagnosed_at", "repaired_at", "recheck_result")
    def _compute_fault_state(self):
        for request in self:
            if request.maintenance_type != "corrective":
                request.fault_state = False
            elif request.recheck_result == "pass":
                request.fault_state = "closed"
            elif request.repaired_at:
                request.fault_state = "repaired"
            elif request.diagnosed_at:
                request.fault_state = "diagnosed"
            else:
                request.fault_state = "reported"

    @api.model_create_multi
    def create(self, vals_list):
        now = fields.Datetime.now()
        for vals in vals_list:
            if vals.get("maintenance_type", "corrective") == "corrective" and not vals.get(
                "reported_at"
            ):
                vals["reported_at"] = now
        requests = super().create(vals_list)
        for request in requests:
            tool = request.equipment_id
            if request.maintenance_type == "corrective" and tool.care_status == "available":
                tool._set_care_status("in_repair")
        return requests

    def write(self, vals):
        res = super().write(vals)
        if "stage_id" in vals:
            self.filtered(lambda r: r.stage_id.done)._on_care_done()
        return res

    def _on_care_done(self):
        """Inspection-type plan requests move the tool's inspection dates with
        the actual completion date."""
        for request in self:
            tool = request.equipment_id
            if request.care_plan_type in ("daily_check", "quarterly", "annual_overhaul") and tool:
                done_on = request.close_date or fields.Date.context_today(self)
                if not tool.last_inspection_date or tool.last_inspection_date < done_on:
                    # sudo: the date follows the check whoever did it closed;
                    # the register itself is the keepers'
                    tool.sudo().last_inspection_date = done_on

    # ------------------------------------------------------------------
    # Fault actions
    # ------------------------------------------------------------------
    def _check_fault(self):
        for request in self:
            if request.maintenance_type != "corrective":
                raise UserError(
                    _("Request %(name)s is not a corrective (fault) request.", name=request.name)
                )

    def action_fault_diagnosed(self):
        self._check_fault()
        for request in self:
            if not request.fault_cause:
                raise UserError(
                    _("Fault %(name)s: record the cause before the diagnosis.", name=request.name)
                )
            if request.diagnosed_at:
                raise UserError(_("Fault %(name)s is already diagnosed.", name=request.name))
        self.write({"diagnosed_at": fields.Datetime.now()})
        return True

    def action_fault_repaired(self):
        self._check_fault()
        for request in self:
            if not request.diagnosed_at:
                raise UserError(
                    _("Fault %(name)s must be diagnosed before it is repaired.", name=request.name)
                )
            if not request.fault_action:
                raise UserError(
                    _(
                        "Fault %(name)s: record the action taken before the repair.",
                        name=request.name,
                    )
                )
            if request.repaired_at:
                raise UserError(_("Fault %(name)s is already repaired.", name=request.name))
        self.write(
            {
                "repaired_at": fields.Datetime.now(),
                "repaired_by_id": self.env.user.id,
                "recheck_result": False,
            }
        )
        return True

    def _fault_recheck(self, result):
        self._check_fault()
        for request in self:
            if not request.repaired_at:
                raise UserError(_("Fault %(name)s has not been repaired yet.", name=request.name))
            if request.repaired_by_id == self.env.user:
                raise UserError(
                    _(
                        "Fault %(name)s: the re-check must be done by someone other than "
                        "the repairer (%(user)s).",
                        name=request.name,
                        user=request.repaired_by_id.name,
                    )
                )
        now = fields.Datetime.now()
        vals = {"recheck_result": result, "recheck_by_id": self.env.user.id, "recheck_at": now}
        if result == "fail":
            # back to repair: the repair deadline keeps running
            vals.update(repaired_at=False, repaired_by_id=False)
        self.write(vals)
        if result == "pass":
            done_stage = self.env["maintenance.stage"].search([("done", "=", True)], limit=1)
            if done_stage:
                self.write({"stage_id": done_stage.id})
            for request in self:
                tool = request.equipment_id
                if tool.care_status == "in_repair":
                    tool._set_care_status(tool._status_after_release())
        return True

    def action_fault_recheck_pass(self):
        return self._fault_recheck("pass")

    def action_fault_recheck_fail(self):
        return self._fault_recheck("fail")

    # ------------------------------------------------------------------
    # Jobs
    # ------------------------------------------------------------------
    @api.model
    def _fault_escalation_steps(self):
        """(deadline field, done field, marker field, step label) of each
        escalated deadline of a fault."""
        return (
            ("diagnosis_due", "diagnosed_at", "diagnosis_escalated", _("diagnosis")),
            ("repair_due", "repaired_at", "repair_escalated", _("repair")),
        )

    @api.model
    def _fault_escalation_condition(self, step, now):
        due_field, done_field, marker, _label = step
        return SQL(
            """maintenance_type = 'corrective' AND %s IS NOT TRUE AND %s IS NULL AND %s < %s
               AND NOT EXISTS (SELECT 1 FROM maintenance_stage s
                                WHERE s.id = maintenance_request.stage_id AND s.done)""",
            SQL.identifier(marker),
            SQL.identifier(done_field),
            SQL.identifier(due_field),
            now,
        )

    @api.model
    def _cron_escalate_faults(self, batch_size=BATCH_SIZE):
        """Escalate faults whose diagnosis (24 h) or repair (48 h) deadline
        passed, once per deadline (marker fields): one locked batch per call,
        the diagnosis deadlines first."""
        now = fields.Datetime.now()
        done = remaining = 0
        for step in self._fault_escalation_steps():
            condition = self._fault_escalation_condition(step, now)
            if done:
                # a later deadline, left for the next calls
                remaining += self._cron_count(condition)
                continue
            requests = self._cron_lock_batch(condition, batch_size)
            if requests:
                requests.write({step[2]: True})
                requests._notify_fault_escalated(step)
                done = len(requests)
            remaining += self._cron_remaining(condition, requests, batch_size)
        return self._cron_done(done, remaining)

    def _notify_fault_escalated(self, step):
        """Note the breach on each fault, addressed to the equipment keepers,
        its technician and its team, and give each keeper an activity (a
        constant number of assignees per batch; the technician already has
        the request)."""
        due_field, _done_field, _marker, label = step
        keepers = self._notify_group_users("equipment_care.group_equipment_keeper")
        activity_type = self._notify_ref("mail.mail_activity_data_todo")
        summary = _("Fault %(step)s deadline breached", step=label)
        bodies, partners, activities = {}, {}, []
        local_time = self.env["service.local.time"]
        # a loop, not a comprehension: ``_`` finds the language in this frame
        for request in self:
            bodies[request.id] = _(
                "Fault %(name)s breached its %(step)s deadline (%(due)s): "
                "escalated to the equipment keepers.",
                name=request.name,
                step=label,
                due=local_time._format_local_datetime(
                    request[due_field], reader=False, company=request.company_id
                ),
            )
            partners[request.id] = (
                keepers.partner_id
                | request.user_id.partner_id
                | request.maintenance_team_id.member_ids.partner_id
            )
            activities += [
                {"res_id": request.id, "summary": summary, "user_id": user.id} for user in keepers
            ]
        self._notify_log_batch(bodies, partners)
        self._notify_schedule_batch(activity_type, activities)
