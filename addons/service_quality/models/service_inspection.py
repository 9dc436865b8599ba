from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError


class ServiceInspection(models.Model):
    _name = "service.inspection"
    _description = "Quality Inspection"
    _inherit = ["service.workflow.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "scheduled_date desc, id desc"
    _check_company_auto = True
    _workflow_fields = ("state", "done_at")
    _workflow_moves = {
        "in_progress": ("draft",),
        "done": ("in_progress",),
        "cancelled": ("draft", "in_progress"),
        "draft": ("cancelled",),
    }
    # A finished inspection is a record of what was found: its subject, its
    # checklist results (``service.inspection.line``) and when it was done.
    _workflow_final_states = ("done",)
    _workflow_evidence_fields = (
        "kind",
        "template_id",
        "scheduled_date",
        "inspector_id",
        "subject_type",
        "team_id",
        "employee_id",
        "service_order_id",
        "owner_id",
        "category_id",
        "line_ids",
        "done_at",
        "note",
        "company_id",
    )
    _workflow_reopen_states = {"done": "in_progress"}

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="New", index=True
    )
    kind = fields.Selection(
        [("scheduled", "Scheduled"), ("unscheduled", "Unscheduled")],
        default="unscheduled",
        required=True,
    )
    template_id = fields.Many2one(
        "service.inspection.template", index=True, ondelete="set null", check_company=True
    )
    scheduled_date = fields.Date(
        required=True, index=True, default=fields.Date.context_today, tracking=True
    )
    inspector_id = fields.Many2one(
        "res.users",
        string="Inspector",
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        default=lambda self: self.env.user,
    )
    subject_type = fields.Selection(
        [("team", "Team"), ("employee", "Employee"), ("order", "Service Order")],
        default="order",
        required=True,
    )
    team_id = fields.Many2one("service.team", index=True, check_company=True)
    employee_id = fields.Many2one("hr.employee", index=True, check_company=True)
    service_order_id = fields.Many2one("service.order", index=True, check_company=True)
    owner_id = fields.Many2one(
        "res.users",
        string="Inspected Person",
        compute="_compute_owner_id",
        store=True,
        index=True,
        help="Who answers for the inspected subject: the order's technician, the "
        "employee's user or the team leader. Owns the corrective actions.",
    )
    category_id = fields.Many2one(
        "service.category", related="service_order_id.category_id", store=True, index=True
    )
    state = fields.Selection(
        [
            ("draft", "Planned"),
            ("in_progress", "In Progress"),
            ("done", "Done"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        index=True,
        tracking=True,
        copy=False,
    )
    line_ids = fields.One2many(
        "service.inspection.line", "inspection_id", string="Checklist", copy=True
    )
    corrective_action_ids = fields.One2many(
        "service.corrective.action", "inspection_id", string="Corrective Actions"
    )
    pass_count = fields.Integer(compute="_compute_results", store=True)
    fail_count = fields.Integer(compute="_compute_results", store=True)
    answered_count = fields.Integer(compute="_compute_results", store=True)
    pass_rate = fields.Float(
        compute="_compute_results",
        store=True,
        aggregator="avg",
        help="Passed items over applicable items (not applicable ones excluded), in percent.",
    )
    done_at = fields.Datetime(copy=False, readonly=True)
    note = fields.Html()
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    _sql_constraints = [
        (
            "template_date_uniq",
            "unique(template_id, scheduled_date)",
            "A recurring template generates one inspection per date.",
        ),
    ]

    @api.depends(
        "subject_type", "service_order_id.user_id", "employee_id.user_id", "team_id.leader_id"
    )
    def _compute_owner_id(self):
        for inspection in self:
            if inspection.subject_type == "order":
                inspection.owner_id = inspection.service_order_id.user_id
            elif inspection.subject_type == "employee":
                inspection.owner_id = inspection.employee_id.user_id
            else:
                inspection.owner_id = inspection.team_id.leader_id

    @api.depends("line_ids.result")
    def _compute_results(self):
        for inspection in self:
            results = inspection.line_ids.mapped("result")
            passed = results.count("pass")
            failed = results.count("fail")
            inspection.pass_count = passed
            inspection.fail_count = failed
            inspection.answered_count = len([r for r in results if r])
            inspection.pass_rate = 100.0 * passed / (passed + failed) if passed + failed else 0.0

    @api.constrains("subject_type", "team_id", "employee_id", "service_order_id")
    def _check_subject(self):
        fields_by_type = {"team": "team_id", "employee": "employee_id", "order": "service_order_id"}
        for inspection in self:
            if not inspection[fields_by_type[inspection.subject_type]]:
                raise ValidationError(
                    _(
                        "Inspection %(name)s: choose the %(subject)s to inspect.",
                        name=inspection.name,
                        subject=dict(self._fields["subject_type"]._description_selection(self.env))[
                            inspection.subject_type
                        ],
                    )
                )

    @api.constrains("state", "line_ids")
    def _check_done_answered(self):
        """A done inspection has every checklist item answered, however it got there."""
        for inspection in self.filtered(lambda i: i.state == "done"):
            unanswered = inspection.line_ids.filtered(lambda line: not line.result)
            if unanswered:
                raise ValidationError(
                    _(
                        "Inspection %(name)s cannot be done with unanswered items: %(items)s.",
                        name=inspection.name,
                        items=", ".join(unanswered.mapped("name")),
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        seq = self.env["ir.sequence"]
        for vals in vals_list:
            if vals.get("name", "New") == "New":
                vals["name"] = seq.next_by_code("service.inspection") or "New"
        return super().create(vals_list)

    def action_start(self):
        self._workflow_check_move("in_progress")
        for inspection in self:
            if not inspection.line_ids:
                raise UserError(
                    _("Inspection %(name)s has no checklist item.", name=inspection.name)
                )
        self._workflow_move("in_progress")
        return True

    def action_done(self):
        self._workflow_check_move("done")
        for inspection in self:
            unanswered = inspection.line_ids.filtered(lambda line: not line.result)
            if unanswered:
                raise UserError(
                    _(
                        "Inspection %(name)s cannot be closed: unanswered items: %(items)s.",
                        name=inspection.name,
                        items=", ".join(unanswered.mapped("name")),
                    )
                )
        self._create_corrective_actions()
        self._workflow_move("done", {"done_at": fields.Datetime.now()})
        return True

    def action_cancel(self):
        return self._workflow_move("cancelled")

    def action_reset(self):
        return self.filtered(lambda i: i.state == "cancelled")._workflow_move("draft")

    def _workflow_actions_hint(self, field_names):
        return _("the Start, Close Inspection, Cancel and Reset to Planned buttons")

    def _create_corrective_actions(self, days=14):
        """One corrective action per failed line that has none yet, owned by
        the inspected person (or the inspector when nobody answers for the
        subject)."""
        vals_list = []
        for inspection in self:
            deadline = fields.Date.context_today(self) + timedelta(days=days)
            for line in inspection.line_ids.filtered(
                lambda ln: ln.result == "fail" and not ln.corrective_action_ids
            ):
                vals_list.append(
                    {
                        "name": _(
                            "%(inspection)s: %(item)s", inspection=inspection.name, item=line.name
                        ),
                        "action_type": "corrective",
                        "description": line.note,
                        "inspection_id": inspection.id,
                        "inspection_line_id": line.id,
                        "owner_id": (inspection.owner_id or inspection.inspector_id).id,
                        "deadline": deadline,
                        "company_id": inspection.company_id.id,
                    }
                )
        return self.env["service.corrective.action"].create(vals_list)

    @api.model
    def _generate_from_templates(self, templates):
        """Create the due inspection of each template and move its next date
        past today. The unique (template, date) constraint and the row lock
        taken by the caller keep concurrent runs from duplicating."""
        today = fields.Date.context_today(self)
        existing = {
            (row["template_id"][0], row["scheduled_date"])
            for row in self.search_read(
                [
                    ("template_id", "in", templates.ids),
                    ("scheduled_date", "in", templates.mapped("next_date")),
                ],
                ["template_id", "scheduled_date"],
            )
        }
        vals_list = [
            template._prepare_inspection_vals(template.next_date)
            for template in templates
            if (template.id, template.next_date) not in existing
        ]
        inspections = self.create(vals_list)
        for template in templates:
            template.next_date = template._next_date_after(
                template.next_date, template.frequency, today
            )
        return inspections
