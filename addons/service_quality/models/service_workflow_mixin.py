from datetime import timedelta

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_datetime

# How far in the future a reception date may be (clocks of other devices).
FUTURE_TOLERANCE = timedelta(minutes=15)

# Context key of the pass given by ``_workflow_write``.
WORKFLOW_PASS = "service_workflow_pass"


class _WorkflowPass(frozenset):
    """Names of the models whose workflow fields the current call may write.

    Only Python code can put it in the context: a context received over RPC
    holds JSON values (a list, never this class), so a caller cannot forge the
    pass by sending ``{"service_workflow_pass": [...]}``."""


class _RetentionDestroy:
    """Marker put in the context by the retention destruction (an approved
    request destroying its records). Like the workflow pass, only Python
    code can put it there: ``{"retention_destroy": true}`` sent over RPC is
    not it."""

    __slots__ = ()

    def __repr__(self):
        return "RETENTION_DESTROY"


RETENTION_DESTROY = _RetentionDestroy()


def retention_destroying(env):
    """Whether ``env`` is the retention destruction deleting its records."""
    return isinstance(env.context.get("retention_destroy"), _RetentionDestroy)


class ServiceWorkflowMixin(models.AbstractModel):
    """Workflow fields (state, sign-offs, their dates) change only through the
    action methods, which check the move first.

    A model lists its guarded fields in ``_workflow_fields`` and its actions
    write them with ``_workflow_write``. A plain ``create``/``write`` that
    sets them is refused for everyone but the superuser (data files, jobs,
    ``sudo()`` in our own code). On create, a guarded field may only be given
    its default value (forms send the initial state). The pass methods are
    private, so not callable over RPC.

    State moves are declared once per model in ``_workflow_moves`` (target
    state → states it may be reached from) and made by ``_workflow_move``,
    the one method every action calls.

    Final states make a record evidence: once a record is in one of
    ``_workflow_final_states``, its ``_workflow_evidence_fields`` (signatures,
    sign-offs, verification, dates that drive clocks, consumed quantities,
    stock links) are refused to every write path but the workflow itself. The
    way back is ``_workflow_reopen``: a member of ``_workflow_reopen_group``
    gives a reason, the record moves to the state of ``_workflow_reopen_states``
    and the chatter logs who, when, why and what changed."""

    _name = "service.workflow.mixin"
    _description = "Workflow Fields Guard"

    # Fields written by the workflow actions only.
    _workflow_fields = ()
    # Allowed moves: target state -> the states it may be reached from.
    _workflow_moves = {}
    # States in which the record is evidence, and the fields then locked.
    _workflow_final_states = ()
    _workflow_evidence_fields = ()
    # Reopening: final state -> the state the record goes back to, and the
    # group whose members may do it (with a reason).
    _workflow_reopen_states = {}
    _workflow_reopen_group = "service_quality.group_service_manager"

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
        self._check_evidence_write(vals)
        self._check_workflow_write(vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_final(self):
        """A record in a final state is evidence: deleted by nobody (the
        superuser included) but the retention destruction of an approved
        request."""
        if not self._workflow_final_states or retention_destroying(self.env):
            return
        final = self.filtered(lambda record: record.state in self._workflow_final_states)
        if final:
            labels = dict(self._fields["state"]._description_selection(self.env))
            if "active" in self._fields:
                message = _(
                    "%(record)s is %(state)s: it is part of the records and cannot be deleted "
                    "(archive it; it is destroyed only through an approved retention request).",
                    record=final[0].display_name,
                    state=labels[final[0].state],
                )
            else:
                message = _(
                    "%(record)s is %(state)s: it is part of the records and cannot be deleted.",
                    record=final[0].display_name,
                    state=labels[final[0].state],
                )
            raise UserError(message)

    # ------------------------------------------------------------------
    # Guard
    # ------------------------------------------------------------------
    def _workflow_allowed(self):
        if self.env.su:
            return True
        granted = self.env.context.get(WORKFLOW_PASS)
        return isinstance(granted, _WorkflowPass) and self._name in granted

    def _workflow_passed(self):
        """Whether the workflow itself writes ``self`` (``_workflow_write``:
        moves, reopening), not a caller, the superuser included."""
        granted = self.env.context.get(WORKFLOW_PASS)
        return isinstance(granted, _WorkflowPass) and self._name in granted

    def _with_workflow_pass(self):
        """``self`` allowed to write its workflow fields; for the action
        methods and the engines only, never for values coming from a user."""
        granted = self.env.context.get(WORKFLOW_PASS)
        models_ = granted if isinstance(granted, _WorkflowPass) else ()
        return self.with_context(**{WORKFLOW_PASS: _WorkflowPass({*models_, self._name})})

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

    def _check_evidence_write(self, vals):
        """Refuse a change of the evidence fields of a record in a final state,
        whoever asks (``sudo()`` included), unless the workflow itself writes
        them (``_workflow_write``: moves, reopening)."""
        if not self._workflow_final_states or self._workflow_passed():
            return
        locked = [name for name in self._workflow_locked_fields() if name in vals]
        if not locked:
            return
        final = self.filtered(lambda record: record.state in self._workflow_final_states)
        if final:
            raise self._evidence_error(final, locked)

    def _workflow_locked_fields(self):
        """The fields locked in a final state: ``_workflow_evidence_fields``,
        plus those of the addons that extend the model (they override this
        method and add theirs to ``super()``'s)."""
        return tuple(self._workflow_evidence_fields)

    def _evidence_error(self, records, field_names):
        labels = dict(self._fields["state"]._description_selection(self.env))
        record = records[:1]
        fields_ = ", ".join(self._fields[f]._description_string(self.env) for f in field_names)
        if record.state in self._workflow_reopen_states:
            group = self.env.ref(self._workflow_reopen_group)
            return UserError(
                _(
                    "%(record)s is %(state)s: %(fields)s are part of its record and can no "
                    "longer be changed. A member of %(group)s can reopen it, giving a reason.",
                    record=record.display_name,
                    state=labels[record.state],
                    fields=fields_,
                    group=group.display_name,
                )
            )
        return UserError(
            _(
                "%(record)s is %(state)s: %(fields)s are part of its record and can no "
                "longer be changed.",
                record=record.display_name,
                state=labels[record.state],
                fields=fields_,
            )
        )

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

    # ------------------------------------------------------------------
    # State moves
    # ------------------------------------------------------------------
    def _workflow_previous_states(self, target):
        """States from which ``self`` (one record) may move to ``target``:
        the model's ``_workflow_moves``; models override it for moves that
        depend on the record."""
        self.ensure_one()
        return tuple(self._workflow_moves.get(target, ()))

    def _workflow_check_state(self, target):
        """Refuse the move of any record of ``self`` that is not in a state
        allowed before ``target``, naming the record and the missing step."""
        labels = dict(self._fields["state"]._description_selection(self.env))
        for record in self:
            expected = record._workflow_previous_states(target)
            if record.state in expected:
                continue
            if not expected:
                raise UserError(
                    _(
                        "%(record)s cannot move to %(target)s.",
                        record=record.display_name,
                        target=labels[target],
                    )
                )
            raise UserError(
                _(
                    "%(record)s cannot move to %(target)s from %(state)s: it must be "
                    "%(expected)s first.",
                    record=record.display_name,
                    target=labels[target],
                    state=labels[record.state],
                    expected=_(" or ").join(labels[s] for s in expected),
                )
            )

    def _workflow_check_move(self, target):
        """Every check of a move of ``self`` to ``target``, before anything is
        written; models extend it with their rights and requirements."""
        self._workflow_check_state(target)

    def _workflow_move(self, target, vals=None):
        """The one way to change the state: check the move for every record,
        then write ``target`` with ``vals`` (sign-offs, dates) at once."""
        self._workflow_check_move(target)
        if self:
            self._workflow_write(dict(vals or {}, state=target))
        return True

    # ------------------------------------------------------------------
    # Reopening a final record
    # ------------------------------------------------------------------
    def _workflow_reopen_values(self, target):
        """Values written with the move back to ``target`` (one record): the
        sign-offs of the states left behind are cleared."""
        self.ensure_one()
        return {}

    def action_open_reopen_wizard(self):
        return self.env["service.workflow.reopen"]._records_wizard_action(self, _("Reopen"))

    def _workflow_reopen(self, reason):
        """Move final records back, by a member of ``_workflow_reopen_group``
        with a reason; the chatter logs who, when, why and what changed."""
        reason = (reason or "").strip()
        group = self.env.ref(self._workflow_reopen_group)
        labels = dict(self._fields["state"]._description_selection(self.env))
        for record in self:
            if record.state not in self._workflow_reopen_states:
                raise UserError(
                    _(
                        "%(record)s is %(state)s: only a record in %(final)s can be reopened.",
                        record=record.display_name,
                        state=labels[record.state],
                        final=_(" or ").join(labels[s] for s in self._workflow_reopen_states),
                    )
                )
        if not self.env.su and group.id not in self.env.user._get_group_ids():
            raise AccessError(
                _(
                    "%(records)s: only a member of %(group)s can reopen it.",
                    records=", ".join(self.mapped("display_name")),
                    group=group.display_name,
                )
            )
        if not reason:
            raise UserError(
                _(
                    "%(records)s: give the reason for reopening.",
                    records=", ".join(self.mapped("display_name")),
                )
            )
        now = self.env.cr.now()
        user = self.env.user
        for record in self:
            previous = record.state
            target = self._workflow_reopen_states[previous]
            vals = record._workflow_reopen_values(target)
            changes = [
                Markup("<li>%s: %s → %s</li>")
                % (
                    self._fields[name]._description_string(self.env),
                    record._workflow_display_value(name),
                    record._workflow_display_value(name, vals[name]),
                )
                for name in vals
            ]
            record._workflow_write(dict(vals, state=target))
            record.message_post(
                body=Markup("%s<ul>%s</ul>")
                % (
                    _(
                        "Reopened by %(user)s on %(when)s, from %(old)s to %(new)s. "
                        "Reason: %(reason)s",
                        user=user.name,
                        when=format_datetime(self.env, now, tz=user.tz or "UTC"),
                        old=labels[previous],
                        new=labels[target],
                        reason=reason,
                    ),
                    Markup().join(changes),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _workflow_display_value(self, name, value=None):
        """``name`` of ``self`` (or ``value``) as a person reads it."""
        field = self._fields[name]
        if value is None:
            value = self[name]
        if field.type == "many2one":
            value = self.env[field.comodel_name].browse(value) if isinstance(value, int) else value
            return value.display_name or "–"
        if field.type == "selection":
            return dict(field._description_selection(self.env)).get(value) or "–"
        if field.type == "datetime" and value:
            return format_datetime(self.env, value, tz=self.env.user.tz or "UTC")
        return str(value) if value not in (False, None, "") else "–"

    # ------------------------------------------------------------------
    # Dates
    # ------------------------------------------------------------------
    def _check_date_not_future(self, field_name):
        """A date that records when something happened (a reception) cannot be
        in the future, but for a small tolerance: a later one would move the
        clocks it drives (SLA deadlines, retention) out of reach."""
        limit = fields.Datetime.now() + FUTURE_TOLERANCE
        for record in self:
            if record[field_name] and record[field_name] > limit:
                raise ValidationError(
                    _(
                        "%(record)s: %(field)s %(date)s is in the future.",
                        record=record.display_name,
                        field=self._fields[field_name]._description_string(self.env),
                        date=format_datetime(
                            self.env, record[field_name], tz=self.env.user.tz or "UTC"
                        ),
                    )
                )
