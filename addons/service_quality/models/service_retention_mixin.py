import hashlib
import json

from odoo import _, api, fields, models
from odoo.exceptions import UserError

# Fields left out of the fingerprint: they change without the record's content
# changing (chatter bookkeeping) or are files kept apart.
FINGERPRINT_SKIP_TYPES = ("binary", "one2many", "many2many")


def retention_fingerprint(model_name, field_names, row):
    """SHA-256 of one exported row: a canonical JSON object of the model name
    and ``{field: value}`` (keys sorted, values as exported, dates as text)."""
    payload = {"model": model_name, "data": dict(zip(field_names, row, strict=True))}
    text = json.dumps(
        payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def retention_export_fields(model):
    """Stored fields of ``model`` exported into the fingerprint: '.id' then the
    other stored fields by name, without files, x2many and bookkeeping."""
    names = sorted(
        name
        for name, field in model._fields.items()
        if field.store
        and field.type not in FINGERPRINT_SKIP_TYPES
        and name not in ("id", "create_uid", "create_date", "write_uid", "write_date")
        and not name.startswith("message_")
    )
    return [".id", *names]


def retention_fingerprints(records):
    """``{id: SHA-256}`` of the exported data of ``records`` (any model), one
    export for the batch. The export runs in English and UTC so the hash does
    not depend on who destroys the record."""
    field_names = retention_export_fields(records)
    records = records.sudo().with_context(
        retention_no_log=True, active_test=False, lang="en_US", tz="UTC"
    )
    rows = records.export_data(field_names)["datas"]
    return {
        record.id: retention_fingerprint(records._name, field_names, row)
        for record, row in zip(records, rows, strict=True)
    }


class ServiceRetentionMixin(models.AbstractModel):
    """Records under a retention policy.

    Archived records are read-only for everyone but archivists, can only be
    deleted by an approved destruction request, and every open, print and
    export of an archived record is written to ``service.access.log``."""

    _name = "service.retention.mixin"
    _description = "Records Retention Mixin"

    active = fields.Boolean(default=True, index=True)

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    def write(self, vals):
        self._retention_check_write()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_archived(self):
        if self.env.context.get("retention_destroy"):
            return
        archived = self.filtered(lambda record: not record.active)
        if archived:
            raise UserError(
                _(
                    "%(names)s archived: archived records are destroyed only through an approved "
                    "retention request.",
                    names=", ".join(archived.mapped("display_name")),
                )
            )

    def web_read(self, specification):
        result = super().web_read(specification)
        self._retention_log_access("open")
        return result

    # Opening an archived record writes the access log: not a read-only call.
    web_read._readonly = False

    def export_data(self, fields_to_export):
        result = super().export_data(fields_to_export)
        self._retention_log_access("export")
        return result

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _retention_is_archivist(self):
        return self.env.su or self.env.user.has_group("service_quality.group_archivist")

    def _retention_check_write(self):
        if self.env.context.get("retention_destroy") or self._retention_is_archivist():
            return
        archived = self.with_context(active_test=False).filtered(lambda record: not record.active)
        if archived:
            raise UserError(
                _(
                    "%(names)s archived under a retention policy: only an archivist can change it.",
                    names=", ".join(archived.mapped("display_name")),
                )
            )

    def _retention_log_access(self, access_type):
        if self.env.context.get("retention_no_log") or not self:
            return
        archived = self.with_context(active_test=False).filtered(lambda record: not record.active)
        if not archived:
            return
        company_id = self.env.company.id
        # sudo: every user logs their own access; nobody may create log rows directly
        self.env["service.access.log"].sudo().create(
            [
                {
                    "user_id": self.env.uid,
                    "res_model": self._name,
                    "res_id": record.id,
                    "res_name": record.display_name,
                    "access_type": access_type,
                    "company_id": record.company_id.id
                    if "company_id" in record._fields
                    else company_id,
                }
                for record in archived
            ]
        )

    @api.model
    def _retention_export_fields(self):
        return retention_export_fields(self)

    def _retention_fingerprints(self):
        return retention_fingerprints(self)

    def _retention_dependents(self):
        """Records that belong to the files of ``self`` and are destroyed with
        them, before them, in the same transaction: a list of
        ``(records, field)`` in deletion order, where ``field`` is the
        Many2one of ``records`` pointing to the record of ``self`` they belong
        to. Each dependent gets a register row of its own (its model, id,
        name and the fingerprint of its own exported data), so nothing goes
        without a trace. If one of them cannot be deleted, nothing of the
        file is. Models extend the list; by default a record stands alone."""
        return []
