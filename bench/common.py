"""Shared infrastructure of the benchmarks (``bench/bench_<area>.py``).

Every benchmark is a script runnable as::

    python bench/bench_<area>.py --db <db> [--size N]

against a database that has the three addons installed. It opens the
registry itself (:func:`open_registry`), seeds its rows (SQL bulk inserts are
fine), measures each operation with :class:`Bench` and prints the table with
:meth:`Bench.print_table`. It must leave the database as it found it: work
in a transaction that is rolled back (:func:`environment` does that unless
``commit=True``) or delete what it seeded.

Typical use::

    from common import Bench, environment, parse_args

    args = parse_args("Service orders", default_size=1_000_000)
    bench = Bench(args.title)
    with environment(args.db) as env:
        seed(env, args.size)
        with bench.measure(env, "SLA sweep", records=args.size):
            env["service.order"]._cron_sla_sweep()
    bench.print_table()

``bench/run_all.py`` runs every ``bench/bench_*.py`` with a size preset and
concatenates their tables.
"""

import argparse
import contextlib
import os
import resource
import sys
import time
from dataclasses import dataclass, field

REPO_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ODOO_PATH = os.environ.get("ODOO_PATH", "/opt/odoo")
if ODOO_PATH not in sys.path:
    sys.path.insert(0, ODOO_PATH)

# Keys of the machine-readable line each benchmark prints after its table,
# parsed by run_all.py: ``BENCH-ROW\t<area>\t<operation>\t<records>\t...``.
ROW_MARK = "BENCH-ROW"
COLUMNS = ("operation", "records", "total s", "s per 1,000", "queries", "peak RSS MB")


def parse_args(title, default_size, argv=None, configure=None):
    """Command-line options shared by every benchmark: ``--db`` (required)
    and ``--size`` (number of main records to seed); ``configure(parser)``
    adds the benchmark's own."""
    parser = argparse.ArgumentParser(description=f"Benchmark: {title}")
    if configure:
        configure(parser)
    parser.add_argument("--db", required=True, help="database with the three addons installed")
    parser.add_argument(
        "--size",
        type=int,
        default=default_size,
        help=f"number of main records to seed (default {default_size:,})",
    )
    parser.add_argument(
        "--addons-path",
        default=os.environ.get("ADDONS_PATH")
        or ",".join(
            [
                os.path.join(ODOO_PATH, "odoo", "addons"),
                os.path.join(ODOO_PATH, "addons"),
                os.path.join(REPO_DIR, "addons"),
            ]
        ),
    )
    args = parser.parse_args(argv)
    args.title = title
    return args


def _configure(db, addons_path=None):
    import odoo
    from odoo.tools import config

    if not getattr(_configure, "done", False):
        options = [
            "-c",
            os.path.join(REPO_DIR, "odoo.conf"),
            "--log-level=warn",
            f"--db_host={os.environ.get('PGHOST', 'localhost')}",
            f"--db_port={os.environ.get('PGPORT', '5432')}",
            f"--db_user={os.environ.get('PGUSER', 'odoo')}",
            f"--db_password={os.environ.get('PGPASSWORD', 'odoo')}",
        ]
        if addons_path:
            options.append(f"--addons-path={addons_path}")
        config.parse_config(options)
        odoo.netsvc.init_logger()
        _configure.done = True
    return odoo


def open_registry(db, addons_path=None):
    """Load (once) and return the registry of ``db``."""
    _configure(db, addons_path)
    from odoo.modules.registry import Registry

    return Registry(db)


@contextlib.contextmanager
def environment(db, addons_path=None, commit=False, user_id=None, context=None):
    """Yield a superuser environment (or ``user_id``'s) on a new cursor of
    ``db``. The transaction is rolled back at the end unless ``commit`` is
    true, so seeded rows disappear by themselves."""
    registry = open_registry(db, addons_path)
    from odoo import SUPERUSER_ID, api

    with registry.cursor() as cr:
        env = api.Environment(cr, user_id or SUPERUSER_ID, dict(context or {}))
        try:
            yield env
            if commit:
                cr.commit()
            else:
                cr.rollback()
        except BaseException:
            cr.rollback()
            raise


def bulk_insert(cr, table, columns, rows, page_size=10_000):
    """Insert ``rows`` (tuples in ``columns`` order) into ``table`` with
    multi-row INSERTs of ``page_size`` rows, bypassing the ORM (seeding only:
    no computed field, constraint or tracking runs). Returns the new ids in
    order. Table and column names are quoted identifiers, values are bound
    parameters."""
    from psycopg2.extras import execute_values

    from odoo.tools import SQL

    query = SQL(
        "INSERT INTO %s (%s) VALUES %%s RETURNING id",
        SQL.identifier(table),
        SQL(", ").join(SQL.identifier(c) for c in columns),
    )
    ids = []
    rows = list(rows)
    for i in range(0, len(rows), page_size):
        result = execute_values(
            cr._obj, query.code, rows[i : i + page_size], page_size=page_size, fetch=True
        )
        ids.extend(r[0] for r in result)
        cr.sql_log_count += 1
    return ids


def peak_rss_mb():
    """Peak resident set size of this process so far, in MB (Linux: KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


@dataclass
class Row:
    operation: str
    records: int
    seconds: float
    queries: int
    peak_rss_mb: float
    note: str = ""

    @property
    def per_thousand(self):
        return self.seconds * 1000.0 / self.records if self.records else 0.0


@dataclass
class Bench:
    """Collects measured operations and prints them as a table."""

    title: str
    rows: list = field(default_factory=list)

    @contextlib.contextmanager
    def measure(self, env, operation, records, note="", flush=True):
        """Time the block, count the SQL queries it ran on ``env.cr`` and
        record the peak RSS afterwards. Pending ORM writes are flushed inside
        the measure so their queries are counted."""
        cr = env.cr
        count0 = cr.sql_log_count
        start = time.perf_counter()
        yield
        if flush:
            env.flush_all()
        seconds = time.perf_counter() - start
        self.rows.append(
            Row(operation, records, seconds, cr.sql_log_count - count0, peak_rss_mb(), note)
        )

    def add(self, operation, records, seconds, queries=0, note=""):
        """Record a figure measured by other means (e.g. raw SQL timing)."""
        self.rows.append(Row(operation, records, seconds, queries, peak_rss_mb(), note))

    def print_table(self, file=None):
        print_table(self.title, self.rows, file=file)


def format_table(title, rows):
    cells = [
        (
            r.operation + (f" ({r.note})" if r.note else ""),
            f"{r.records:,}",
            f"{r.seconds:.3f}",
            f"{r.per_thousand:.4f}",
            f"{r.queries:,}",
            f"{r.peak_rss_mb:.0f}",
        )
        for r in rows
    ]
    widths = [max([len(h)] + [len(c[i]) for c in cells]) for i, h in enumerate(COLUMNS)]
    lines = [f"## {title}", ""]
    lines.append(
        "| " + " | ".join(h.ljust(w) for h, w in zip(COLUMNS, widths, strict=False)) + " |"
    )
    lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for c in cells:
        lines.append(
            "| "
            + " | ".join(
                v.ljust(w) if i == 0 else v.rjust(w)
                for i, (v, w) in enumerate(zip(c, widths, strict=False))
            )
            + " |"
        )
    return "\n".join(lines)


def print_table(title, rows, file=None):
    """Print ``rows`` as a Markdown table (ready for docs/benchmarks.md),
    followed by one tab-separated machine-readable line per row."""
    file = file or sys.stdout
    print(format_table(title, rows), file=file)
    for r in rows:
        print(
            "\t".join(
                [
                    ROW_MARK,
                    title,
                    r.operation + (f" ({r.note})" if r.note else ""),
                    str(r.records),
                    f"{r.seconds:.6f}",
                    str(r.queries),
                    f"{r.peak_rss_mb:.1f}",
                ]
            ),
            file=file,
        )
    file.flush()


def parse_rows(text):
    """Rows printed by :func:`print_table` in ``text``, as ``(title, Row)``."""
    result = []
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) == 7 and parts[0] == ROW_MARK:
            _mark, title, operation, records, seconds, queries, rss = parts
            result.append(
                (title, Row(operation, int(records), float(seconds), int(queries), float(rss)))
            )
    return result


def run_job(job, *args, **kwargs):
    """Call a scheduled job as Odoo's cron runner does (``ir.cron._run_job``):
    again while it reports work done and work remaining with
    ``ir.cron._notify_progress``. Returns the total done; ``run_job.calls``
    holds the queries of each call (one locked batch each)."""
    env = job.__self__.env
    cron_class = type(env["ir.cron"])
    original = cron_class._notify_progress
    progress = {}

    def _notify_progress(self, *, done, remaining, deactivate=False):
        progress.update(done=done, remaining=remaining)

    cron_class._notify_progress = _notify_progress
    run_job.calls = []
    total = 0
    # BENCH_PROGRESS=1 prints each call's figures to stderr (for long runs)
    verbose = bool(os.environ.get("BENCH_PROGRESS"))
    began = time.perf_counter()
    try:
        while True:
            progress.clear()
            start = env.cr.sql_log_count
            job(*args, **kwargs)
            run_job.calls.append(env.cr.sql_log_count - start)
            total += progress.get("done", 0)
            if verbose:
                print(
                    f"{time.perf_counter() - began:9.1f} s  done {total:,}  "
                    f"remaining {progress.get('remaining', 0):,}  load {os.getloadavg()[0]:.1f}",
                    file=sys.stderr,
                    flush=True,
                )
            if not progress.get("done") or not progress.get("remaining"):
                return total
    finally:
        cron_class._notify_progress = original


@contextlib.contextmanager
def one_transaction(env):
    """Run scheduled jobs inside the benchmark's transaction (the jobs never
    commit: the cron runner does between calls), and make any commit on
    ``env.cr`` fail loudly instead of writing the seeded rows into the
    database."""
    import threading

    thread = threading.current_thread()
    testing = getattr(thread, "testing", False)
    thread.testing = True
    cr = env.cr

    def _refuse_commit(*args, **kwargs):
        raise RuntimeError("the benchmark must not commit: its transaction is rolled back")

    original = cr.commit
    cr.commit = _refuse_commit
    try:
        yield
    finally:
        cr.commit = original
        thread.testing = testing


def make_users(env, prefix, count, group_xmlids):
    """``count`` internal users in ``group_xmlids`` (ORM create, one call)."""
    groups = [env.ref(x).id for x in group_xmlids]
    tag = os.getpid()
    return (
        env["res.users"]
        .with_context(no_reset_password=True, tracking_disable=True, mail_create_nolog=True)
        .create(
            [
                {
                    "name": f"{prefix} {i}",
                    "login": f"bench_{prefix.lower().replace(' ', '_')}_{tag}_{i}",
                    "email": f"bench_{prefix.lower().replace(' ', '_')}_{tag}_{i}@example.com",
                    "groups_id": [(6, 0, groups)],
                }
                for i in range(count)
            ]
        )
    )


def job_note(queries, processed, batch_size, batches=None):
    """Note of a batched job row: batches, queries per batch and per record
    (a per-record query shows as a per-record figure near or above 1)."""
    if not processed:
        return "nothing to do"
    batches = batches or -(-processed // batch_size)
    return (
        f"{processed:,} processed in {batches:,} batches of {batch_size:,}: "
        f"{queries / batches:.1f} queries per batch, {queries / processed:.3f} per record"
    )
