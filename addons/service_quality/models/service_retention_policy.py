import logging
import threading

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, ormcache
from odoo.tools.safe_eval import safe_eval

DEFAULT_BATCH_SIZE = 1000
# First key of the advisory lock held by the run of a policy (second key: its id).
RUN_LOCK_KEY = 7_470_001

_logger = logging.getLogger(__name__)
ACCESS_SETTINGS = ("log_active_access",)


class ServiceRetentionPolicy(models.Model):
    _name = "service.retention.policy"
    _description = "Records Retention Policy"
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
        """Apply the policies now (same work as the scheduled job)."""
        if not self.env.user.has_group("service_quality.group_archivist"):
            raise UserError(_("Only archivists can run retention policies."))
        self._run(commit=False)
        return True

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

    def _search_due_batch(self, after_id, limit):
        """Next keyset page of due records after ``after_id``.

        Returns ``(ids, last_id)``: the ids to act on (still active for an
        archive policy; never proposed before for a destroy policy) and the
        last id of the page, where the next page starts. Two indexed queries
        whatever the size of the table or of the request lines."""
        self.ensure_one()
        model = self.env[self.model_name].with_context(active_test=False)
        domain = [*self._get_due_domain(), ("id", ">", after_id)]
        if self.action == "archive":
            domain.append(("active", "=", True))
        query = model._search(domain, order="id", limit=limit)
        page = [
            row[0]
            for row in self.env.execute_query(query.select(SQL.identifier(query.table, "id")))
        ]
        if not page:
            return [], after_id
        ids = page
        if self.action == "destroy":
            self.env["service.retention.request.line"].flush_model()
            proposed = {
                row[0]
                for row in self.env.execute_query(
                    SQL(
                        "SELECT res_id FROM service_retention_request_line "
                        "WHERE res_model = %s AND res_id = ANY(%s) AND state != 'held'",
                        self.model_name,
                        page,
                    )
                )
            }
            ids = [rid for rid in page if rid not in proposed]
        return ids, page[-1]

    def _run(self, commit=True):
        """Archive or propose for destruction what is due, batch after batch.

        Each batch is one keyset query plus a constant number of writes; with
        ``commit`` the batch is committed before the next (never in tests)."""
        do_commit = commit and not getattr(threading.current_thread(), "testing", False)
        for policy in self.sudo().filtered("active"):  # sudo: retention applies across record rules
            after_id = 0
            while True:
                if not policy._try_lock_run():
                    _logger.info("Retention policy %s is being applied by another run", policy.name)
                    break
                ids, last_id = policy._search_due_batch(after_id, policy.batch_size)
                if last_id == after_id:
                    break
                after_id = last_id
                if not ids:
                    continue
                if policy.action == "archive":
                    policy._archive_batch(ids)
                else:
                    policy._propose_batch(ids)
                if do_commit:
                    self.env.cr.commit()
            policy.last_run_at = fields.Datetime.now()
            if do_commit:
                self.env.cr.commit()

    def _try_lock_run(self):
        """Take the policy's run lock for the current transaction (batch).

        Two runs at once never process the same batch: the second one finds
        the lock taken and leaves the policy to the first. Taken first in each
        batch transaction, so the batch sees what earlier batches committed."""
        self.ensure_one()
        return self.env.execute_query(
            SQL("SELECT pg_try_advisory_xact_lock(%s, %s)", RUN_LOCK_KEY, self.id)
        )[0][0]

    def _archive_batch(self, ids):
        self.ensure_one()
        records = (
            self.env[self.model_name]
            .with_context(active_test=False, tracking_disable=True)
            .browse(ids)
        )
        records.write({"active": False})
        self.env.flush_all()
        self.env.invalidate_all()

    def _propose_batch(self, ids):
        self.ensure_one()
        records = self.env[self.model_name].with_context(active_test=False).browse(ids)
        names = {record.id: record.display_name for record in records}
        self.env["service.retention.request"].create(
            {
                "policy_id": self.id,
                "requested_by_id": self.env.uid,
                "line_ids": [
                    (
                        0,
                        0,
                        {
                            "res_model": self.model_name,
                            "res_id": rid,
                            "res_name": names.get(rid) or "",
                        },
                    )
                    for rid in ids
                ],
            }
        )
        self.env.flush_all()
        self.env.invalidate_all()

    @api.model
    def _cron_apply_policies(self):
        self.search([])._run(commit=True)

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
