import functools

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError

from .maintenance_equipment import is_register_keeper


class MaintenanceEquipmentCategory(models.Model):
    _inherit = "maintenance.equipment.category"

    is_tool = fields.Boolean(
        string="Tool Category",
        help="Tools and instruments of the tool room. Other equipment categories "
        "(laptops, monitors, printers allocated by HR) stay out of the tool register "
        "by default. New categories with a code prefix are tool categories.",
    )
    tool_code_prefix = fields.Char(
        string="Code Prefix",
        help="Prefix of the unified tool codes of this category, e.g. MM- gives MM-00001.",
    )
    tool_sequence_id = fields.Many2one(
        "ir.sequence", string="Code Sequence", copy=False, readonly=True, ondelete="restrict"
    )
    inspection_interval_days = fields.Integer(
        string="Inspection Interval (days)",
        default=30,
        help="Default inspection interval of new tools of this category.",
    )
    calibration_interval_days = fields.Integer(
        string="Calibration Interval (days)",
        default=0,
        help="Default calibration interval of new tools of this category; 0 means no calibration.",
    )

    @api.constrains("inspection_interval_days", "calibration_interval_days")
    def _check_intervals(self):
        for category in self:
            if category.inspection_interval_days < 0 or category.calibration_interval_days < 0:
                raise ValidationError(
                    _("Category %(name)s: intervals cannot be negative.", name=category.name)
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if "is_tool" not in vals and "default_is_tool" not in self.env.context:
                vals["is_tool"] = bool(vals.get("tool_code_prefix"))
        categories = super().create(vals_list)
        for category in categories:
            category._ensure_tool_sequence()
        return categories

    def write(self, vals):
        res = super().write(vals)
        if "tool_code_prefix" in vals:
            for category in self:
                if category.tool_sequence_id:
                    # sudo: sequences are technical records keepers cannot edit
                    category.tool_sequence_id.sudo().prefix = category._tool_prefix()
                else:
                    category._ensure_tool_sequence()
        return res

    def _check_access(self, operation):
        """Tool categories (code sequences, default intervals) belong to the
        keepers: HR officers, equipment managers only through hr_maintenance,
        read them."""
        result = super()._check_access(operation)
        if result or operation == "read" or is_register_keeper(self.env):
            return result
        return self, functools.partial(self._category_access_error, self)

    def _category_access_error(self, categories):
        if not categories:
            return AccessError(_("Only equipment keepers can create tool categories."))
        return AccessError(
            _(
                "Only equipment keepers can change or delete tool categories (%(names)s).",
                names=", ".join(categories.sudo().mapped("display_name")),
            )
        )

    def _tool_prefix(self):
        self.ensure_one()
        return self.tool_code_prefix or "T%s-" % self.id

    def _ensure_tool_sequence(self):
        """One sequence per category so codes are numbered per category."""
        self.ensure_one()
        if self.tool_sequence_id:
            return self.tool_sequence_id
        # sudo: sequences are technical records keepers cannot create
        sequence = (
            self.env["ir.sequence"]
            .sudo()
            .create(
                {
                    "name": _("Tool codes: %(name)s", name=self.name),
                    "code": "equipment_care.tool_code.%s" % self.id,
                    "prefix": self._tool_prefix(),
                    "padding": 5,
                    "company_id": False,
                }
            )
        )
        self.tool_sequence_id = sequence
        return sequence
