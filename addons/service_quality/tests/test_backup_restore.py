import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from odoo import sql_db
from odoo.tests import BaseCase, get_db_name, tagged
from odoo.tools import SQL, config

REPO_DIR = Path(__file__).resolve().parents[3]
SCRIPT = REPO_DIR / "scripts" / "backup.sh"

# Run by ``odoo-bin shell`` in the scratch source database, as the superuser,
# committed there: a complaint, its fingerprint in the destruction register
# (written as the destruction writes it), and an attachment in the filestore.
WRITE_SOURCE = """
import json
Register = env["service.retention.register"]
complaint = env["service.complaint"].create({
    "partner_id": env["res.partner"].create({"name": "Backup round trip"}).id,
    "description": "<p>Drum bearing replaced, customer signed</p>",
})
policy = env["service.retention.policy"].create({
    "name": "Backup round trip",
    "model_id": env["ir.model"]._get("service.complaint").id,
    "date_field": "closed_at",
})
env.cr.execute(
    "INSERT INTO service_retention_request (name, policy_id, requested_by_id, requested_at,"
    " state, company_id) VALUES ('BACKUP-TEST', %s, 2, now(), 'done', %s) RETURNING id",
    [policy.id, env.company.id],
)
request_id = env.cr.fetchone()[0]
fingerprint = complaint._retention_fingerprints()[complaint.id]
rows = Register.with_context(retention_register_create=True).create([
    {"model": "service.complaint", "res_id": complaint.id, "display_name": complaint.display_name,
     "policy_id": policy.id, "request_id": request_id, "fingerprint": fingerprint,
     "requested_by": 2, "approved_by": 2, "destroyed_at": "2026-01-05 08:00:00"},
    {"model": "service.order", "res_id": 910001, "display_name": "SO/910001",
     "policy_id": policy.id, "request_id": request_id, "fingerprint": "a" * 64,
     "requested_by": 2, "approved_by": 2, "destroyed_at": "2026-01-05 08:00:00"},
])
attachment = env["ir.attachment"].create({
    "name": "signed-report.txt", "raw": b"signed service report",
    "res_model": "service.complaint", "res_id": complaint.id,
})
assert attachment.store_fname, "the attachment is stored in the filestore"
env.cr.commit()
print("RESULT " + json.dumps({
    "complaint_id": complaint.id, "attachment_id": attachment.id,
    "store_fname": attachment.store_fname,
    "register": {str(row.id): row.fingerprint for row in rows},
}))
"""

# Run in the restored database: the register as stored, the fingerprint of
# the complaint computed again from its restored data, the attachment.
READ_RESTORED = """
import json
data = json.loads(DATA)
complaint = env["service.complaint"].browse(data["complaint_id"])
rows = env["service.retention.register"].browse([int(key) for key in data["register"]])
print("RESULT " + json.dumps({
    "register": {str(row.id): row.fingerprint for row in rows},
    "recomputed": complaint._retention_fingerprints()[complaint.id],
    "raw": env["ir.attachment"].browse(data["attachment_id"]).raw.decode(),
}))
"""


@tagged("post_install", "-at_install")
class TestBackupRestore(BaseCase):
    """scripts/backup.sh round trip on scratch databases only: the test
    database is dumped (its committed state, read-only) into a scratch
    source where Odoo (``odoo-bin shell``, its own registry and cursor)
    writes register rows and a file and commits;
    the source is backed up with the script and restored into a second
    scratch database, where the register fingerprints are unchanged, the
    fingerprint of the record computed again matches, the file is back and
    the register is still append-only. Both scratch databases are dropped."""

    def setUp(self):
        super().setUp()
        self.test_db = get_db_name()
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
            timeout=180,
            check=False,
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        return result.stdout.strip()

    def _shell(self, db, code, **variables):
        """Run ``code`` in ``odoo-bin shell`` on ``db``; its ``RESULT`` line as JSON."""
        prelude = "".join(f"{name} = {json.dumps(value)!r}\n" for name, value in variables.items())
        result = subprocess.run(
            [
                sys.executable,
                str(Path(config["root_path"]).parent / "odoo-bin"),
                "shell",
                "--no-http",
                f"--addons-path={config['addons_path']}",
                f"--data-dir={config['data_dir']}",
                f"--db_host={self.environ['PGHOST']}",
                f"--db_port={self.environ['PGPORT']}",
                f"--db_user={self.environ['PGUSER']}",
                f"--db_password={self.environ['PGPASSWORD']}",
                "--log-level=warn",
                "-d",
                db,
            ],
            input=prelude + code,
            env=self.environ,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        lines = [line for line in result.stdout.splitlines() if line.startswith("RESULT ")]
        self.assertTrue(lines, result.stdout[-2000:] + result.stderr[-3000:])
        return json.loads(lines[-1][len("RESULT ") :])

    def _scratch_source(self, name):
        """A scratch database holding the committed state of the test
        database (read by ``pg_dump``, never written). Its indexes and
        foreign keys are left out: they are not what the round trip checks
        and building them takes most of a restore."""
        dump = f"{self.tmp}/test_db.pgc"
        subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", self.test_db],
            env=self.environ,
            check=True,
            capture_output=True,
            timeout=300,
        )
        listing = subprocess.run(
            ["pg_restore", "--list", dump],
            env=self.environ,
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout
        kept = Path(self.tmp) / "kept.list"
        kept.write_text(
            "\n".join(
                line
                for line in listing.splitlines()
                if " INDEX " not in line and " FK CONSTRAINT " not in line
            )
        )
        self.addCleanup(self._drop, name)
        for command in (
            ["createdb", "--template=template0", "--encoding=UTF8", name],
            ["pg_restore", "--no-owner", "--exit-on-error", f"--use-list={kept}", "-d", name, dump],
        ):
            subprocess.run(command, env=self.environ, check=True, capture_output=True, timeout=300)
        return name

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
        source = self._scratch_source(f"{self.test_db}_bk_src")
        written = self._shell(source, WRITE_SOURCE)
        self.assertTrue((Path(config.filestore(source)) / written["store_fname"]).is_file())

        archive = self._script("backup", source, f"{self.tmp}/source.tar.gz")
        restored = self._restore_new(archive, f"{self.test_db}_bk_dst")
        found = self._shell(restored, READ_RESTORED, DATA=written)
        self.assertEqual(found["register"], written["register"])
        complaint_row = next(iter(written["register"].values()))
        self.assertEqual(found["recomputed"], complaint_row)
        self.assertEqual(found["raw"], "signed service report")
        self.assertTrue((Path(config.filestore(restored)) / written["store_fname"]).is_file())
        with sql_db.db_connect(restored).cursor() as cr:
            # The register is still append-only in the restored database.
            with self.assertRaisesRegex(Exception, "append-only"):
                cr.execute("UPDATE service_retention_register SET fingerprint = 'x'")
        # Nothing of it reached the test database.
        with sql_db.db_connect(self.test_db).cursor() as cr:
            cr.execute("SELECT count(*) FROM service_retention_request WHERE name = 'BACKUP-TEST'")
            self.assertEqual(cr.fetchone()[0], 0)

    def test_restore_refuses_an_existing_database(self):
        archive = f"{self.tmp}/none.tar.gz"
        Path(archive).write_bytes(b"")
        result = subprocess.run(
            ["bash", str(SCRIPT), "restore", archive, self.test_db],
            env=self.environ,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("exists already", result.stderr)
