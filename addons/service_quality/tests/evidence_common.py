import base64
import re
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import UserError

# What a refusal of an evidence field says: the final-state lock or, for the
# fields only the workflow writes, the workflow guard.
REFUSAL = (
    r"can no longer be changed|cannot be edited|set by the system|use the workflow buttons"
    r"|stock move is done"
)


class EvidenceLockMixin:
    """Walks the final records of the models using ``service.workflow.mixin``:
    each evidence field written by each role is refused, nothing changes."""

    def _final_state_models(self, module):
        """Models defined by ``module`` that declare final states."""
        Mixin = self.env.registry["service.workflow.mixin"]
        return {
            name
            for name, model in self.env.registry.items()
            if issubclass(model, Mixin)
            and not model._abstract
            and model._workflow_final_states
            and model._original_module == module
        }

    def _other_value(self, record, name):
        """A value of ``name`` that differs from the record's."""
        field = record._fields[name]
        value = record.sudo()[name]
        if field.type in ("char", "text", "html"):
            return "Altered after the fact"
        if field.type in ("integer",):
            return (value or 0) + 1
        if field.type in ("float", "monetary"):
            return (value or 0.0) + 1.5
        if field.type == "boolean":
            return not value
        if field.type == "date":
            return (value or fields.Date.today()) - timedelta(days=400)
        if field.type == "datetime":
            return (value or fields.Datetime.now()) - timedelta(days=400)
        if field.type == "selection":
            keys = [key for key, _label in field._description_selection(self.env)]
            return next(key for key in keys if key != value)
        if field.type == "many2one":
            other = self.env[field.comodel_name].sudo().search([("id", "!=", value.id)], limit=1)
            return other.id
        if field.type == "binary":
            return base64.b64encode(b"forged")
        if field.type in ("one2many", "many2many"):
            return [Command.clear()]
        raise AssertionError(f"no test value for {field.type} field {name}")

    def _try_write(self, record, user, name):
        """Write ``name`` as ``user``; the error raised, or None if accepted."""
        value = self._other_value(record, name)
        try:
            with self.env.cr.savepoint():
                record.with_user(user).write({name: value})
                record.env.flush_all()
        except UserError as error:
            return error
        return None

    def assertEvidenceLocked(self, record, users, writer):
        """``record`` is in a final state: each evidence field, written by
        each of ``users``, is refused and the record is unchanged. ``writer``
        may write the record in its open states: the lock itself refuses it."""
        self.assertIn(record.state, record._workflow_final_states)
        names = list(record._workflow_locked_fields())
        self.assertTrue(names, f"{record._name} declares no evidence field")
        record.env.flush_all()
        record.invalidate_recordset()
        before = record.sudo().read(names)[0]
        accepted, wrong_reason = [], []
        for user in (*users, writer):
            for name in names:
                error = self._try_write(record, user, name)
                if error is None:
                    accepted.append(f"{name} by {user.login}")
                elif user == writer and not re.search(REFUSAL, str(error)):
                    wrong_reason.append(f"{name}: {error}")
        self.assertFalse(accepted, f"{record._name} in {record.state}: writes accepted: {accepted}")
        self.assertFalse(
            wrong_reason,
            f"{record._name} in {record.state}: not refused by the lock: {wrong_reason}",
        )
        record.env.flush_all()
        record.invalidate_recordset()
        self.assertEqual(record.sudo().read(names)[0], before)
