"""Benchmark of the records retention job (service_quality).

    python bench/bench_retention.py --db <db> [--size 1000000] [--destroy-size N]

Seeds ``--size`` closed complaints with one SQL bulk insert, then measures,
in one transaction that is rolled back at the end (nothing stays behind, the
append-only register included):

* propose: the destroy policy proposing every record in request batches;
* archive: an archive policy archiving the same records in batches;
* destroy: approval and destruction of ``--destroy-size`` records (default:
  all of them) with their register rows (SHA-256 of the exported data).

Every 10,000 records it prints the time for those records, the queries per
batch and the current and peak RSS, then a summary table. Memory stays flat
because each batch flushes and empties the ORM cache.
"""

import argparse
import os
import resource
import sys
import time
from contextlib import contextmanager

ODOO_PATH = os.environ.get("ODOO_PATH", "/opt/odoo")
REPO_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ODOO_PATH)

import odoo  # noqa: E402
from odoo import SUPERUSER_ID, api  # noqa: E402
from odoo.tools import SQL  # noqa: E402

REPORT_EVERY = 10_000


def rss_mb():
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Meter:
    """Wraps a per-batch method to report every REPORT_EVERY records."""

    def __init__(self, cr, label):
        self.cr = cr
        self.label = label
        self.records = 0
        self.batches = 0
        self.queries = 0
        self.batch_queries = []
        self.start = self.last_time = time.perf_counter()
        self.last_records = 0

    def wrap(self, method, count_arg):
        meter = self

        def wrapper(*args, **kwargs):
            q0 = meter.cr.sql_log_count
            result = method(*args, **kwargs)
            queries = meter.cr.sql_log_count - q0
            meter.batches += 1
            meter.queries += queries
            meter.batch_queries.append(queries)
            meter.records += count_arg(args, result)
            if meter.records - meter.last_records >= REPORT_EVERY:
                now = time.perf_counter()
                print(
                    f"  {meter.label:8} {meter.records:>9,} records  "
                    f"{now - meter.last_time:6.2f} s / {meter.records - meter.last_records:,}  "
                    f"{queries:3d} queries/batch  RSS {rss_mb():7.1f} MB  peak {peak_rss_mb():7.1f} MB",
                    flush=True,
                )
                meter.last_time = now
                meter.last_records = meter.records
            return result

        return wrapper

    def row(self):
        total = time.perf_counter() - self.start
        per_k = total / self.records * 1000 if self.records else 0.0
        spread = (
            f"{min(self.batch_queries)}-{max(self.batch_queries)}" if self.batch_queries else "-"
        )
        return (self.label, self.records, total, per_k, self.queries, spread, peak_rss_mb())


@contextmanager
def patched(cls, name, wrapper_factory):
    original = getattr(cls, name)
    setattr(cls, name, wrapper_factory(original))
    try:
        yield
    finally:
        setattr(cls, name, original)


def seed(env, size):
    partner = env["res.partner"].create({"name": "Retention benchmark customer"})
    company = env.company
    env.flush_all()
    t0 = time.perf_counter()
    env.cr.execute(
        SQL(
            """
            INSERT INTO service_complaint
                (name, partner_id, channel, severity, received_at, state, closed_at,
                 company_id, active, create_uid, write_uid, create_date, write_date)
            SELECT 'BENCH-' || g, %(partner)s, 'phone', 'general',
                   TIMESTAMP '2020-01-01' + g * INTERVAL '1 second', 'closed',
                   TIMESTAMP '2020-02-01' + g * INTERVAL '1 second',
                   %(company)s, TRUE, 1, 1, now(), now()
              FROM generate_series(1, %(size)s) g
            """,
            partner=partner.id,
            company=company.id,
            size=size,
        )
    )
    env.cr.execute("ANALYZE service_complaint")
    return partner, time.perf_counter() - t0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument(
        "--destroy-size", type=int, default=None, help="records destroyed (default: all of --size)"
    )
    parser.add_argument("--batch", type=int, default=1000, help="policy batch size")
    parser.add_argument("--skip-archive", action="store_true")
    args = parser.parse_args()

    odoo.tools.config.parse_config(
        [
            "-c",
            os.path.join(REPO_DIR, "odoo.conf"),
            f"--addons-path={ODOO_PATH}/odoo/addons,{ODOO_PATH}/addons,{REPO_DIR}/addons",
            "-d",
            args.db,
            "--log-level=warn",
        ]
    )
    registry = odoo.modules.registry.Registry(args.db)
    rows = []
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        try:
            Policy = type(env["service.retention.policy"])
            Line = type(env["service.retention.request.line"])
            env["service.retention.policy"].search([]).write({"active": False})
            _partner, seed_s = seed(env, args.size)
            rows.append(
                ("seed (SQL)", args.size, seed_s, seed_s / args.size * 1000, 1, "1", peak_rss_mb())
            )
            model = env["ir.model"]._get("service.complaint")
            common = {
                "model_id": model.id,
                "date_field": "closed_at",
                "years": 3,
                "domain": "[('name', '=like', 'BENCH-%')]",
                "batch_size": args.batch,
            }
            print(f"Seeded {args.size:,} closed complaints in {seed_s:.1f} s", flush=True)

            # 1. Proposals for destruction
            propose = env["service.retention.policy"].create(
                dict(common, name="Bench destroy", action="destroy")
            )
            meter = Meter(cr, "propose")
            with patched(
                Policy, "_propose_batch", lambda orig: meter.wrap(orig, lambda a, r: len(a[1]))
            ):
                propose._run(commit=False)
            rows.append(meter.row())
            requests = propose.request_ids
            print(f"  {len(requests):,} requests proposed", flush=True)

            # 2. Archiving
            if not args.skip_archive:
                archive = env["service.retention.policy"].create(
                    dict(common, name="Bench archive", action="archive")
                )
                meter = Meter(cr, "archive")
                with patched(
                    Policy, "_archive_batch", lambda orig: meter.wrap(orig, lambda a, r: len(a[1]))
                ):
                    archive._run(commit=False)
                rows.append(meter.row())
                archive.active = False

            # 3. Approved destruction of the first requests
            size = min(args.destroy_size or args.size, args.size)
            cr.execute(
                SQL(
                    "SELECT id FROM service_retention_request WHERE policy_id = %s ORDER BY id LIMIT %s",
                    propose.id,
                    -(-size // args.batch),
                )
            )
            to_destroy = env["service.retention.request"].browse([r[0] for r in cr.fetchall()])
            approver = env.ref("base.user_admin")
            to_destroy._workflow_write({"state": "approved", "approved_by_id": approver.id})
            meter = Meter(cr, "destroy")
            with patched(Line, "_destroy_batch", lambda orig: meter.wrap(orig, lambda a, r: r[0])):
                to_destroy._destroy(commit=False, batch_size=args.batch)
            rows.append(meter.row())
            registered = env["service.retention.register"].search_count(
                [("request_id", "in", to_destroy.ids)]
            )
            assert registered == meter.records, (registered, meter.records)
        finally:
            cr.rollback()

    print()
    header = (
        "operation",
        "records",
        "total s",
        "s per 1,000",
        "queries",
        "queries/batch",
        "peak RSS MB",
    )
    print(
        f"{header[0]:12} {header[1]:>10} {header[2]:>9} {header[3]:>12} {header[4]:>9} {header[5]:>14} {header[6]:>12}"
    )
    for label, records, total, per_k, queries, spread, peak in rows:
        print(
            f"{label:12} {records:>10,} {total:>9.2f} {per_k:>12.4f} {queries:>9,} {spread:>14} {peak:>12.1f}"
        )
    print("\nEverything was rolled back: the database is unchanged.")


if __name__ == "__main__":
    main()
