import logging
from collections import defaultdict

import psycopg2

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .service_retention_mixin import retention_fingerprints
from .service_workflow_mixin import RETENTION_DESTROY

_logger = logging.getLogger(__name__)


# the order in which the destruction takes the lines: that of the index of
# pending lines by request
DESTROY_ORDER = SQL("request_id, id")


class ServiceRetentionRequestLine(models.Model):
    _name = "service.retention.request.line"
    _description = "Destruction Candidate"
    _inherit = ["service.cron.mixin"]
    _order = "id"

    request_id = fields.Many2one(
        "service.retention.request", required=True, index=True, ondelete="cascade", readonly=True
    )
    policy_id = fields.Many2one(related="request_id.policy_id", store=True, index=True)
    res_model = fields.Char(string="Model", required=True, readonly=True)
    res_id = fields.Many2oneReference(
        string="Record ID", model_field="res_model", required=True, readonly=True
    )
    res_name = fields.Char(string="Record", readonly=True)
    state = fields.Selection(
        [
            ("pending", "To Destroy"),
            ("destroyed", "Destroyed"),
            ("rejected", "Kept"),
            ("missing", "Already Gone"),
            ("not_due", "No Longer Due"),
            ("held", "On Legal Hold"),
            ("error", "Error"),
        ],
        default="pending",
        required=True,
        readonly=True,
        index=True,
    )
    message = fields.Char(readonly=True)

    @api.depends("res_name", "res_model", "res_id")
    def _compute_display_name(self):
        for line in self:
            line.display_name = line.res_name or f"{line.res_model} #{line.res_id}"

    def init(self):
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS service_retention_request_line_res_idx "
                "ON service_retention_request_line (res_model, res_id)"
            )
        )
        # the destruction job takes the pending lines request by request, in
        # id order (DESTROY_ORDER): the index leads it to the lines of the
        # requests still approved, never through the lines of the requests
        # already destroyed (their old row versions stay in an index until
        # vacuumed)
        self.env.cr.execute(SQL("DROP INDEX IF EXISTS service_retention_request_line_pending_idx"))
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS service_retention_request_line_request_pending_idx "
                "ON service_retention_request_line (request_id, id) WHERE state = 'pending'"
            )
        )

    def action_open_record(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
            "context": {"active_test": False},
        }

    @api.model
    def _destroy_condition(self, request_ids=None):
        """Pending lines of approved requests (of ``request_ids`` when given:
        then the lines are found through the index of pending lines by
        request)."""
        approved = SQL(
            "request_id IN (SELECT id FROM service_retention_request WHERE state = 'approved')"
        )
        if request_ids is None:
            return SQL("state = 'pending' AND %s", approved)
        return SQL("state = 'pending' AND request_id = ANY(%s) AND %s", list(request_ids), approved)

    @api.model
    def _destroy_batch(self, batch_size, request_ids=None):
        """Lock and destroy up to ``batch_size`` pending lines of approved
        requests (of ``request_ids`` when given), request by request in id
        order. Lines locked by a concurrent run are skipped. Returns the
        number of lines handled. Constant number of queries per model."""
        lines = self._cron_lock_batch(
            self._destroy_condition(request_ids), batch_size, order=DESTROY_ORDER
        )
        return lines._destroy_locked()

    def _destroy_locked(self):
        """Destroy the records of the pending lines ``self``, locked by the
        caller; returns the number of lines handled."""
        lines = self
        if not lines:
            return 0
        # the lines read once, as plain rows grouped by policy:
        # (line id, record id, name, request id)
        self.flush_recordset(["res_id", "res_name", "request_id", "res_model", "policy_id"])
        rows = self.env.execute_query(
            SQL(
                "SELECT id, res_id, res_name, request_id, res_model, policy_id FROM %s "
                "WHERE id = ANY(%s) ORDER BY id",
                SQL.identifier(self._table),
                self.ids,
            )
        )
        policies = self.env["service.retention.policy"].browse({row[5] for row in rows})
        model_names = dict(zip(policies.ids, policies.mapped("model_name"), strict=True))
        wrong_ids, rows_by_policy = [], defaultdict(list)
        for line_id, res_id, res_name, request_id, res_model, policy_id in rows:
            if res_model != model_names.get(policy_id):
                wrong_ids.append(line_id)
            else:
                rows_by_policy[policy_id].append((line_id, res_id, res_name, request_id))
        if wrong_ids:
            self.browse(wrong_ids).write(
                {"state": "error", "message": _("The record is not of the policy's model.")}
            )
        for policy_id, policy_rows in rows_by_policy.items():
            policy = policies.browse(policy_id)
            policy_lines = self.browse([row[0] for row in policy_rows])
            try:
                with self.env.cr.savepoint():
                    policy_lines._destroy_records(policy, policy_rows)
            except (UserError, psycopg2.IntegrityError) as error:
                # One record cannot go (still referenced, refused by its model):
                # retry one by one so the others are destroyed and the culprit named.
                _logger.warning(
                    "Retention: batch of %s failed (%s), retrying one by one", policy.name, error
                )
                for line, row in zip(policy_lines, policy_rows, strict=True):
                    try:
                        with self.env.cr.savepoint():
                            line._destroy_records(policy, [row])
                    except (UserError, psycopg2.IntegrityError) as line_error:
                        line.write(
                            {"state": "error", "message": line._error_message(line_error)[:500]}
                        )
        self.env.flush_all()
        return len(lines)

    def _error_message(self, error):
        """What the archivist reads on a line that could not be destroyed: a
        record still referenced by another table (a foreign key the record's
        file does not declare) is named with the referring model."""
        self.ensure_one()
        if not isinstance(error, psycopg2.errors.ForeignKeyViolation):
            return str(error)
        table = error.diag.table_name
        referring = next(
            (
                model._description
                for model in self.env.registry.values()
                if model._table == table and not model._abstract
            ),
            table,
        )
        record = self.res_name or "%s,%s" % (self.res_model, self.res_id)
        return _(
            "%(record)s cannot be destroyed: %(referring)s records still refer to it "
            "(constraint %(constraint)s). Delete or detach them first, then propose the "
            "record again.",
            record=record,
            referring=referring,
            constraint=error.diag.constraint_name,
        )

    def _destroy_records(self, policy, rows):
        """Write the register rows and delete the records of ``self`` (lines of
        ``policy``, read by the caller as ``rows``: line id, record id, name,
        request id, in the order of ``self``) in the current transaction."""
        Model = self.env[policy.model_name].with_context(active_test=False, retention_no_log=True)
        existing_ids = set(Model.browse([row[1] for row in rows]).exists().ids)
        # Checked again at destruction: nothing goes before its period ends.
        due_ids = set(Model._search([*policy._get_due_domain(), ("id", "in", list(existing_ids))]))
        # a record no longer due may be under legal hold (the due domain
        # leaves held records out): one query, only when some record is not due
        undue = existing_ids - due_ids
        held_ids = (
            set(Model._search([("id", "in", list(undue)), ("legal_hold", "=", True)]))
            if undue and "legal_hold" in Model._fields
            else set()
        )
        missing = self.browse([row[0] for row in rows if row[1] not in existing_ids])
        held = self.browse([row[0] for row in rows if row[1] in held_ids])
        not_due = self.browse(
            [row[0] for row in rows if row[1] in undue and row[1] not in held_ids]
        )
        # the due records (never under legal hold: the due domain leaves them out)
        destroy_rows = [row for row in rows if row[1] in due_ids]
        to_destroy = self.browse([row[0] for row in destroy_rows])
        records = Model.browse([row[1] for row in destroy_rows])
        fingerprints = retention_fingerprints(records)
        now = fields.Datetime.now()
        # the names in the fetched rec_name column when the model's display
        # name is that column (as the proposals read them), else computed
        if self.env["service.retention.policy"]._stored_name_column(records):
            names = dict(zip(records.ids, records.mapped(records._rec_name), strict=True))
        else:
            names = {record.id: record.display_name for record in records}
        # One register row per destroyed record: the retained records, then
        # their dependents (rows of their own, under the retained record's request).
        entries = [
            (
                policy.model_name,
                res_id,
                names.get(res_id) or res_name,
                fingerprints[res_id],
                request_id,
            )
            for _line_id, res_id, res_name, request_id in destroy_rows
        ]
        dependents = self._retention_dependent_entries(records, entries)
        # the register values of each request, looked up once per request
        request_values = {
            request.id: {
                "policy_id": policy.id,
                "request_id": request.id,
                "requested_by": request.requested_by_id.id,
                "approved_by": request.approved_by_id.id,
                # the archivist who ordered it, or the job's user for a
                # request destroyed by the hourly run
                "destroyed_by_id": request.destroy_queued_by_id.id or self.env.uid,
                "destroyed_at": now,
                "company_id": request.company_id.id,
            }
            for request in self.env["service.retention.request"].browse(
                {row[3] for row in destroy_rows}
            )
        }
        self.env["service.retention.register"].with_context(
            retention_register_create=True
        )._insert_rows(
            [
                {
                    "model": model_name,
                    "res_id": res_id,
                    "display_name": name,
                    "fingerprint": fingerprint,
                    **request_values[request_id],
                }
                for model_name, res_id, name, fingerprint, request_id in entries
            ]
        )
        for dependent_records in dependents:
            dependent_records.with_context(retention_destroy=RETENTION_DESTROY).unlink()
        records.with_context(retention_destroy=RETENTION_DESTROY).unlink()
        if missing:
            missing.write({"state": "missing"})
        if held:
            held.write(
                {
                    "state": "held",
                    "message": _(
                        "Under legal hold: kept until the hold is released, then proposed again."
                    ),
                }
            )
        if not_due:
            not_due.write(
                {"state": "not_due", "message": _("The record no longer matches its policy.")}
            )
        to_destroy._mark_destroyed()
        self.env.flush_all()

    def _mark_destroyed(self):
        """State *Destroyed* on the lines ``self`` with one UPDATE: the ORM
        would flush the batch 100 rows at a time. The lines are the job's own
        bookkeeping (no override of ``write``, no tracking, nothing stored
        computed from their state); the log columns are set as ``write``
        sets them and the cache follows."""
        if not self:
            return
        self.flush_recordset(["state"])
        self.env.execute_query(
            SQL(
                "UPDATE %s SET state = 'destroyed', write_uid = %s, write_date = %s "
                "WHERE id = ANY(%s)",
                SQL.identifier(self._table),
                self.env.uid,
                self.env.cr.now(),
                self.ids,
            )
        )
        self.invalidate_recordset(["state", "write_uid", "write_date"])
        self.modified(["state"])

    def _retention_dependent_entries(self, records, entries):
        """Append to ``entries`` one register entry per dependent of
        ``records`` (see ``_retention_dependents``), fingerprinted like any
        destroyed record, and return the dependents in deletion order. A
        record listed twice is registered and deleted once. Constant number
        of queries per dependent model."""
        request_by_res_id = {entry[1]: entry[4] for entry in entries}
        seen = set()
        dependents = []
        # models outside the retention mixin (any model may have a policy) stand alone
        declared = getattr(records, "_retention_dependents", None)
        for listed, field in declared() if declared else ():
            dependent_records = listed.filtered(
                lambda record: (record._name, record.id) not in seen
            )
            if not dependent_records:
                continue
            seen.update((record._name, record.id) for record in dependent_records)
            fingerprints = retention_fingerprints(dependent_records)
            entries.extend(
                (
                    record._name,
                    record.id,
                    record.display_name,
                    fingerprints[record.id],
                    request_by_res_id[record[field].id],
                )
                for record in dependent_records
            )
            dependents.append(dependent_records)
        return dependents
