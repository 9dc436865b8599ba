from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL, ormcache

BORROWING_PROTECTED_FIELDS = (
    "state",
    "requester_id",
    "res_model",
    "res_id",
    "approved_by_id",
    "approved_at",
)
BORROWING_BATCH_SIZE = 500
# Fields the cached reading rights of the requesters depend on.
BORROWING_ACCESS_FIELDS = ("state", "requester_id", "res_model", "res_id", "end_date")


class ServiceRecordsBorrowing(models.Model):
    """Reading an archived record outside the archivists.

    A person asks to borrow one archived record with a reason and an end
    date; an archivist or a service manager other than the requester approves
    it. While approved and not past its end date the requester reads the
    record (see ``service.retention.mixin._search_retention_readable``); the
    daily job then expires it and access ends by itself."""

    _name = "service.records.borrowing"
    _description = "Archived Record Borrowing"
    _inherit = ["mail.thread", "service.cron.mixin"]
    _order = "id desc"

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="New", index=True
    )
    res_model = fields.Selection(
        selection="_selection_res_model", string="Kind", required=True, index=True
    )
    res_id = fields.Integer(string="Record ID", required=True, index=True)
    res_ref = fields.Reference(
        selection="_selection_res_model",
        string="Archived Record",
        compute="_compute_res_ref",
        inverse="_inverse_res_ref",
        help="The archived record to borrow: choose its kind, then type its reference; "
        "only archived records of your companies are offered.",
    )
    res_name = fields.Char(string="Record", readonly=True)
    requester_id = fields.Many2one(
        "res.users",
        string="Requested By",
        required=True,
        readonly=True,
        index=True,
        default=lambda self: self.env.user,
        ondelete="restrict",
    )
    reason = fields.Text(required=True, tracking=True)
    end_date = fields.Date(string="Until", required=True, tracking=True)
    state = fields.Selection(
        [
            ("requested", "Requested"),
            ("approved", "Approved"),
            ("refused", "Refused"),
            ("expired", "Ended"),
        ],
        required=True,
        readonly=True,
        default="requested",
        index=True,
        tracking=True,
    )
    approved_by_id = fields.Many2one(
        "res.users", string="Decided By", readonly=True, tracking=True, ondelete="restrict"
    )
    approved_at = fields.Datetime(string="Decided On", readonly=True)
    company_id = fields.Many2one(
        "res.company", readonly=True, index=True, default=lambda self: self.env.company
    )

    @api.model
    def _selection_res_model(self):
        mixin = self.env.registry["service.retention.mixin"]
        names = [
            name
            for name in self.env.registry
            if not self.env[name]._abstract and isinstance(self.env[name], mixin)
        ]
        # labels from ir.model: translated in the reader's language
        labels = {
            model.model: model.name
            for model in self.env["ir.model"].sudo().search([("model", "in", names)])
        }
        return sorted((name, labels.get(name) or self.env[name]._description) for name in names)

    @api.depends("res_model", "res_id")
    def _compute_res_ref(self):
        for borrowing in self:
            borrowing.res_ref = (
                f"{borrowing.res_model},{borrowing.res_id}"
                if borrowing.res_model and borrowing.res_id
                else False
            )

    def _inverse_res_ref(self):
        # the record is chosen once, at the request (see create); afterwards
        # write() refuses res_model and res_id like any other decision field
        for borrowing in self:
            ref = borrowing.res_ref
            borrowing.write(
                {"res_model": ref._name if ref else False, "res_id": ref.id if ref else 0}
            )

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            for vals in vals_list:
                for name in ("state", "requester_id", "approved_by_id", "approved_at"):
                    vals.pop(name, None)
        for vals in vals_list:
            if vals.get("res_ref"):
                # the picker of the form: "model,id" (or a record from code),
                # checked by _borrowing_target below like res_model and res_id
                ref = vals.pop("res_ref")
                if isinstance(ref, models.BaseModel):
                    vals.update(res_model=ref._name, res_id=ref.id)
                else:
                    res_model, _sep, res_id = ref.partition(",")
                    vals.update(res_model=res_model, res_id=int(res_id) if res_id.isdigit() else 0)
            else:
                vals.pop("res_ref", None)
            record = self._borrowing_target(vals.get("res_model"), vals.get("res_id"))
            vals["res_name"] = record.sudo().display_name
            if "company_id" in record._fields and record.sudo().company_id:
                vals["company_id"] = record.sudo().company_id.id
            if vals.get("name", "New") == "New":
                vals["name"] = self.env["ir.sequence"].next_by_code(self._name) or "New"
        borrowings = super().create(vals_list)
        if any(borrowing.state == "approved" for borrowing in borrowings):
            self.env.registry.clear_cache()
        return borrowings

    def write(self, vals):
        protected = [name for name in BORROWING_PROTECTED_FIELDS if name in vals]
        if protected and not self.env.su:
            raise UserError(
                _(
                    "%(names)s: a borrowing is approved, refused and ended with its buttons only.",
                    names=", ".join(self.mapped("name")),
                )
            )
        if not self.env.su and {"reason", "end_date"} & set(vals):
            decided = self.filtered(lambda borrowing: borrowing.state != "requested")
            if decided:
                raise UserError(
                    _(
                        "%(names)s: reason and end date change only before the decision.",
                        names=", ".join(decided.mapped("name")),
                    )
                )
        access_changed = set(BORROWING_ACCESS_FIELDS) & set(vals) and (
            vals.get("state") == "approved" or any(b.state == "approved" for b in self)
        )
        res = super().write(vals)
        if access_changed:
            self.env.registry.clear_cache()
        return res

    def unlink(self):
        approved = any(borrowing.state == "approved" for borrowing in self)
        res = super().unlink()
        if approved:
            self.env.registry.clear_cache()
        return res

    @api.constrains("end_date")
    def _check_end_date(self):
        today = fields.Date.context_today(self)
        for borrowing in self:
            if borrowing.state == "requested" and borrowing.end_date < today:
                raise ValidationError(
                    _(
                        "%(name)s: the end date %(date)s is in the past.",
                        name=borrowing.name,
                        date=borrowing.end_date,
                    )
                )

    @api.model
    @ormcache("res_model", "uid", "today")
    def _borrowed_ids(self, res_model, uid, today):
        """Ids of the ``res_model`` records that user ``uid`` reads through
        an approved borrowing whose end date is ``today`` or later (a tuple,
        cached: ``create``, ``write`` and ``unlink`` of an approved borrowing
        clear the cache, and the key changes with the day)."""
        self.flush_model(["res_model", "res_id", "requester_id", "state", "end_date"])
        self.env.cr.execute(
            SQL(
                """SELECT res_id FROM service_records_borrowing
                    WHERE res_model = %s AND requester_id = %s AND state = 'approved'
                      AND end_date >= %s""",
                res_model,
                uid,
                today,
            )
        )
        return tuple(sorted({row[0] for row in self.env.cr.fetchall()}))

    @api.model
    def _borrowing_target(self, res_model, res_id):
        if not res_model or res_model not in self.env or not res_id:
            raise UserError(_("A borrowing names the archived record it is for."))
        model = self.env[res_model]
        if not isinstance(model, self.env.registry["service.retention.mixin"]):
            raise UserError(
                _("Records of %(model)s are not kept under a retention policy.", model=res_model)
            )
        record = model.sudo().with_context(active_test=False).browse(res_id).exists()
        if not record:
            raise UserError(
                _("%(model)s record %(id)s does not exist.", model=res_model, id=res_id)
            )
        if record.active:
            raise UserError(
                _(
                    "%(name)s is not archived: it is read without a borrowing.",
                    name=record.display_name,
                )
            )
        return record

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def _borrowing_check_decider(self):
        user = self.env.user
        if not (
            self.env.su
            or user.has_group("service_quality.group_archivist")
            or user.has_group("service_quality.group_service_manager")
        ):
            raise AccessError(_("Only an archivist or a service manager decides on borrowings."))
        for borrowing in self:
            if borrowing.state != "requested":
                raise UserError(_("%(name)s has been decided already.", name=borrowing.name))
            if borrowing.requester_id == user and not self.env.su:
                raise UserError(
                    _(
                        "%(name)s: you asked for it; someone else must decide.",
                        name=borrowing.name,
                    )
                )

    def action_approve(self):
        self._borrowing_check_decider()
        # sudo: the decision fields are written by these actions only, rights checked above
        self.sudo().write(
            {
                "state": "approved",
                "approved_by_id": self.env.uid,
                "approved_at": fields.Datetime.now(),
            }
        )
        return True

    def action_refuse(self):
        self._borrowing_check_decider()
        self.sudo().write(
            {
                "state": "refused",
                "approved_by_id": self.env.uid,
                "approved_at": fields.Datetime.now(),
            }
        )
        return True

    def action_return(self):
        """End an approved borrowing before its end date (requester or decider)."""
        user = self.env.user
        for borrowing in self:
            if borrowing.state != "approved":
                raise UserError(_("%(name)s is not running.", name=borrowing.name))
            if not (
                self.env.su
                or borrowing.requester_id == user
                or user.has_group("service_quality.group_archivist")
                or user.has_group("service_quality.group_service_manager")
            ):
                raise AccessError(
                    _("%(name)s: only its requester or an archivist ends it.", name=borrowing.name)
                )
        self.sudo().write({"state": "expired"})
        return True

    def action_open_record(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
            "context": {"active_test": False},
        }

    # ------------------------------------------------------------------
    # Scheduled job
    # ------------------------------------------------------------------
    @api.model
    def _cron_expire(self, batch_size=BORROWING_BATCH_SIZE):
        """End approved borrowings past their end date: one locked batch per call."""
        condition = SQL("state = 'approved' AND end_date < %s", fields.Date.context_today(self))
        batch = self._cron_lock_batch(condition, batch_size)
        batch.sudo().write({"state": "expired"})
        return self._cron_done(len(batch), self._cron_count(condition))
