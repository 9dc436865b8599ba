import functools

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

CARE_STATUS = [
    ("available", "Available"),
    ("checked_out", "Checked Out"),
    ("in_repair", "In Repair"),
    ("calibration_due", "Calibration Due"),
    ("blocked", "Blocked"),
    ("retired", "Retired"),
]
BATCH_SIZE = 1000
# What Odoo's HR equipment allocation writes (hr_maintenance): who uses the
# tool, and since when.
HR_ALLOCATION_FIELDS = {"employee_id", "department_id", "equipment_assign_to", "assign_date"}


def is_register_keeper(env):
    """Whether the current user keeps the tool register: equipment keepers,
    and maintenance equipment managers who are not HR officers. Odoo's
    hr_maintenance makes every HR officer (training officers too) an
    equipment manager so they can allocate equipment to employees; that
    alone does not make them keepers of the tools."""
    user = env.user
    return (
        env.su
        or user.has_group("equipment_care.group_equipment_keeper")
        or (
            user.has_group("maintenance.group_equipment_manager")
            and not user.has_group("hr.group_hr_user")
        )
    )


class MaintenanceEquipment(models.Model):
    _name = "maintenance.equipment"
    _inherit = ["maintenance.equipment", "service.cron.mixin", "service.retention.mixin"]
    # A tool is found by its code in every picker and search ("MI-00001"),
    # as well as by its name or serial number.
    _rec_names_search = ["tool_code", "name", "serial_no"]

    tool_code = fields.Char(
        string="Tool Code",
        copy=False,
        index=True,
        tracking=True,
        readonly=True,
        help="Unified code (统一编号) given from the sequence of the equipment category.",
    )
    is_tool = fields.Boolean(
        string="Tool",
        compute="_compute_is_tool",
        store=True,
        readonly=False,
        index=True,
        help="Shown in the tool register. Follows the category's Tool Category flag.",
    )
    custodian_id = fields.Many2one(
        "hr.employee",
        string="Custodian",
        tracking=True,
        index=True,
        check_company=True,
        help="Employee accountable for the tool when it sits in the tool room.",
    )
    care_status = fields.Selection(
        CARE_STATUS,
        string="Care Status",
        default="available",
        required=True,
        index=True,
        tracking=True,
        copy=False,
    )
    inspection_interval_days = fields.Integer(string="Inspection Interval (days)", tracking=True)
    calibration_interval_days = fields.Integer(string="Calibration Interval (days)", tracking=True)
    last_inspection_date = fields.Date(tracking=True, copy=False)
    next_inspection_date = fields.Date(
        compute="_compute_next_inspection_date",
        store=True,
        readonly=False,
        index=True,
        copy=False,
        tracking=True,
    )
    last_calibration_date = fields.Date(tracking=True, copy=False)
    next_calibration_date = fields.Date(
        compute="_compute_next_calibration_date",
        store=True,
        readonly=False,
        index=True,
        copy=False,
        tracking=True,
    )
    calibration_blocked = fields.Boolean(
        readonly=True, copy=False, help="Set by a failed calibration, cleared by a passing one."
    )
    inspection_overdue = fields.Boolean(
        compute="_compute_overdue", search="_search_inspection_overdue"
    )
    calibration_overdue = fields.Boolean(
        compute="_compute_overdue", search="_search_calibration_overdue"
    )
    checkout_ids = fields.One2many("equipment.checkout", "equipment_id", string="Check-outs")
    current_checkout_id = fields.Many2one(
        "equipment.checkout", compute="_compute_current_checkout", string="Current Check-out"
    )
    checkout_count = fields.Integer(compute="_compute_care_counts")
    calibration_ids = fields.One2many(
        "equipment.calibration", "equipment_id", string="Calibrations"
    )
    calibration_count = fields.Integer(compute="_compute_care_counts")
    retirement_ids = fields.One2many("equipment.retirement", "equipment_id", string="Retirements")
    care_plan_ids = fields.One2many("equipment.care.plan", "equipment_id", string="Own Care Plans")
    fault_count = fields.Integer(compute="_compute_care_counts")

    _sql_constraints = [
        ("tool_code_uniq", "unique(tool_code)", "The tool code must be unique."),
    ]

    @api.depends("tool_code", "is_tool")
    def _compute_display_name(self):
        """Tools read "MI-00001 Insulation tester" wherever they are shown;
        other equipment keeps Odoo's name/serial number."""
        super()._compute_display_name()
        for tool in self:
            if tool.is_tool and tool.tool_code:
                tool.display_name = f"{tool.tool_code} {tool.name or ''}".strip()

    @api.depends("category_id.is_tool")
    def _compute_is_tool(self):
        for tool in self:
            tool.is_tool = tool.category_id.is_tool if tool.category_id else tool.is_tool

    @api.depends("last_inspection_date", "inspection_interval_days")
    def _compute_next_inspection_date(self):
        for tool in self:
            if tool.last_inspection_date and tool.inspection_interval_days:
                tool.next_inspection_date = tool.last_inspection_date + relativedelta(
                    days=tool.inspection_interval_days
                )
            elif not tool.inspection_interval_days:
                tool.next_inspection_date = False
            else:
                tool.next_inspection_date = tool.next_inspection_date

    @api.depends("last_calibration_date", "calibration_interval_days")
    def _compute_next_calibration_date(self):
        for tool in self:
            if tool.last_calibration_date and tool.calibration_interval_days:
                tool.next_calibration_date = tool.last_calibration_date + relativedelta(
                    days=tool.calibration_interval_days
                )
            elif not tool.calibration_interval_days:
                tool.next_calibration_date = False
            else:
                tool.next_calibration_date = tool.next_calibration_date

    def _compute_overdue(self):
        today = fields.Date.context_today(self)
        for tool in self:
            tool.inspection_overdue = bool(
                tool.next_inspection_date and tool.next_inspection_date < today
            )
            tool.calibration_overdue = bool(
                tool.next_calibration_date and tool.next_calibration_date < today
            )

    def _search_overdue(self, field_name, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Unsupported search on %(field)s.", field=field_name))
        today = fields.Date.context_today(self)
        overdue = [(field_name, "<", today)]
        if (operator == "=") == value:
            return overdue
        return ["|", (field_name, "=", False), (field_name, ">=", today)]

    def _search_inspection_overdue(self, operator, value):
        return self._search_overdue("next_inspection_date", operator, value)

    def _search_calibration_overdue(self, operator, value):
        return self._search_overdue("next_calibration_date", operator, value)

    def _compute_current_checkout(self):
        open_checkouts = self.env["equipment.checkout"].search(
            [("equipment_id", "in", self.ids), ("state", "=", "out")]
        )
        by_tool = {c.equipment_id.id: c for c in open_checkouts}
        for tool in self:
            tool.current_checkout_id = by_tool.get(tool.id, False)

    def _compute_care_counts(self):
        def counts(model, domain):
            return dict(
                self.env[model]._read_group(
                    [("equipment_id", "in", self.ids), *domain], ["equipment_id"], ["__count"]
                )
            )

        checkouts = counts("equipment.checkout", [])
        calibrations = counts("equipment.calibration", [])
        faults = counts("maintenance.request", [("maintenance_type", "=", "corrective")])
        for tool in self:
            tool.checkout_count = checkouts.get(tool, 0)
            tool.calibration_count = calibrations.get(tool, 0)
            tool.fault_count = faults.get(tool, 0)

    @api.constrains("inspection_interval_days", "calibration_interval_days")
    def _check_care_intervals(self):
        for tool in self:
            if tool.inspection_interval_days < 0 or tool.calibration_interval_days < 0:
                raise ValidationError(
                    _("Tool %(name)s: intervals cannot be negative.", name=tool.display_name)
                )

    @api.constrains("care_status", "active")
    def _check_retired_archived(self):
        for tool in self:
            if (
                tool.active
                and tool.care_status == "retired"
                and not self.env.context.get("retiring")
            ):
                raise ValidationError(
                    _("Tool %(name)s is retired: it must be archived.", name=tool.display_name)
                )

    @api.onchange("category_id")
    def _onchange_category_intervals(self):
        for tool in self:
            if tool.category_id:
                if not tool.inspection_interval_days:
                    tool.inspection_interval_days = tool.category_id.inspection_interval_days
                if not tool.calibration_interval_days:
                    tool.calibration_interval_days = tool.category_id.calibration_interval_days

    @api.model_create_multi
    def create(self, vals_list):
        categories = self.env["maintenance.equipment.category"].browse(
            [v["category_id"] for v in vals_list if v.get("category_id")]
        )
        for vals in vals_list:
            category = categories.browse(vals.get("category_id"))
            if category:
                vals.setdefault("inspection_interval_days", category.inspection_interval_days)
                vals.setdefault("calibration_interval_days", category.calibration_interval_days)
            if not vals.get("tool_code"):
                vals["tool_code"] = self._next_tool_code(category)
        return super().create(vals_list)

    def write(self, vals):
        self._check_register_write(vals)
        if "care_status" in vals and not self.env.context.get("care_status_internal"):
            if vals["care_status"] == "retired" or self.filtered(
                lambda t: t.care_status == "retired"
            ):
                raise UserError(
                    _("Tools are retired, and brought back, only through a retirement request.")
                )
        return super().write(vals)

    def _check_access(self, operation):
        """Keepers run the tool register. HR officers (equipment managers
        through hr_maintenance) only allocate tools: no registering or
        deleting (their writes are limited to HR_ALLOCATION_FIELDS in
        ``write``). Archivists change archived tools only."""
        result = super()._check_access(operation)
        if result or operation == "read" or is_register_keeper(self.env):
            return result
        if operation == "write":
            if self.env.user.has_group("maintenance.group_equipment_manager"):
                return None
            forbidden = self - self.sudo().filtered_domain([("active", "=", False)])
            if not forbidden:
                return None
        else:
            forbidden = self
        return forbidden, functools.partial(self._register_access_error, operation, forbidden)

    def _register_access_error(self, operation, tools):
        names = ", ".join(tools.sudo().mapped("display_name"))
        if operation == "create":
            return AccessError(_("Only equipment keepers can register tools."))
        if operation == "unlink":
            return AccessError(
                _("Only equipment keepers can delete tools (%(names)s).", names=names)
            )
        return AccessError(
            _(
                "Tools %(names)s are in use: archivists can only change archived tools, the "
                "register is kept by equipment keepers.",
                names=names,
            )
        )

    def _check_register_write(self, vals):
        """HR officers who are not equipment keepers allocate tools to
        employees and departments; everything else is the keepers'."""
        if is_register_keeper(self.env) or not self.env.user.has_group("hr.group_hr_user"):
            return
        if self.env.user.has_group("service_quality.group_archivist") and not any(
            self.with_context(active_test=False).mapped("active")
        ):
            return  # retention corrections of archived tools
        fields_denied = set(vals) - HR_ALLOCATION_FIELDS
        if fields_denied:
            labels = ", ".join(
                sorted(
                    self._fields[name].get_description(self.env)["string"] for name in fields_denied
                )
            )
            raise AccessError(
                _(
                    "Only equipment keepers can change %(fields)s on tools %(names)s: HR officers "
                    "only allocate them to employees and departments.",
                    fields=labels,
                    names=", ".join(self.mapped("display_name")),
                )
            )

    def _next_tool_code(self, category):
        if category:
            # sudo: the sequence is technical; any user allowed to register a tool gets a code
            return category.sudo()._ensure_tool_sequence().next_by_id()
        return self.env["ir.sequence"].sudo().next_by_code("equipment_care.tool_code")

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_view_checkouts(self):
        return self._action_view_care_records("equipment_care.equipment_checkout_action")

    def action_view_calibrations(self):
        return self._action_view_care_records("equipment_care.equipment_calibration_action")

    def action_view_faults(self):
        return self._action_view_care_records(
            "equipment_care.maintenance_request_action_fault",
            maintenance_type="corrective",
        )

    def action_check_out(self):
        self.ensure_one()
        self._check_can_check_out()
        return {
            "type": "ir.actions.act_window",
            "name": _("Check Out %(name)s", name=self.display_name),
            "res_model": "equipment.checkout",
            "view_mode": "form",
            "target": "new",
            "context": {"default_equipment_id": self.id},
        }

    def action_check_in(self):
        """Check-in dialog of the tool's open check-out: condition and note
        on return, then the check-out's own Check In."""
        self.ensure_one()
        checkout = self.current_checkout_id
        if not checkout:
            raise UserError(
                _("Tool %(name)s is not checked out: nothing to check in.", name=self.display_name)
            )
        return {
            "type": "ir.actions.act_window",
            "name": _("Check In %(name)s", name=self.display_name),
            "res_model": "equipment.checkout",
            "res_id": checkout.id,
            "view_mode": "form",
            "views": [
                (self.env.ref("equipment_care.equipment_checkout_view_form_checkin").id, "form")
            ],
            "target": "new",
        }

    def action_record_calibration(self):
        self.ensure_one()
        return self._action_new_care_record(
            "equipment.calibration",
            _("Record a Calibration of %(name)s", name=self.display_name),
        )

    def action_report_fault(self):
        self.ensure_one()
        return self._action_new_care_record(
            "maintenance.request",
            _("Report a Fault on %(name)s", name=self.display_name),
            maintenance_type="corrective",
            name=_("Fault: %(name)s", name=self.display_name),
        )

    def action_propose_retirement(self):
        self.ensure_one()
        if self.retirement_ids.filtered(lambda r: r.state in ("draft", "submitted", "approved")):
            raise UserError(
                _(
                    "Tool %(name)s already has a retirement request in progress.",
                    name=self.display_name,
                )
            )
        return self._action_new_care_record(
            "equipment.retirement",
            _("Propose the Retirement of %(name)s", name=self.display_name),
        )

    def action_print_file(self):
        return self.env.ref("equipment_care.action_report_equipment_file").report_action(self)

    def action_print_labels(self):
        return self.env.ref("equipment_care.action_report_tool_label").report_action(self)

    @api.model
    def action_open_by_code(self, code):
        """Open the tool whose code (or serial number) was scanned or typed:
        its form when one tool matches, the register filtered on the code
        when several do, a notification when none does."""
        code = (code or "").strip()
        if not code:
            return False
        tools = self.search([("tool_code", "=ilike", code)], limit=2) or self.search(
            [("serial_no", "=ilike", code)], limit=2
        )
        if len(tools) == 1:
            return {
                "type": "ir.actions.act_window",
                "res_model": "maintenance.equipment",
                "res_id": tools.id,
                "views": [(False, "form")],
                "target": "current",
            }
        if tools:
            action = self.env["ir.actions.act_window"]._for_xml_id(
                "equipment_care.maintenance_equipment_action_tool"
            )
            action["domain"] = ["|", ("tool_code", "=ilike", code), ("serial_no", "=ilike", code)]
            return action
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning",
                "message": _("No tool with the code %(code)s.", code=code),
                "sticky": False,
            },
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _check_can_check_out(self):
        """Raise naming the tool and the reason when it cannot leave the tool room."""
        labels = dict(self._fields["care_status"]._description_selection(self.env))
        today = fields.Date.context_today(self)
        for tool in self:
            # by code even for equipment outside the tool register
            name = " ".join(filter(None, (tool.tool_code, tool.name)))
            if not tool.active or tool.care_status != "available":
                raise UserError(
                    _(
                        "Tool %(name)s cannot be checked out: it is %(status)s, not available.",
                        name=name,
                        status=labels[tool.care_status],
                    )
                )
            if tool.next_inspection_date and tool.next_inspection_date < today:
                raise UserError(
                    _(
                        "Tool %(name)s cannot be checked out: its inspection was due on %(date)s.",
                        name=name,
                        date=tool.next_inspection_date,
                    )
                )
            if tool.next_calibration_date and tool.next_calibration_date < today:
                raise UserError(
                    _(
                        "Tool %(name)s cannot be checked out: its calibration was due on %(date)s.",
                        name=name,
                        date=tool.next_calibration_date,
                    )
                )

    def _action_new_care_record(self, model, title, **values):
        """A dialog creating a ``model`` record for this tool, with ``values``
        as further defaults."""
        self.ensure_one()
        context = {"default_equipment_id": self.id}
        context.update({f"default_{field}": value for field, value in values.items()})
        return {
            "type": "ir.actions.act_window",
            "name": title,
            "res_model": model,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": context,
        }

    def _action_view_care_records(self, action_xmlid, **values):
        """The smart-button window action ``action_xmlid`` on the records of
        this tool: those whose ``equipment_id`` is the tool and whose fields
        match ``values``, which are also the defaults of new ones."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(action_xmlid)
        action["domain"] = [("equipment_id", "=", self.id)] + [
            (name, "=", value) for name, value in values.items()
        ]
        action["context"] = {
            "default_equipment_id": self.id,
            **{f"default_{name}": value for name, value in values.items()},
        }
        return action

    def _set_care_status(self, status):
        # sudo: the status follows check-outs, calibrations and faults that
        # technicians record without write access on the equipment register
        return self.sudo().with_context(care_status_internal=True).write({"care_status": status})

    def _status_after_release(self):
        """Status a tool returns to once nothing holds it (check-in, repair, calibration)."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        if self.calibration_blocked:
            return "blocked"
        if self.next_calibration_date and self.next_calibration_date < today:
            return "calibration_due"
        return "available"

    # ------------------------------------------------------------------
    # Jobs
    # ------------------------------------------------------------------
    @api.model
    def _cron_refresh_due_status(self, batch_size=BATCH_SIZE):
        """Daily due-date job: available tools whose calibration is overdue
        become ``calibration_due``.

        One batch of ``batch_size`` tools per call, picked with ``FOR UPDATE
        SKIP LOCKED`` (two runs at once share the work), written through the
        ORM in one call and logged in each tool's history with one batched
        message create; the progress goes to the cron runner, which calls
        again while tools are left. A flipped tool no longer matches: the
        job is idempotent."""
        today = fields.Date.context_today(self)
        condition = SQL(
            "active AND care_status = 'available' AND next_calibration_date < %s", today
        )
        tools = self._cron_lock_batch(condition, batch_size)
        if tools:
            tools = tools.with_context(mail_notrack=True)
            tools._set_care_status("calibration_due")
            # the change stands in each tool's history: one batched log
            # instead of a tracking message built per tool
            body = _("Calibration overdue: status set to Calibration Due.")
            tools.sudo()._message_log_batch(bodies=dict.fromkeys(tools.ids, body))
        return self._cron_done(len(tools), self._cron_count(condition))

    def _retention_dependents(self):
        """A tool's file is the tool with its retirement, check-outs,
        maintenance requests (faults and care), calibrations and own care
        plans: destroyed as a whole, the restricted references first."""
        env = self.env(context=dict(self.env.context, active_test=False))
        domain = [("equipment_id", "in", self.ids)]
        return [
            *super()._retention_dependents(),
            (env["equipment.retirement"].search(domain), "equipment_id"),
            (env["equipment.checkout"].search(domain), "equipment_id"),
            (env["maintenance.request"].search(domain), "equipment_id"),
            (env["equipment.calibration"].search(domain), "equipment_id"),
            (env["equipment.care.plan"].search(domain), "equipment_id"),
        ]
