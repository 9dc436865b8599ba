from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.service_quality.models.service_workflow_mixin import retention_destroying

# What the lab certified: filled in once (the file may come later), never changed.
CERTIFICATE_FIELDS = (
    "performed_by",
    "certificate_number",
    "certificate_file",
    "certificate_filename",
)


class EquipmentCalibration(models.Model):
    _name = "equipment.calibration"
    _description = "Tool Calibration"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True
    _rec_name = "certificate_number"

    equipment_id = fields.Many2one(
        "maintenance.equipment",
        string="Tool",
        required=True,
        index=True,
        check_company=True,
        ondelete="cascade",
    )
    tool_code = fields.Char(related="equipment_id.tool_code", store=True)
    date = fields.Date(required=True, default=fields.Date.context_today, index=True)
    performed_by = fields.Char(string="Lab or Person", required=True)
    certificate_number = fields.Char(string="Certificate Number", index=True)
    certificate_file = fields.Binary(string="Certificate", attachment=True)
    certificate_filename = fields.Char()
    result = fields.Selection(
        [("pass", "Pass"), ("adjusted", "Adjusted"), ("fail", "Fail")],
        required=True,
        tracking=True,
    )
    next_due_date = fields.Date(
        string="Next Due", compute="_compute_next_due_date", store=True, readonly=False
    )
    note = fields.Text()
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    @api.depends("date", "result", "equipment_id.calibration_interval_days")
    def _compute_next_due_date(self):
        for calibration in self:
            interval = calibration.equipment_id.calibration_interval_days
            if calibration.result in ("pass", "adjusted") and calibration.date and interval:
                calibration.next_due_date = calibration.date + relativedelta(days=interval)
            else:
                calibration.next_due_date = False

    @api.constrains("result", "certificate_number", "date")
    def _check_certificate(self):
        today = fields.Date.context_today(self)
        for calibration in self:
            if calibration.result in ("pass", "adjusted") and not calibration.certificate_number:
                raise ValidationError(
                    _(
                        "Calibration of %(tool)s on %(date)s: a passing calibration needs "
                        "a certificate number.",
                        tool=calibration.equipment_id.display_name,
                        date=calibration.date,
                    )
                )
            if calibration.date > today:
                raise ValidationError(
                    _(
                        "Calibration of %(tool)s: the date %(date)s is in the future.",
                        tool=calibration.equipment_id.display_name,
                        date=calibration.date,
                    )
                )

    @api.constrains("date", "next_due_date")
    def _check_next_due_date(self):
        for calibration in self:
            if calibration.next_due_date and calibration.next_due_date <= calibration.date:
                raise ValidationError(
                    _(
                        "Calibration of %(tool)s on %(date)s: the next due date %(due)s must "
                        "come after the calibration date.",
                        tool=calibration.equipment_id.display_name,
                        date=calibration.date,
                        due=calibration.next_due_date,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        tools = self.env["maintenance.equipment"].browse([v.get("equipment_id") for v in vals_list])
        for tool in tools:
            if tool.care_status == "retired" or not tool.active:
                raise UserError(
                    _(
                        "Tool %(name)s is retired: it can no longer be calibrated.",
                        name=tool.display_name,
                    )
                )
        calibrations = super().create(vals_list)
        calibrations.sorted("date")._apply_to_equipment()
        return calibrations

    def write(self, vals):
        if {"result", "date", "equipment_id", "next_due_date"} & set(vals):
            raise UserError(
                _(
                    "A calibration record is evidence: record a new calibration "
                    "instead of changing it."
                )
            )
        # the certificate may be completed when the lab sends it, not changed
        for name in CERTIFICATE_FIELDS:
            if name in vals and any(
                calibration[name] and calibration[name] != vals[name] for calibration in self
            ):
                raise UserError(
                    _(
                        "Calibration of %(tool)s on %(date)s: %(field)s is already recorded and "
                        "can no longer be changed; record a new calibration instead.",
                        tool=self[0].equipment_id.display_name,
                        date=self[0].date,
                        field=self._fields[name]._description_string(self.env),
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_evidence(self):
        if self and not retention_destroying(self.env):
            raise UserError(
                _(
                    "Calibration of %(tool)s on %(date)s is part of the tool's records: it is "
                    "destroyed only with them, through an approved retention request.",
                    tool=self[0].equipment_id.display_name,
                    date=self[0].date,
                )
            )

    def _apply_to_equipment(self):
        """A failed calibration blocks the tool; a passing one (the latest)
        sets the dates and releases a tool blocked or due for calibration."""
        for calibration in self:
            tool = calibration.equipment_id
            if tool.last_calibration_date and tool.last_calibration_date > calibration.date:
                continue  # an older certificate entered late does not rule the tool
            if calibration.result == "fail":
                tool.calibration_blocked = True
                if tool.care_status != "checked_out":
                    tool._set_care_status("blocked")
                tool.message_post(
                    body=_(
                        "Calibration failed on %(date)s (%(by)s): the tool is blocked "
                        "until a passing calibration.",
                        date=calibration.date,
                        by=calibration.performed_by,
                    )
                )
                continue
            tool.write(
                {
                    "last_calibration_date": calibration.date,
                    "next_calibration_date": calibration.next_due_date
                    or tool.next_calibration_date,
                    "calibration_blocked": False,
                }
            )
            if tool.care_status in ("blocked", "calibration_due"):
                tool._set_care_status(tool._status_after_release())
