import hashlib
import json

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_datetime

from .service_workflow_mixin import retention_destroying

# Fields left out of the fingerprint: they change without the record's content
# changing (chatter bookkeeping) or are files kept apart.
FINGERPRINT_SKIP_TYPES = ("binary", "one2many", "many2many")
# Written by the legal hold actions only.
LEGAL_HOLD_FIELDS = (
    "legal_hold",
    "legal_hold_reason",
    "legal_hold_note",
    "legal_hold_by_id",
    "legal_hold_since",
)
LEGAL_HOLD_GROUPS = ("service_quality.group_archivist", "service_quality.group_service_manager")


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


# Field types whose export value ``retention_export_rows`` builds itself; a
# model with another exported type (reference, properties, json...) goes
# through ``export_data``.
FAST_EXPORT_TYPES = {
    "boolean",
    "char",
    "date",
    "datetime",
    "float",
    "html",
    "integer",
    "many2one",
    "many2one_reference",
    "monetary",
    "selection",
    "text",
}


def _export_converter(records, field):
    """Function turning the cached value of ``field`` into what Odoo's export
    (``export_data``, import-compatible) writes in its cell. Selection labels
    are looked up once per field, not once per row."""
    if field.type == "selection":
        if not isinstance(field.selection, list):
            return lambda value: value or ""
        labels = dict(field._description_selection(records.env))
        return lambda value: labels.get(value, "") if value else ""
    if field.type == "boolean":
        return bool
    if field.type in ("integer", "many2one_reference", "float", "monetary"):
        return lambda value: value if value or value == 0 else ""
    if field.type == "datetime":
        # export_data: the time in the context's time zone (UTC here), to the second
        return lambda value: value.replace(microsecond=0) if value else ""
    return lambda value: value or ""


def retention_export_rows(records, field_names):
    """Rows of ``records`` for ``field_names`` exactly as
    ``records.export_data(field_names)["datas"]`` returns them (with the
    context of ``records``), built from one fetch of the batch: the values
    of the fields of ``FAST_EXPORT_TYPES`` converted per field, without the
    per-row label translation of the generic export."""
    fields_ = [records._fields[name] for name in field_names if name != ".id"]
    if any(field.type not in FAST_EXPORT_TYPES for field in fields_):
        return records.export_data(field_names)["datas"]
    records.fetch([field.name for field in fields_])
    columns = []
    for name in field_names:
        if name == ".id":
            columns.append([str(record_id) for record_id in records.ids])
            continue
        field = records._fields[name]
        if field.compute and field.store:
            # pending computations first, as reading the field does
            field.recompute(records)
        # values from the fetched cache (one lookup per column, not per cell)
        values = records.env.cache.get_until_miss(records, field)
        if field.type != "many2one":
            if len(values) < len(records):
                values = records.mapped(name)
            elif field.type in ("integer", "many2one_reference"):
                # the record values of empty numbers (Integer/Float.convert_to_record)
                values = [value or 0 for value in values]
            elif field.type in ("float", "monetary"):
                values = [value or 0.0 for value in values]
            convert = _export_converter(records, field)
            columns.append([convert(value) for value in values])
            continue
        # display names one batch per comodel
        if len(values) < len(records):
            values = [record[name].id for record in records]
        related = records.env[field.comodel_name].browse({value for value in values if value})
        names = {record.id: record.display_name or "" for record in related}
        columns.append([names[value] if value else "" for value in values])
    return [list(row) for row in zip(*columns, strict=True)]


def retention_fingerprints(records):
    """``{id: SHA-256}`` of the exported data of ``records`` (any model), one
    export for the batch. The export runs in English and UTC so the hash does
    not depend on who destroys the record; it is the export an auditor gets
    from Odoo's own export (*Export*, import-compatible, in English and UTC)
    of the fields of ``retention_export_fields``."""
    field_names = retention_export_fields(records)
    records = records.sudo().with_context(
        retention_no_log=True, active_test=False, lang="en_US", tz="UTC"
    )
    rows = retention_export_rows(records, field_names)
    return {
        record.id: retention_fingerprint(records._name, field_names, row)
        for record, row in zip(records, rows, strict=True)
    }


class ServiceRetentionMixin(models.AbstractModel):
    """Records under a retention policy.

    Archived records are read and changed by archivists only (anyone else
    reads one through an approved ``service.records.borrowing`` until its end
    date), can only be deleted by an approved destruction request, and every
    open, print and export of an archived record is written to
    ``service.access.log``; of an active record too when a retention policy
    of the model asks for it (the shipped policies do)."""

    _name = "service.retention.mixin"
    _description = "Records Retention Mixin"

    active = fields.Boolean(default=True, index=True)
    legal_hold = fields.Boolean(
        copy=False,
        readonly=True,
        index=True,
        tracking=True,
        help="Kept whatever its retention period (dispute, claim, audit): skipped by "
        "retention proposals and refused by destruction until a second person releases it.",
    )
    legal_hold_reason = fields.Selection(
        [("dispute", "Dispute"), ("claim", "Claim"), ("audit", "Audit"), ("other", "Other")],
        string="Hold Reason",
        copy=False,
        readonly=True,
        tracking=True,
    )
    legal_hold_note = fields.Char(string="Hold Details", copy=False, readonly=True)
    legal_hold_by_id = fields.Many2one(
        "res.users", string="Held By", copy=False, readonly=True, tracking=True
    )
    legal_hold_since = fields.Datetime(string="Held Since", copy=False, readonly=True)
    retention_readable = fields.Boolean(
        string="Readable When Archived",
        compute="_compute_retention_readable",
        search="_search_retention_readable",
    )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    def write(self, vals):
        held = [name for name in LEGAL_HOLD_FIELDS if name in vals]
        if held and not self.env.su:
            raise UserError(
                _(
                    "%(names)s: the legal hold is set and released with its buttons only.",
                    names=", ".join(self[:5].mapped("display_name")),
                )
            )
        self._retention_check_write()
        if "active" in vals:
            self._retention_check_archiving()
        return super().write(vals)

    def _retention_check_archiving(self):
        """Archiving a record in a final workflow state takes it out of sight
        of everyone but the archivists: that is the archivists' job (and the
        retention policies', which run as the system)."""
        final_states = getattr(self, "_workflow_final_states", ())
        if not final_states or self._retention_is_archivist():
            return
        final = self.with_context(active_test=False).filtered(
            lambda record: record.state in final_states
        )
        if final:
            labels = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                _(
                    "%(record)s is %(state)s: only an archivist can archive or restore it.",
                    record=final[0].display_name,
                    state=labels[final[0].state],
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_legal_hold(self):
        held = self.filtered("legal_hold")
        if held:
            raise UserError(
                _(
                    "%(names)s under legal hold: nothing on hold is destroyed until the hold "
                    "is released.",
                    names=", ".join(held.mapped("display_name")),
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_archived(self):
        if retention_destroying(self.env):
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

    # Opening a logged record writes the access log: not a read-only call.
    web_read._readonly = False

    @api.model
    @api.readonly
    def web_search_read(
        self, domain, specification, offset=0, limit=None, order=None, count_limit=None
    ):
        # A list shows records without opening them: only opening (the form's
        # web_read), printing and exporting are logged, so lists stay read-only
        # calls and cost nothing more.
        return self.with_context(retention_no_log=True)._retention_web_search_read(
            domain, specification, offset=offset, limit=limit, order=order, count_limit=count_limit
        )

    @api.model
    def _retention_web_search_read(self, domain, specification, **kwargs):
        """Odoo's list read, on the environment ``web_search_read`` gives."""
        return super().web_search_read(domain, specification, **kwargs)

    @api.model
    def name_search(self, name="", args=None, operator="ilike", limit=100):
        """With ``retention_borrowing_picker`` in the context (the record
        picker of a borrowing request): the archived records of the user's
        companies, by name, although the read rule hides them from whoever
        is not an archivist (asking to borrow one is the way to read it)."""
        if not self.env.context.get("retention_borrowing_picker"):
            return super().name_search(name, args, operator, limit)
        self.browse().check_access("read")
        self.env["service.records.borrowing"].browse().check_access("create")
        domain = [*(args or []), ("active", "=", False)]
        if "company_id" in self._fields:
            domain.append(("company_id", "in", [False, *self.env.companies.ids]))
        # sudo: names only, of records a borrowing request names anyway
        # (res_name); reading the record itself still takes an approval
        return (
            self.sudo()
            .with_context(active_test=False, retention_borrowing_picker=False)
            .name_search(name, domain, operator, limit)
        )

    def export_data(self, fields_to_export):
        result = super().export_data(fields_to_export)
        self._retention_log_access("export")
        return result

    # ------------------------------------------------------------------
    # Legal hold
    # ------------------------------------------------------------------
    def action_open_legal_hold_wizard(self):
        return self.env["service.legal.hold"]._records_wizard_action(self, _("Legal Hold"))

    def _legal_hold_check_rights(self):
        if self.env.su:
            return
        if not any(self.env.user.has_group(group) for group in LEGAL_HOLD_GROUPS):
            raise AccessError(
                _(
                    "%(names)s: only an archivist or a service manager can put records under "
                    "legal hold or release them.",
                    names=", ".join(self[:5].mapped("display_name")),
                )
            )

    def _legal_hold_log(self, body):
        if hasattr(self, "message_post"):
            for record in self:
                # sudo: archivists hold records they may not edit; the note is
                # authored by the person who acted
                record.sudo().message_post(
                    body=body,
                    author_id=self.env.user.partner_id.id,
                    subtype_xmlid="mail.mt_note",
                )

    def _legal_hold_set(self, reason, note):
        """Put ``self`` under legal hold for ``reason`` (a key of
        ``legal_hold_reason``), with ``note`` naming the case."""
        self._legal_hold_check_rights()
        reasons = dict(self._fields["legal_hold_reason"]._description_selection(self.env))
        note = (note or "").strip()
        if reason not in reasons or not note:
            raise UserError(
                _(
                    "%(names)s: give the reason of the legal hold and the case it is for.",
                    names=", ".join(self[:5].mapped("display_name")),
                )
            )
        already = self.filtered("legal_hold")
        if already:
            raise UserError(
                _(
                    "%(names)s already under legal hold.",
                    names=", ".join(already.mapped("display_name")),
                )
            )
        # sudo: the hold fields are written by this action only, rights checked above
        self.sudo().with_context(active_test=False).write(
            {
                "legal_hold": True,
                "legal_hold_reason": reason,
                "legal_hold_note": note,
                "legal_hold_by_id": self.env.uid,
                "legal_hold_since": fields.Datetime.now(),
            }
        )
        self._legal_hold_log(
            Markup("%s")
            % _(
                "Put under legal hold by %(user)s (%(reason)s: %(note)s): kept whatever its "
                "retention period until someone else releases it.",
                user=self.env.user.name,
                reason=reasons[reason],
                note=note,
            )
        )
        return True

    def action_legal_hold_release(self):
        """Release the hold: by an archivist or manager other than the one
        who set it."""
        self._legal_hold_check_rights()
        for record in self:
            if not record.legal_hold:
                raise UserError(_("%(name)s is not under legal hold.", name=record.display_name))
            if record.legal_hold_by_id == self.env.user and not self.env.su:
                raise UserError(
                    _(
                        "%(name)s: you put it under legal hold; someone else must release it.",
                        name=record.display_name,
                    )
                )
        for record in self:
            since = format_datetime(self.env, record.legal_hold_since, tz=self.env.user.tz or "UTC")
            record._legal_hold_log(
                _(
                    "Legal hold released by %(user)s (held by %(holder)s since %(since)s: "
                    "%(note)s).",
                    user=self.env.user.name,
                    holder=record.legal_hold_by_id.name,
                    since=since,
                    note=record.legal_hold_note,
                )
            )
        # sudo: the hold fields are written by this action only, rights checked above
        self.sudo().with_context(active_test=False).write(dict.fromkeys(LEGAL_HOLD_FIELDS, False))
        return True

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _retention_is_archivist(self):
        return self.env.su or self.env.user.has_group("service_quality.group_archivist")

    def _retention_check_write(self):
        if retention_destroying(self.env) or self._retention_is_archivist():
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
        logged = self.with_context(active_test=False)
        if not self._retention_logs_active_access():
            logged = logged.filtered(lambda record: not record.active)
        if not logged:
            return
        company_id = self.env.company.id
        vals_list = [
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
            for record in logged
        ]
        if self.env.cr.readonly:
            # A read-only request (Odoo's report URLs, a read replica): the
            # log is written through a read/write cursor of its own, as Odoo
            # logs devices, instead of an INSERT refused by the read-only
            # transaction, which Odoo logs as an error before running the
            # whole request again.
            self.env.cr.rollback()
            with self.env.registry.cursor(readonly=False) as cr:
                # sudo: every user logs their own access; nobody may create log rows directly
                self.env(cr=cr, su=True)["service.access.log"].create(vals_list)
            return
        # sudo: every user logs their own access; nobody may create log rows directly
        self.env["service.access.log"].sudo().create(vals_list)

    @api.model
    def _retention_access_settings(self):
        # sudo: every user's access follows the policies, whatever their rights on them
        return (
            self.env["service.retention.policy"]
            .sudo()
            ._access_settings(self._name, tuple(sorted(self.env.companies.ids)))
        )

    @api.model
    def _retention_logs_active_access(self):
        """Whether a policy asks to log the access to active records too."""
        return self._retention_access_settings()[0]

    def _compute_retention_readable(self):
        domain = self._search_retention_readable("=", True)
        readable = None if domain == [(1, "=", 1)] else set(domain[0][2])
        for record in self:
            record.retention_readable = readable is None or record.id in readable

    def _search_retention_readable(self, operator, value):
        """Archived records this user may read besides active ones: all of them
        for archivists, else only those of the user's running borrowings
        (approved, end date not past: access ends on the end date by itself,
        before the daily job marks the borrowing ended). Used by the global
        read rule of each model of the mixin; runs inside the rule's sudo
        search, so ``env.user`` is the reader."""
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Unsupported search on %(field)s.", field="retention_readable"))
        positive = (operator == "=") == value
        user = self.env.user
        if (
            user._is_superuser()
            or not user._is_internal()
            or user.has_group("service_quality.group_archivist")
        ):
            return [(1, "=", 1)] if positive else [(0, "=", 1)]
        # the approved borrowings are cached per reader and day (the end date
        # is a date): approving, ending or changing a borrowing clears it
        ids = list(
            self.env["service.records.borrowing"]._borrowed_ids(
                self._name, user.id, fields.Date.context_today(self)
            )
        )
        return [("id", "in" if positive else "not in", ids)]

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
