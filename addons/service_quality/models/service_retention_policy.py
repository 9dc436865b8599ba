from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, ormcache
from odoo.tools.safe_eval import safe_eval

DEFAULT_BATCH_SIZE = 1000
ACCESS_SETTINGS = ("log_active_access",)


class ServiceRetentionPolicy(models.Model):
    _name = "service.retention.policy"
    _description = "Records Retention Policy"
    _inherit = ["service.cron.mixin", "mail.thread"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    model_id = fields.Many2one(
        "ir.model",
        string="Model",
        required=True,
        ondelete="cascade",
        domain=[("transient", "=", False)],
    )
    model_name = fields.Char(related="model_id.model", store=True, index=True, string="Model Name")
    date_field = fields.Char(
        string="Counted From",
        required=True,
        help="Technical name of the date field the period counts from, on the model itself "
        "or through relations (e.g. closed_at, employee_id.departure_date). Records without "
        "this date are never due.",
    )
    years = fields.Integer(string="Years to Keep", required=True, default=3)
    min_date_field = fields.Char(
        string="And At Least After",
        help="Optional second date (e.g. contract end): the record is due only when this "
        "date is empty or older than the second period as well.",
    )
    min_years = fields.Integer(string="Years After Second Date", default=0)
    domain = fields.Char(string="Applies To", default="[]", required=True)
    action = fields.Selection(
        [("archive", "Archive"), ("destroy", "Destroy after approval")],
        string="After the Period",
        required=True,
        default="archive",
    )
    batch_size = fields.Integer(default=DEFAULT_BATCH_SIZE, required=True)
    log_active_access = fields.Boolean(
        string="Log Access to Active Records",
        default=True,
        index=True,
        help="Write every open, print and export of this model's records to the access log, "
        "active records included (archived records are always logged). On by default: "
        "the records kept under a policy are the evidence of the service.",
    )
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Leave empty to apply the policy to every company.",
    )
    note = fields.Text()
    request_ids = fields.One2many("service.retention.request", "policy_id", string="Requests")
    request_count = fields.Integer(compute="_compute_request_count")
    last_run_at = fields.Datetime(readonly=True, copy=False)
    run_queued_at = fields.Datetime(
        string="Queued Since",
        readonly=True,
        copy=False,
        help="Apply Now was clicked: the retention job applies the policy in the background "
        "and posts the result here.",
    )
    run_queued_by_id = fields.Many2one(
        "res.users",
        string="Queued By",
        readonly=True,
        copy=False,
        help="Archivist who clicked Apply Now: the proposals of the run are requested in their name.",
    )
    run_done_count = fields.Integer(
        string="Handled in This Run",
        readonly=True,
        copy=False,
        help="Records archived or proposed since the current run of the policy started.",
    )
    run_last_id = fields.Integer(
        string="Run Position",
        readonly=True,
        copy=False,
        help="Id of the last record archived or proposed in the current run: the run goes "
        "through the records in id order, each batch after the previous one; the next run "
        "starts again from the first record.",
    )
    date_field_label = fields.Char(string="Counted From (Label)", compute="_compute_field_labels")
    min_date_field_label = fields.Char(
        string="And At Least After (Label)", compute="_compute_field_labels"
    )

    @api.depends("model_name", "date_field", "min_date_field")
    @api.depends_context("lang")
    def _compute_field_labels(self):
        """The date fields by their labels in the reader's language, e.g.
        "Employee > Departure Date" for ``employee_id.departure_date``."""
        for policy in self:
            policy.date_field_label = policy._field_path_label(policy.date_field)
            policy.min_date_field_label = policy._field_path_label(policy.min_date_field)

    def _field_path_label(self, path):
        self.ensure_one()
        if not path or self.model_name not in self.env:
            return path or False
        model, labels = self.env[self.model_name], []
        for name in path.split("."):
            field = model._fields.get(name)
            if field is None:
                return path
            labels.append(field._description_string(self.env))
            if field.relational:
                model = self.env[field.comodel_name]
        return " > ".join(labels)

    def _compute_request_count(self):
        counts = dict(
            self.env["service.retention.request"]._read_group(
                [("policy_id", "in", self.ids)], ["policy_id"], ["__count"]
            )
        )
        for policy in self:
            policy.request_count = counts.get(policy, 0)

    @api.constrains(
        "model_id",
        "date_field",
        "min_date_field",
        "min_years",
        "years",
        "domain",
        "action",
        "batch_size",
    )
    def _check_definition(self):
        for policy in self:
            if policy.years <= 0:
                raise ValidationError(
                    _(
                        "Retention policy %(name)s: the period must be at least one year, not %(years)s.",
                        name=policy.name,
                        years=policy.years,
                    )
                )
            if policy.batch_size <= 0:
                raise ValidationError(
                    _(
                        "Retention policy %(name)s: the batch size must be positive.",
                        name=policy.name,
                    )
                )
            model = self.env.get(policy.model_name)
            if model is None:
                raise ValidationError(
                    _(
                        "Retention policy %(name)s: model %(model)s is not installed.",
                        name=policy.name,
                        model=policy.model_name,
                    )
                )
            policy._check_date_path(model, policy.date_field)
            if policy.min_date_field:
                policy._check_date_path(model, policy.min_date_field)
                if policy.min_years <= 0:
                    raise ValidationError(
                        _(
                            "Retention policy %(name)s: the period after %(field)s must be at least one year.",
                            name=policy.name,
                            field=policy.min_date_field,
                        )
                    )
            if policy.action == "archive" and "active" not in model._fields:
                raise ValidationError(
                    _(
                        "Retention policy %(name)s: model %(model)s has no Active field, its records "
                        "cannot be archived or locked.",
                        name=policy.name,
                        model=policy.model_name,
                    )
                )
            try:
                domain = policy._get_domain()
                model.with_context(active_test=False)._search(domain)
            except Exception as error:
                raise ValidationError(
                    _(
                        "Retention policy %(name)s: the filter %(domain)s is not valid for %(model)s: %(error)s",
                        name=policy.name,
                        domain=policy.domain,
                        model=policy.model_name,
                        error=error,
                    )
                ) from error

    def _check_date_path(self, model, path):
        """Raise unless ``path`` names a date or datetime field reachable from ``model``."""
        self.ensure_one()
        current = model
        field = None
        parts = (path or "").split(".")
        for index, part in enumerate(parts):
            field = current._fields.get(part)
            if field is None:
                raise ValidationError(
                    _(
                        "Retention policy %(name)s: model %(model)s has no field %(field)s.",
                        name=self.name,
                        model=current._name,
                        field=part,
                    )
                )
            if index < len(parts) - 1:
                if field.type != "many2one":
                    raise ValidationError(
                        _(
                            "Retention policy %(name)s: %(field)s on %(model)s is not a relation to follow.",
                            name=self.name,
                            model=current._name,
                            field=part,
                        )
                    )
                current = self.env[field.comodel_name]
        if field.type not in ("date", "datetime") or not (field.store or field.search):
            raise ValidationError(
                _(
                    "Retention policy %(name)s: %(field)s on %(model)s is not a searchable date field.",
                    name=self.name,
                    model=current._name,
                    field=field.name,
                )
            )
        return field

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        used = (
            self.env["service.retention.register"]
            .sudo()
            .search_count([("policy_id", "in", self.ids)], limit=1)
        )
        if used:
            raise UserError(
                _(
                    "Retention policies that destroyed records are kept for the register: archive them instead."
                )
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def action_run(self):
        """Queue the policies: the retention job applies them in the
        background, batch after batch, and posts the result on each."""
        if not self.env.user.has_group("service_quality.group_archivist"):
            raise UserError(_("Only archivists can run retention policies."))
        archived = self.filtered(lambda policy: not policy.active)
        if archived:
            raise UserError(
                _(
                    "Retention policy %(names)s is archived: activate it before applying it.",
                    names=", ".join(archived.mapped("name")),
                )
            )
        # sudo: the queue mark is written by this action and the job only
        self.sudo().write(
            {"run_queued_at": fields.Datetime.now(), "run_queued_by_id": self.env.uid}
        )
        self.env.ref("service_quality.ir_cron_retention_apply_policies").sudo()._trigger()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "title": _("Retention policy queued"),
                "message": _(
                    "%(names)s: the retention job applies it in the background; the result "
                    "is posted on the policy when it is done.",
                    names=", ".join(self.mapped("name")),
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_view_requests(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Destruction Requests"),
            "res_model": "service.retention.request",
            "view_mode": "list,form",
            "domain": [("policy_id", "=", self.id)],
            "context": {"default_policy_id": self.id},
        }

    def action_view_due_records(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Records Due: %(policy)s", policy=self.name),
            "res_model": self.model_name,
            "view_mode": "list,form",
            "domain": self._get_due_domain(),
            "context": {"active_test": False},
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _get_domain(self):
        self.ensure_one()
        return list(safe_eval(self.domain or "[]"))

    def _cutoff(self, path, years):
        """Latest value of ``path`` whose period of ``years`` has ended now."""
        self.ensure_one()
        field = self._check_date_path(self.env[self.model_name], path)
        if field.type == "date":
            return fields.Date.context_today(self) - relativedelta(years=years)
        return fields.Datetime.now() - relativedelta(years=years)

    def _get_due_domain(self):
        """Records of the policy whose retention period has ended."""
        self.ensure_one()
        domain = [
            *self._get_domain(),
            (self.date_field, "!=", False),
            (self.date_field, "<=", self._cutoff(self.date_field, self.years)),
        ]
        if self.min_date_field:
            domain += [
                "|",
                (self.min_date_field, "=", False),
                (self.min_date_field, "<=", self._cutoff(self.min_date_field, self.min_years)),
            ]
        model = self.env[self.model_name]
        if self.company_id and "company_id" in model._fields:
            domain.append(("company_id", "=", self.company_id.id))
        if "legal_hold" in model._fields:
            # records under legal hold are kept whatever their period
            domain.append(("legal_hold", "=", False))
        return domain

    def _due_query(self):
        """Query of the records of the policy still to act on: due, and still
        active for an archive policy, or never proposed for a destroy policy
        (a line put aside under legal hold does not count as proposed), after
        the position of the current run (a batch does not read again the
        records the batches before it handled)."""
        self.ensure_one()
        model = self.env[self.model_name].with_context(active_test=False)
        domain = self._get_due_domain()
        if self.run_last_id:
            domain.append(("id", ">", self.run_last_id))
        if self.action == "archive":
            domain.append(("active", "=", True))
        query = model._search(domain)
        if self.action == "destroy":
            self.env["service.retention.request.line"].flush_model()
            # The lines after the position only (the same condition, since
            # the record is after it): the lines this run proposed are all
            # before it. Without that bound, on statistics from before the
            # run (the table grows faster than it is analyzed) PostgreSQL
            # sorts every line of the model for each batch.
            query.add_where(
                SQL(
                    "NOT EXISTS (SELECT 1 FROM service_retention_request_line l "
                    "WHERE l.res_model = %s AND l.res_id = %s AND l.res_id > %s "
                    "AND l.state != 'held')",
                    self.model_name,
                    SQL.identifier(query.table, "id"),
                    self.run_last_id,
                )
            )
        return query

    def _due_batch(self, limit):
        """Ids of the next ``limit`` records to act on, in id order."""
        self.ensure_one()
        query = self._due_query()
        query.order = SQL.identifier(query.table, "id")
        query.limit = limit
        return [row[0] for row in self.env.execute_query(query.select())]

    @api.model
    def _cron_apply_policies(self):
        """One batch of the first active policy with work left, per call.

        The policy row is locked for the call (a second run at once skips it
        and goes on with the next policy), the batch is archived or proposed,
        and the progress goes to the cron runner, which calls again while
        work remains. A policy with nothing left closes its run: date of the
        run and, when it did something or was queued, a message with the
        number of records."""
        policies = self.sudo().search([])  # sudo: retention applies across record rules
        for index, policy in enumerate(policies):
            if not policy._cron_lock_batch(SQL("id = %s", policy.id), 1):
                continue
            ids = policy._due_batch(policy.batch_size)
            if not ids:
                policy._close_run()
                continue
            if policy.action == "archive":
                policy._archive_batch(ids)
            else:
                policy._propose_batch(ids)
            policy.write(
                {"run_done_count": policy.run_done_count + len(ids), "run_last_id": ids[-1]}
            )
            # a batch that is not full took the last records due; after a full
            # one the runner calls again, and a call that finds none closes the
            # run (not counted: the count would read the next batch's records
            # once more after every batch)
            left = 1 if len(ids) == policy.batch_size else 0
            if not left:
                policy._close_run()
            # the policies after this one still have to be looked at
            return self._cron_done(len(ids), left + len(policies) - index - 1)
        return self._cron_done(0, 0)

    def _close_run(self):
        """End of the run of the policy: date, and the result on its chatter
        when it handled records or someone queued it."""
        self.ensure_one()
        if self.run_done_count or self.run_queued_at:
            if self.action == "archive":
                body = _("Retention run: %(count)s records archived.", count=self.run_done_count)
            else:
                body = _(
                    "Retention run: %(count)s records proposed for destruction.",
                    count=self.run_done_count,
                )
            self.message_post(body=body, subtype_xmlid="mail.mt_note")
        self.write(
            {
                "last_run_at": fields.Datetime.now(),
                "run_queued_at": False,
                "run_queued_by_id": False,
                "run_done_count": 0,
                "run_last_id": 0,
            }
        )

    def _archive_batch(self, ids):
        """Archive ``ids`` through the ORM ``write`` (the model's overrides,
        its automated actions and the clean-up of activities apply). Each
        field read around the write (the old values and conditions of the
        automated actions) fetches that column only, not every column of
        the batch's records."""
        self.ensure_one()
        records = (
            self.env[self.model_name]
            .with_context(active_test=False, tracking_disable=True, prefetch_fields=False)
            .browse(ids)
        )
        records.write({"active": False})

    @api.model
    def _stored_name_column(self, records):
        """The column holding the display name of ``records``' model when
        the model keeps Odoo's own display name (its ``_rec_name``, a
        stored, untranslated, not company-dependent char field), else None:
        then the names are computed record by record."""
        Model = records.browse()
        field = Model._fields.get(Model._rec_name or "")
        if (
            type(Model)._compute_display_name is not models.BaseModel._compute_display_name
            or not field
            or field.type != "char"
            or not field.store
            or not field.column_type
            or field.translate
            or field.company_dependent
        ):
            return None
        return SQL.identifier(Model._table, field.name)

    def _propose_batch(self, ids):
        """One request for ``ids``, its lines written in one INSERT."""
        self.ensure_one()
        records = self.env[self.model_name].with_context(active_test=False).browse(ids)
        name_column = self._stored_name_column(records)
        if name_column:
            # the name is a plain column: read by the INSERT itself
            Model = records.browse()
            Model.flush_model([Model._rec_name])
            source = SQL(
                "(SELECT id AS res_id, COALESCE(%s, '') AS res_name FROM %s "
                "WHERE id = ANY(%s)) AS t",
                name_column,
                SQL.identifier(Model._table),
                ids,
            )
        else:
            names = [record.display_name or "" for record in records]
            source = SQL(
                "unnest(%s::int[], %s::varchar[]) AS t(res_id, res_name)",
                ids,
                names,
            )
        # the archivist who queued the run, or the job's user for the daily run
        requester = self.run_queued_by_id.id or self.env.uid
        request = self.env["service.retention.request"].create(
            {"policy_id": self.id, "requested_by_id": requester}
        )
        self.env.execute_query(
            SQL(
                "INSERT INTO service_retention_request_line (request_id, policy_id, res_model, "
                "res_id, res_name, state, create_uid, write_uid, create_date, write_date) "
                "SELECT %(request)s, %(policy)s, %(model)s, res_id, res_name, 'pending', "
                "%(uid)s, %(uid)s, %(now)s, %(now)s FROM %(source)s",
                request=request.id,
                policy=self.id,
                model=self.model_name,
                uid=self.env.uid,
                now=self.env.cr.now(),
                source=source,
            )
        )
        request.invalidate_recordset(["line_ids"])

    # ------------------------------------------------------------------
    # Per-model settings read on every access: cached per model and companies
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get(name) for vals in vals_list for name in ACCESS_SETTINGS):
            self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        if set(ACCESS_SETTINGS) & set(vals) or (
            {"active", "model_id", "company_id"} & set(vals) and self._has_access_settings()
        ):
            self.env.registry.clear_cache()
        return super().write(vals)

    def unlink(self):
        if self._has_access_settings():
            self.env.registry.clear_cache()
        return super().unlink()

    def _has_access_settings(self):
        return any(policy[name] for policy in self for name in ACCESS_SETTINGS)

    @api.model
    @ormcache("model_name", "company_ids")
    def _access_settings(self, model_name, company_ids):
        """``(log active records,)`` for ``model_name`` over the active
        policies of ``company_ids`` (a sorted tuple) and of all companies."""
        self.flush_model(["active", "model_id", "company_id", "log_active_access"])
        self.env.cr.execute(
            SQL(
                """SELECT bool_or(p.log_active_access)
                     FROM service_retention_policy p
                     JOIN ir_model m ON m.id = p.model_id
                    WHERE p.active AND m.model = %s
                      AND (p.company_id IS NULL OR p.company_id IN %s)""",
                model_name,
                tuple(company_ids) or (0,),
            )
        )
        (log_active,) = self.env.cr.fetchone()
        return (bool(log_active),)
