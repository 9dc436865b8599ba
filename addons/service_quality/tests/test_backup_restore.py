import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from odoo import sql_db
from odoo.tests import BaseCase, get_db_name, tagged
from odoo.tools import SQL, config

from ..models.service_retention_mixin import retention_fingerprint

REPO_DIR = Path(__file__).resolve().parents[3]
SCRIPT = REPO_DIR / "scripts" / "backup.sh"


@tagged("post_install", "-at_install")
class TestBackupRestore(BaseCase):
    """scripts/backup.sh round trip: a restored database holds the destruction
    register with the same fingerprints, its append-only trigger, and the
    filestore. Works on scratch copies of the test database, dropped after."""

    def setUp(self):
        super().setUp()
        self.source = get_db_name()
        self.tmp = tempfile.mkdtemp(prefix="backup_test_")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.environ = dict(
            os.environ,
            PGHOST=config["db_host"] or "localhost",
            PGPORT=str(config["db_port"] or 5432),
            PGUSER=config["db_user"] or "odoo",
            PGPASSWORD=config["db_password"] or "",
            DATA_DIR=config["data_dir"],
        )

    def _script(self, *args):
        result = subprocess.run(
            ["bash", str(SCRIPT), *args],
            env=self.environ,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        return result.stdout.strip()

    def _restore_new(self, archive, name):
        self.addCleanup(self._drop, name)
        self._script("restore", archive, name)
        return name

    def _drop(self, name):
        sql_db.close_db(name)
        with sql_db.db_connect("postgres").cursor() as cr:
            cr._cnx.autocommit = True
            cr.execute(SQL("DROP DATABASE IF EXISTS %s", SQL.identifier(name)))
        shutil.rmtree(Path(config.filestore(name)), ignore_errors=True)

    def test_restore_keeps_register_fingerprints_and_files(self):
        copy_a = self._restore_new(
            self._script("backup", self.source, f"{self.tmp}/source.tar.gz"),
            f"{self.source}_bk_a",
        )
        # Destroyed records of the scratch copy: register rows and one attachment file.
        fingerprints = {
            res_id: retention_fingerprint("service.order", ["name"], [f"SO/{res_id}"])
            for res_id in (910001, 910002)
        }
        with sql_db.db_connect(copy_a).cursor() as cr:
            cr.execute(
                """INSERT INTO service_retention_policy
                       (name, model_id, date_field, years, domain, action, batch_size, active)
                   SELECT '{"en_US": "Backup test"}', id, 'closed_at', 3, '[]', 'destroy', 100, true
                     FROM ir_model WHERE model = 'service.order' RETURNING id"""
            )
            policy_id = cr.fetchone()[0]
            cr.execute(
                """INSERT INTO service_retention_request
                       (name, policy_id, requested_by_id, requested_at, state)
                   VALUES ('BACKUP-TEST', %s, 2, now(), 'done') RETURNING id""",
                [policy_id],
            )
            request_id = cr.fetchone()[0]
            for res_id, fingerprint in fingerprints.items():
                cr.execute(
                    """INSERT INTO service_retention_register
                           (model, res_id, display_name, policy_id, request_id, fingerprint,
                            requested_by, approved_by, destroyed_at)
                       VALUES ('service.order', %s, %s, %s, %s, %s, 2, 2, now())""",
                    [res_id, f"SO/{res_id}", policy_id, request_id, fingerprint],
                )
        stored = Path(config.filestore(copy_a)) / "ab" / "backup-test-file"
        stored.parent.mkdir(parents=True, exist_ok=True)
        stored.write_bytes(b"signed service report")

        copy_b = self._restore_new(
            self._script("backup", copy_a, f"{self.tmp}/copy_a.tar.gz"), f"{self.source}_bk_b"
        )
        with sql_db.db_connect(copy_b).cursor() as cr:
            cr.execute(
                "SELECT res_id, fingerprint FROM service_retention_register WHERE res_id IN %s",
                [tuple(fingerprints)],
            )
            self.assertEqual(dict(cr.fetchall()), fingerprints)
            # The register is still append-only in the restored database.
            with self.assertRaisesRegex(Exception, "append-only"):
                cr.execute("UPDATE service_retention_register SET fingerprint = 'x'")
        restored = Path(config.filestore(copy_b)) / "ab" / "backup-test-file"
        self.assertEqual(restored.read_bytes(), b"signed service report")

    def test_restore_refuses_an_existing_database(self):
        archive = f"{self.tmp}/none.tar.gz"
        Path(archive).write_bytes(b"")
        result = subprocess.run(
            ["bash", str(SCRIPT), "restore", archive, self.source],
            env=self.environ,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("exists already", result.stderr)
