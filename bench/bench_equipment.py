"""Benchmark of equipment_care's daily due-date job (and the check-out hot path).

    python bench/bench_equipment.py --db <db> [--size 50000] [--batch 1000]

Seeds ``--size`` tools with an overdue calibration by SQL bulk insert, runs
``maintenance.equipment._cron_refresh_due_status`` over them in batches and
prints a table: operation, records, total s, s per 1,000, queries, peak RSS MB.
Everything runs in one transaction that is rolled back at the end (the job's
per-batch commits are disabled the same way as under tests), so the database
is left as it was. Needs a database with the three addons installed.
"""

import argparse
import os
import resource
import sys
import time
from datetime import date, timedelta

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ODOO_PATH = os.environ.get("ODOO_PATH", "/opt/odoo")
sys.path.insert(0, ODOO_PATH)

from common import run_job  # noqa: E402

import odoo  # noqa: E402
from odoo import SUPERUSER_ID, api  # noqa: E402
from odoo.tools import SQL, config  # noqa: E402


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


class Measure:
    def __init__(self, cr, rows, name, count):
        self.cr, self.rows, self.name, self.count = cr, rows, name, count

    def __enter__(self):
        self.queries = self.cr.sql_log_count
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        if exc[0]:
            return False
        elapsed = time.perf_counter() - self.start
        per_k = elapsed / self.count * 1000 if self.count else 0.0
        self.rows.append(
            (
                self.name,
                self.count,
                elapsed,
                per_k,
                self.cr.sql_log_count - self.queries,
                peak_rss_mb(),
            )
        )
        return False


def seed_tools(env, size, overdue_on):
    category = env["maintenance.equipment.category"].create(
        {"name": "Bench tools", "tool_code_prefix": "BENCH-"}
    )
    env.flush_all()
    # hr_maintenance (auto-installed with hr) adds a required column
    env.cr.execute(
        "SELECT 1 FROM information_schema.columns WHERE table_name = 'maintenance_equipment' "
        "AND column_name = 'equipment_assign_to'"
    )
    extra_col, extra_val = (
        (SQL(", equipment_assign_to"), SQL(", 'other'")) if env.cr.rowcount else (SQL(), SQL())
    )
    env.cr.execute(
        SQL(
            """INSERT INTO maintenance_equipment
                   (name, category_id, company_id, active, care_status, tool_code,
                    effective_date, next_calibration_date, calibration_interval_days,
                    inspection_interval_days, create_uid, write_uid, create_date, write_date %s)
               SELECT jsonb_build_object('en_US', 'Bench tool ' || n), %s, %s, TRUE, 'available',
                      'BENCH-' || lpad(n::text, 7, '0'), %s, %s, 365, 30, 1, 1,
                      now() at time zone 'UTC', now() at time zone 'UTC' %s
                 FROM generate_series(1, %s) AS n""",
            extra_col,
            category.id,
            env.company.id,
            overdue_on,
            overdue_on,
            extra_val,
            size,
        )
    )
    return category


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--size", type=int, default=50000, help="number of tools to seed")
    parser.add_argument("--batch", type=int, default=1000, help="rows per batch of the job")
    parser.add_argument("--config", default=os.path.join(REPO, "odoo.conf"))
    args = parser.parse_args()

    addons_path = ",".join(
        [
            os.path.join(ODOO_PATH, "odoo", "addons"),
            os.path.join(ODOO_PATH, "addons"),
            os.path.join(REPO, "addons"),
        ]
    )
    options = ["-c", args.config, f"--addons-path={addons_path}", "-d", args.db, "--log-level=warn"]
    for env_name, opt in (
        ("PGHOST", "--db_host"),
        ("PGPORT", "--db_port"),
        ("PGUSER", "--db_user"),
        ("PGPASSWORD", "--db_password"),
    ):
        if os.environ.get(env_name):
            options.append(f"{opt}={os.environ[env_name]}")
    config.parse_config(options)
    registry = odoo.modules.registry.Registry(args.db)
    rows = []
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        Tool = env["maintenance.equipment"]
        today = date.today()
        try:
            with Measure(cr, rows, "seed tools (SQL bulk insert)", args.size):
                seed_tools(env, args.size, today - timedelta(days=1))
            with Measure(cr, rows, "daily due-date job (status in each tool's history)", args.size):
                flipped = run_job(Tool._cron_refresh_due_status, batch_size=args.batch)
            assert flipped == args.size, f"job flipped {flipped} of {args.size} tools"
            m_rows = rows[-1]
            with Measure(cr, rows, "daily due-date job, second run (idempotent)", args.size):
                again = run_job(Tool._cron_refresh_due_status, batch_size=args.batch)
            assert again == 0, f"second run flipped {again} tools"
            env.invalidate_all()
            sample = Tool.search([("tool_code", "like", "BENCH-%")], limit=args.batch)
            env.cr.execute(
                "UPDATE maintenance_equipment SET care_status = 'available', "
                "next_calibration_date = NULL WHERE id = ANY(%s)",
                [sample.ids],
            )
            env.invalidate_all()
            with Measure(cr, rows, "check-out availability check", len(sample)):
                sample._check_can_check_out()
        finally:
            cr.rollback()

    header = ("operation", "records", "total s", "s per 1,000", "queries", "peak RSS MB")
    widths = (46, 8, 9, 12, 8, 12)
    print(
        " ".join(
            f"{h:<{w}}" if i == 0 else f"{h:>{w}}"
            for i, (h, w) in enumerate(zip(header, widths, strict=True))
        )
    )
    for name, count, total, per_k, queries, rss in rows:
        print(f"{name:<46} {count:>8} {total:>9.3f} {per_k:>12.4f} {queries:>8} {rss:>12.1f}")
    batches = -(-args.size // args.batch)
    print(
        f"\nDue-date job: {m_rows[4]} queries for {args.size} tools in {batches} batches of "
        f"{args.batch} ({m_rows[4] / batches:.1f} queries per batch, whatever the batch holds)."
    )


if __name__ == "__main__":
    main()
