from odoo import _, api, models
from odoo.exceptions import UserError

# Context key of the pass given by ``_workflow_write``.
WORKFLOW_PASS = "service_workflow_pass"


class _WorkflowPass(frozenset):
    """Names of the models whose workflow fields the current call may write.

    Only Python code can put it in the context: a context received over RPC
    holds JSON values (a list, never this class), so a caller cannot forge the
    pass by sending ``{"service_workflow_pass": [...]}``."""


class ServiceWorkflowMixin(models.AbstractModel):
    """Workflow fields (state, sign-offs, their dates) change only through the
    action methods, which check the move first.

    A model lists its guarded fields in ``_workflow_fields`` and its actions
    write them with ``_workflow_write``. A plain ``create``/``write`` that
    sets them is refused for everyone but the superuser (data files, jobs,
    ``sudo()`` in our own code). On create, a guarded field may only be given
    its default value (forms send the initial state). The pass methods are
    private, so not callable over RPC."""

    _name = "service.workflow.mixin"
    _description = "Workflow Fields Guard"

    # Fields written by the workflow actions only.
    _workflow_fields = ()

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if self._workflow_fields and not self._workflow_allowed():
            self.check_access("create")  # who may not create at all is told so first
            self._check_workflow_create(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._check_workflow_write(vals)
        return super().write(vals)

    # ------------------------------------------------------------------
    # Guard
    # ------------------------------------------------------------------
    def _workflow_allowed(self):
        if self.env.su:
            return True
        granted = self.env.context.get(WORKFLOW_PASS)
        return isinstance(granted, _WorkflowPass) and self._name in granted

    def _with_workflow_pass(self):
        """``self`` allowed to write its workflow fields; for the action
        methods and the engines only, never for values coming from a user."""
        granted = self.env.context.get(WORKFLOW_PASS)
        models_ = granted if isinstance(granted, _WorkflowPass) else ()
        return self.with_context({WORKFLOW_PASS: _WorkflowPass({*models_, self._name})})

    def _workflow_write(self, vals):
        """Write ``vals``, workflow fields included (called by the actions
        after their checks)."""
        return self._with_workflow_pass().write(vals)

    def _check_workflow_write(self, vals):
        """Refuse a plain write of workflow fields, before anything is written."""
        if not self._workflow_fields or self._workflow_allowed():
            return
        guarded = [name for name in self._workflow_fields if name in vals]
        if guarded:
            raise self._workflow_error(guarded)

    def _check_workflow_create(self, vals_list):
        """A new record starts at the beginning of its workflow: guarded
        fields keep their default, whether given in the values or as a
        ``default_*`` context key."""
        context = self.env.context
        for vals in vals_list:
            guarded = [
                name
                for name in self._workflow_fields
                if (name in vals and not self._workflow_is_initial(name, vals[name]))
                or (
                    f"default_{name}" in context
                    and not self._workflow_is_initial(name, context[f"default_{name}"])
                )
            ]
            if guarded:
                raise self._workflow_error(guarded, vals=vals)

    def _workflow_is_initial(self, name, value):
        field = self._fields[name]
        if field.type in ("one2many", "many2many"):
            return not value
        initial = field.default(self.browse()) if field.default else False
        if field.type == "many2one":
            value = value.id if isinstance(value, models.BaseModel) else value
            initial = initial.id if isinstance(initial, models.BaseModel) else initial
        return (value or False) == (initial or False)

    def _workflow_actions_hint(self, field_names):
        """How users change ``field_names``: the buttons to use. Models
        override it to name their actions."""
        return _("the workflow buttons")

    def _workflow_error(self, field_names, vals=None):
        """The error refusing a plain write of ``field_names``."""
        if vals is not None:
            name = vals.get(self._rec_name) if self._rec_name else None
            record = name if isinstance(name, str) and name != "New" else _("New record")
        else:
            record = ", ".join(self[:5].mapped("display_name"))
            if len(self) > 5:
                record += ", …"
        labels = ", ".join(self._fields[f]._description_string(self.env) for f in field_names)
        return UserError(
            _(
                "%(record)s: %(fields)s cannot be edited directly; use %(actions)s.",
                record=record,
                fields=labels,
                actions=self._workflow_actions_hint(field_names),
            )
        )

    def _check_approver_not_requester(self, requester, message):
        """Four-eyes rule of the approvals: the current user may not approve a
        record they asked for themselves. ``requester`` is the field holding
        the requester, or a function giving it for a record; ``message`` is
        the translated error, with a ``%(name)s`` placeholder for the record.
        The system user (data files, jobs) is exempt: it is nobody's second
        pair of eyes."""
        user = self.env.user
        if user._is_superuser():
            return
        for record in self:
            asked_by = record[requester] if isinstance(requester, str) else requester(record)
            if asked_by == user:
                raise UserError(message % {"name": record.display_name})
