from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ServiceComplaintCause(models.Model):
    _name = "service.complaint.cause"
    _description = "Complaint Root Cause"
    _parent_name = "parent_id"
    _parent_store = True
    _rec_name = "complete_name"
    _rec_names_search = ["complete_name", "name"]
    _order = "complete_name"

    name = fields.Char(required=True, translate=True)
    # the path in the source language, stored to sort, search and group by;
    # people read the path in their language (display_name)
    complete_name = fields.Char(compute="_compute_complete_name", recursive=True, store=True)
    parent_id = fields.Many2one(
        "service.complaint.cause", string="Parent Cause", index=True, ondelete="cascade"
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("service.complaint.cause", "parent_id", string="Sub-causes")
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    company_id = fields.Many2one(
        "res.company", index=True, help="Leave empty to share the cause between companies."
    )

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        # in the source language, whoever writes the name
        for cause in self.with_context(lang="en_US"):
            if cause.parent_id:
                cause.complete_name = f"{cause.parent_id.complete_name} / {cause.name}"
            else:
                cause.complete_name = cause.name

    @api.depends("name", "parent_id.complete_name")
    @api.depends_context("lang")
    def _compute_display_name(self):
        """The path of the cause, each name in the reader's language."""
        for cause in self:
            path, parent = cause, cause.parent_id
            while parent:
                path = parent + path
                parent = parent.parent_id
            cause.display_name = " / ".join(path.mapped("name"))

    @api.constrains("parent_id")
    def _check_parent_id(self):
        if self._has_cycle():
            raise ValidationError(_("Complaint causes cannot be nested in a loop."))
