import hashlib
import json
from datetime import datetime

import psycopg2
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .retention_common import RetentionCommon

# SPEC, technical names: the register is read through these names.
CONTRACT_FIELDS = [
    "model",
    "res_id",
    "display_name",
    "policy_id",
    "fingerprint",
    "requested_by",
    "approved_by",
    "destroyed_at",
]


@tagged("post_install", "-at_install")
class TestRetentionRegisterContract(RetentionCommon):
    """The register after a real destruction, read through the contract's
    field names; ``display_name`` is the stored name of the destroyed record."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy = cls._complaint_policy()
        cls.complaints = cls._complaints(3)
        cls.names = {complaint.id: complaint.display_name for complaint in cls.complaints}
        # What an auditor holding an export of the records would have.
        cls.field_names = cls.complaints._retention_export_fields()
        cls.exported = dict(
            zip(
                cls.complaints.ids,
                cls.complaints.with_context(lang="en_US", tz="UTC").export_data(cls.field_names)[
                    "datas"
                ],
                strict=True,
            )
        )
        with freeze_time("2026-06-01"):
            cls._run_policy(cls.policy, cls.archivist)
        cls.requests = cls.policy.request_ids
        cls.requests.with_user(cls.archivist_2).action_approve()
        with freeze_time("2026-06-02 09:00:00"):
            cls.requests.with_user(cls.archivist_2).action_destroy()
            cls._destroy_approved()
        cls.rows = cls.Register.search(
            [("model", "=", "service.complaint"), ("res_id", "in", cls.complaints.ids)]
        )

    def _sha256(self, res_id):
        payload = json.dumps(
            {
                "model": "service.complaint",
                "data": dict(zip(self.field_names, self.exported[res_id], strict=True)),
            },
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
            default=str,
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def test_read_through_the_contract_names(self):
        self.assertFalse(self.complaints.exists())
        self.assertEqual(len(self.rows), 3)
        for old in ("res_model", "res_name", "requested_by_id", "approved_by_id"):
            self.assertNotIn(old, self.Register._fields)
        values = self.Register.with_user(self.archivist).search_read(
            [("id", "in", self.rows.ids)], CONTRACT_FIELDS
        )
        self.assertEqual(len(values), 3)
        for value in values:
            res_id = value["res_id"]
            self.assertEqual(
                {name: value[name] for name in CONTRACT_FIELDS},
                {
                    "model": "service.complaint",
                    "res_id": res_id,
                    "display_name": self.names[res_id],
                    "policy_id": (self.policy.id, self.policy.display_name),
                    "fingerprint": self._sha256(res_id),
                    "requested_by": (self.archivist.id, self.archivist.display_name),
                    "approved_by": (self.archivist_2.id, self.archivist_2.display_name),
                    "destroyed_at": datetime(2026, 6, 2, 9, 0, 0),
                },
            )

    def test_fingerprint_is_reproducible(self):
        for row in self.rows:
            self.assertEqual(row.fingerprint, self._sha256(row.res_id))
            self.assertEqual(len(row.fingerprint), 64)
        self.assertEqual(len(set(self.rows.mapped("fingerprint"))), 3)

    def test_display_name_is_the_stored_record_name(self):
        field = self.Register._fields["display_name"]
        self.assertTrue(field.store)
        self.assertFalse(field.compute)
        self.assertEqual(self.Register._rec_name, "display_name")
        row = self.rows[0]
        name = self.names[row.res_id]
        # read, in any language, as any reader
        for register in (row, row.sudo(), row.with_user(self.archivist)):
            self.assertEqual(register.with_context(lang="zh_CN").display_name, name)
            self.assertEqual(register.read(["display_name"])[0]["display_name"], name)
        self.assertEqual(
            row.with_user(self.archivist).web_read({"display_name": {}, "model": {}}),
            [{"id": row.id, "display_name": name, "model": "service.complaint"}],
        )
        # search, and name_search (what a Many2one to the register shows and finds)
        self.assertEqual(self.Register.search([("display_name", "=", name)]), row)
        self.assertEqual(self.Register.search([("display_name", "ilike", name[-5:])]), row)
        self.assertEqual(
            self.Register.with_user(self.archivist).name_search(name, operator="="),
            [(row.id, name)],
        )
        # group by
        groups = self.Register.with_user(self.archivist)._read_group(
            [("id", "in", self.rows.ids)], ["display_name"], ["__count"]
        )
        self.assertEqual(
            dict(groups), {self.names[res_id]: 1 for res_id in self.rows.mapped("res_id")}
        )
        # the views of the register use it
        views = self.Register.with_user(self.archivist).get_views(
            [(False, "list"), (False, "form"), (False, "search")]
        )
        for view_type in ("list", "form", "search"):
            self.assertIn('name="display_name"', views["views"][view_type]["arch"], view_type)
        self.assertTrue(views["models"]["service.retention.register"]["fields"]["display_name"])

    def test_register_pdf_shows_the_stored_names(self):
        html = (
            self.env["ir.actions.report"]
            .with_user(self.archivist)
            ._render_qweb_html("service_quality.report_retention_register", self.rows.ids)[0]
            .decode()
        )
        for row in self.rows:
            self.assertIn(self.names[row.res_id], html)
            self.assertIn(row.fingerprint, html)
            self.assertIn(self.archivist_2.name, html)


@tagged("post_install", "-at_install")
class TestRetentionRegisterInsert(RetentionCommon):
    """The destruction writes its register rows with one INSERT per batch
    (``_insert_rows``): same rows as the ORM ``create``, same guards."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy = cls._complaint_policy()
        cls.complaints = cls._complaints(2)
        with freeze_time("2026-06-01"):
            cls._run_policy(cls.policy, cls.archivist)
        cls.request = cls.policy.request_ids
        cls.request.with_user(cls.archivist_2).action_approve()

    def _values(self, res_id, **extra):
        return dict(
            {
                "model": "service.complaint",
                "res_id": res_id,
                "display_name": f"CPL/TEST/{res_id}",
                "policy_id": self.policy.id,
                "request_id": self.request.id,
                "fingerprint": "%064x" % res_id,
                "requested_by": self.archivist.id,
                "approved_by": self.archivist_2.id,
                "destroyed_by_id": self.archivist_2.id,
                "destroyed_at": datetime(2026, 6, 2, 9, 0, 0),
                "company_id": self.env.company.id,
            },
            **extra,
        )

    def _registers(self, user):
        return self.Register.with_user(user).sudo().with_context(retention_register_create=True)

    def test_rows_equal_the_orm_create(self):
        Register = self._registers(self.archivist_2)
        created = Register.create([self._values(900001), self._values(900002, company_id=False)])
        inserted = Register._insert_rows(
            [self._values(900003), self._values(900004, company_id=False)]
        )
        self.assertEqual(len(inserted), 2)
        self.env.invalidate_all()
        field_names = [name for name in self.Register._fields if name not in ("id", "res_id")]
        for orm_row, sql_row in zip(created, inserted, strict=True):
            orm_values = orm_row.read(field_names)[0]
            sql_values = sql_row.read(field_names)[0]
            for name in ("id", "display_name", "fingerprint"):
                self.assertNotEqual(orm_values.pop(name), sql_values.pop(name))
            self.assertEqual(sql_values, orm_values)
        self.assertEqual(inserted.create_uid, self.archivist_2)
        self.assertEqual(inserted.write_uid, self.archivist_2)
        self.assertEqual(inserted.mapped("create_date"), [self.env.cr.now()] * 2)
        self.assertEqual(inserted[0].fingerprint, "%064x" % 900003)
        self.assertFalse(inserted[1].company_id)

    def test_destruction_rows_are_in_the_name_of_the_job_user(self):
        self.request.with_user(self.archivist_2).action_destroy()
        with freeze_time("2026-06-02 09:00:00"):
            self._destroy_approved()
        rows = self.Register.search([("request_id", "=", self.request.id)])
        self.assertEqual(sorted(rows.mapped("res_id")), sorted(self.complaints.ids))
        for row in rows:
            self.assertEqual(row.destroyed_by_id, self.archivist_2)
            self.assertEqual(row.requested_by, self.archivist)
            self.assertEqual(row.approved_by, self.archivist_2)
            self.assertEqual(row.company_id, self.request.company_id)
            self.assertEqual(row.destroyed_at, datetime(2026, 6, 2, 9, 0, 0))
            self.assertEqual(row.create_date, row.write_date)
            self.assertTrue(row.create_uid)
            self.assertEqual(len(row.fingerprint), 64)

    def test_guards_refuse_and_write_nothing(self):
        count = self.Register.sudo().search_count([])
        with self.assertRaises(AccessError):
            self.Register.with_user(self.archivist).with_context(
                retention_register_create=True
            )._insert_rows([self._values(900011)])
        with self.assertRaisesRegex(UserError, "only by the destruction"):
            self.Register.sudo()._insert_rows([self._values(900012)])
        # the table's constraints: a record is registered once, required columns
        Register = self._registers(self.archivist_2)
        Register._insert_rows([self._values(900013)])
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.errors.UniqueViolation):
            with self.env.cr.savepoint():
                Register._insert_rows([self._values(900014), self._values(900013)])
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.errors.NotNullViolation):
            with self.env.cr.savepoint():
                Register._insert_rows([self._values(900015, fingerprint=False)])
        self.assertEqual(self.Register.sudo().search_count([]), count + 1)

    def test_inserted_rows_cannot_be_changed(self):
        row = self._registers(self.archivist_2)._insert_rows([self._values(900021)])
        for register in (row, row.sudo(), row.with_user(self.archivist)):
            with self.assertRaisesRegex(UserError, "cannot be changed"):
                register.write({"display_name": "forged"})
            with self.assertRaisesRegex(UserError, "cannot be deleted"):
                register.unlink()
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.errors.RaiseException):
            with self.env.cr.savepoint():
                self.env.cr.execute(
                    "DELETE FROM service_retention_register WHERE id = %s", [row.id]
                )
        self.assertEqual(row.display_name, "CPL/TEST/900021")

    def test_one_query_whatever_the_number_of_rows(self):
        Register = self._registers(self.archivist_2)
        _rows, one = self._count_queries(Register._insert_rows, [self._values(900031)])
        rows, many = self._count_queries(
            Register._insert_rows, [self._values(900100 + index) for index in range(50)]
        )
        self.assertEqual(len(rows), 50)
        self.assertEqual(one, many)
