from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class ServiceRetentionRegister(models.Model):
    """One immutable row per destroyed record.

    Rows are only created by the destruction of an approved request; the ORM
    refuses every write and delete (superuser included) and a database
    trigger refuses UPDATE, DELETE and TRUNCATE on the table itself.

    The field names are a contract (SPEC, technical names): ``model``,
    ``res_id``, ``display_name``, ``policy_id``, ``fingerprint``,
    ``requested_by``, ``approved_by``, ``destroyed_at``. ``display_name``
    replaces the computed magic field: it is the stored name of the destroyed
    record, frozen at destruction, and the register's ``_rec_name``, so
    reading, searching, grouping and name_search all use the stored value."""

    _name = "service.retention.register"
    _description = "Records Destruction Register"
    _order = "destroyed_at desc, id desc"
    _rec_name = "display_name"

    model = fields.Char(string="Model", required=True, readonly=True, index=True)
    res_id = fields.Integer(string="Record ID", required=True, readonly=True)
    display_name = fields.Char(string="Record", readonly=True)
    policy_id = fields.Many2one(
        "service.retention.policy",
        string="Policy",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    request_id = fields.Many2one(
        "service.retention.request",
        string="Request",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    fingerprint = fields.Char(
        string="SHA-256",
        required=True,
        readonly=True,
        help="SHA-256 of the record's exported data.",
    )
    requested_by = fields.Many2one(
        "res.users", string="Requested By", readonly=True, ondelete="restrict"
    )
    approved_by = fields.Many2one(
        "res.users", string="Approved By", required=True, readonly=True, ondelete="restrict"
    )
    destroyed_by_id = fields.Many2one(
        "res.users", string="Destroyed By", readonly=True, ondelete="restrict"
    )
    destroyed_at = fields.Datetime(string="Destroyed On", required=True, readonly=True, index=True)
    company_id = fields.Many2one("res.company", readonly=True, index=True, ondelete="restrict")

    _sql_constraints = [
        ("record_uniq", "unique(model, res_id)", "A record can be destroyed only once."),
    ]

    def init(self):
        # Belt and braces under the ORM: the table refuses changes and deletes.
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE FUNCTION service_retention_register_immutable() RETURNS trigger AS $$
                BEGIN
                    RAISE EXCEPTION USING MESSAGE = 'service_retention_register is append-only: ' || TG_OP || ' refused';
                END;
                $$ LANGUAGE plpgsql;
                DROP TRIGGER IF EXISTS service_retention_register_no_change ON service_retention_register;
                CREATE TRIGGER service_retention_register_no_change
                    BEFORE UPDATE OR DELETE ON service_retention_register
                    FOR EACH ROW EXECUTE FUNCTION service_retention_register_immutable();
                DROP TRIGGER IF EXISTS service_retention_register_no_truncate ON service_retention_register;
                CREATE TRIGGER service_retention_register_no_truncate
                    BEFORE TRUNCATE ON service_retention_register
                    FOR EACH STATEMENT EXECUTE FUNCTION service_retention_register_immutable();
                """
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        self.check_access("create")
        if not self.env.context.get("retention_register_create"):
            raise UserError(
                _("Register rows are written only by the destruction of an approved request.")
            )
        return super().create(vals_list)

    # columns written by ``_insert_rows``, with their PostgreSQL types
    _INSERT_COLUMNS = (
        ("model", "varchar"),
        ("res_id", "int4"),
        ("display_name", "varchar"),
        ("policy_id", "int4"),
        ("request_id", "int4"),
        ("fingerprint", "varchar"),
        ("requested_by", "int4"),
        ("approved_by", "int4"),
        ("destroyed_by_id", "int4"),
        ("destroyed_at", "timestamp"),
        ("company_id", "int4"),
    )

    @api.model
    def _insert_rows(self, vals_list):
        """Write the register rows ``vals_list`` (dicts with the keys of
        ``_INSERT_COLUMNS``) with one ``INSERT ... SELECT FROM unnest`` and
        return them. Same guards and same column values as ``create``: the
        create access right, the destruction's context key, the log columns
        (``create_uid``/``write_uid`` the current user, ``create_date``/
        ``write_date`` the transaction's timestamp); the NOT NULL and unique
        constraints of the table apply. One query whatever the number of
        rows; the model's cache is invalidated after."""
        self.check_access("create")
        if not self.env.context.get("retention_register_create"):
            raise UserError(
                _("Register rows are written only by the destruction of an approved request.")
            )
        if not vals_list:
            return self.browse()
        columns = [name for name, _type in self._INSERT_COLUMNS]
        now = self.env.cr.now()
        arrays = SQL(", ").join(
            SQL(
                "%s::%s[]",
                [None if vals.get(name) is False else vals.get(name) for vals in vals_list],
                SQL(sql_type),
            )
            for name, sql_type in self._INSERT_COLUMNS
        )
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO %(table)s (%(columns)s, create_uid, create_date, write_uid, write_date)
                SELECT %(columns)s, %(uid)s, %(now)s, %(uid)s, %(now)s
                FROM unnest(%(arrays)s) AS new_row(%(columns)s)
                RETURNING id
                """,
                table=SQL.identifier(self._table),
                columns=SQL(", ").join(SQL.identifier(name) for name in columns),
                uid=self.env.uid,
                now=now,
                arrays=arrays,
            )
        )
        ids = [row[0] for row in self.env.cr.fetchall()]
        self.invalidate_model()
        return self.browse(ids)

    def write(self, vals):
        raise UserError(
            _(
                "The destruction register cannot be changed (%(names)s).",
                names=", ".join(self.mapped("display_name")),
            )
        )

    def unlink(self):
        raise UserError(
            _(
                "The destruction register cannot be deleted (%(names)s).",
                names=", ".join(self.mapped("display_name")),
            )
        )

    def action_print_register(self):
        return self.env.ref("service_quality.action_report_retention_register").report_action(self)
