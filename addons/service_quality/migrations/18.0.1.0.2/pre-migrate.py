"""The destruction register takes the field names of the contract (SPEC,
technical names): ``res_model`` -> ``model``, ``res_name`` -> ``display_name``
(stored), ``requested_by_id`` -> ``requested_by``, ``approved_by_id`` ->
``approved_by``.

Run before the models load, so the rows are kept as they are: the columns,
their index and foreign keys are renamed (DDL: the append-only trigger, which
refuses UPDATE, DELETE and TRUNCATE and names no column, is not involved), and
so are the field definitions and their xml ids, so nothing pointing at the
fields by id is lost. ``display_name`` already has a definition (the computed
magic field): the ORM turns it into the stored field and drops the one of
``res_name``, whose column is gone."""

from odoo.tools import SQL
from odoo.tools.sql import column_exists

TABLE = "service_retention_register"
MODEL = "service.retention.register"
COLUMNS = {
    "res_model": "model",
    "res_name": "display_name",
    "requested_by_id": "requested_by",
    "approved_by_id": "approved_by",
}
FIELDS = ("res_model", "requested_by_id", "approved_by_id")


def _rename_constraint(cr, old, new):
    cr.execute(
        SQL(
            "SELECT 1 FROM pg_constraint WHERE conname = %s AND conrelid = %s::regclass",
            old,
            TABLE,
        )
    )
    if cr.fetchone():
        cr.execute(
            SQL(
                "ALTER TABLE %s RENAME CONSTRAINT %s TO %s",
                SQL.identifier(TABLE),
                SQL.identifier(old),
                SQL.identifier(new),
            )
        )
        cr.execute(SQL("UPDATE ir_model_constraint SET name = %s WHERE name = %s", new, old))


def migrate(cr, version):
    for old, new in COLUMNS.items():
        if not column_exists(cr, TABLE, old) or column_exists(cr, TABLE, new):
            continue
        cr.execute(
            SQL(
                "ALTER TABLE %s RENAME COLUMN %s TO %s",
                SQL.identifier(TABLE),
                SQL.identifier(old),
                SQL.identifier(new),
            )
        )
    cr.execute(
        SQL(
            "ALTER INDEX IF EXISTS %s RENAME TO %s",
            SQL.identifier(f"{TABLE}__res_model_index"),
            SQL.identifier(f"{TABLE}__model_index"),
        )
    )
    for old in ("requested_by_id", "approved_by_id"):
        new = COLUMNS[old]
        _rename_constraint(cr, f"{TABLE}_{old}_fkey", f"{TABLE}_{new}_fkey")
    for old in FIELDS:
        new = COLUMNS[old]
        cr.execute(SQL("SELECT 1 FROM ir_model_fields WHERE model = %s AND name = %s", MODEL, new))
        if cr.fetchone():
            continue
        cr.execute(
            SQL(
                "UPDATE ir_model_fields SET name = %s WHERE model = %s AND name = %s",
                new,
                MODEL,
                old,
            )
        )
        cr.execute(
            SQL(
                "UPDATE ir_model_data SET name = %s WHERE module = 'service_quality' "
                "AND model = 'ir.model.fields' AND name = %s",
                f"field_service_retention_register__{new}",
                f"field_service_retention_register__{old}",
            )
        )
