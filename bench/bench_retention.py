"""Benchmark of the records retention jobs (service_quality).

    python bench/bench_retention.py --db <db> [--size 100000] [--batch 1000] [--rounds 3]

Copies ``--db`` to a template database and seeds there ``--size`` closed
complaints with one SQL bulk insert. Each round copies the template twice:
the jobs run on one copy, a hand-written SQL reference doing the same work on
the other, phase after phase, and the ratio of each phase is printed:

* propose: the destroy policy proposing every record (one request per batch)
  against INSERT ... SELECT of the requests and their lines;
* archive: an archive policy archiving the same records against one UPDATE;
* destroy: destruction of the approved requests with one register row per
  record (SHA-256 of its exported data) against, per batch, SELECT of the
  exported columns, SHA-256 in Python, INSERT of the register rows and
  DELETE of the records.

Both sides commit as they go: each job is called the way the cron runner
calls it (one locked batch per call, committed, again while work is left),
the destruction reference commits each batch. Before each phase both copies
are vacuumed (as autovacuum would between two runs). Job and reference swap
order every round; with ``--rounds`` above 1 the median ratio is printed.
``--statements`` prints where each job's time goes (its SQL statements
summed by statement, its commits, the rest), ``--without-automations``
measures without the automated actions on complaints.
All the copies are dropped at the end: ``--db`` is never written to, but
nothing else may be connected to it while it is copied.
"""

import contextlib
import cProfile
import hashlib
import json
import pstats
import statistics
import time
from collections import defaultdict
from contextlib import closing

from common import Bench, _configure, environment, parse_args

from odoo.tools import SQL


def due(cutoff, alias="service_complaint"):
    """The complaints the benchmark's policies act on, due at ``cutoff``."""
    return SQL(
        "%(name)s LIKE %(pattern)s AND %(state)s = 'closed' AND %(closed)s <= %(cutoff)s",
        pattern="BENCH-%",
        name=SQL.identifier(alias, "name"),
        state=SQL.identifier(alias, "state"),
        closed=SQL.identifier(alias, "closed_at"),
        cutoff=cutoff,
    )


def seed(env, size):
    partner = env["res.partner"].create({"name": "Retention benchmark customer"})
    env.flush_all()
    env.cr.execute(
        SQL(
            """
            INSERT INTO service_complaint
                (name, partner_id, channel, severity, received_at, state, closed_at,
                 description, company_id, active, create_uid, write_uid, create_date, write_date)
            SELECT 'BENCH-' || g, %(partner)s, 'phone', 'general',
                   TIMESTAMP '2020-01-01' + g * INTERVAL '1 second', 'closed',
                   TIMESTAMP '2020-02-01' + g * INTERVAL '1 second',
                   '<p>Drum noise, case ' || g || '</p>',
                   %(company)s, TRUE, 1, 1, now(), now()
              FROM generate_series(1, %(size)s) g
            """,
            partner=partner.id,
            company=env.company.id,
            size=size,
        )
    )
    env.cr.execute("ANALYZE service_complaint")


def timed(env, func):
    env.flush_all()
    count0 = env.cr.sql_log_count
    start = time.perf_counter()
    result = func()
    env.flush_all()
    return result, time.perf_counter() - start, env.cr.sql_log_count - count0


def reference_propose(env, policy, cutoff, batch):
    cr = env.cr
    cr.execute(SQL("SELECT count(*) FROM service_complaint WHERE %s", due(cutoff)))
    count = cr.fetchone()[0]
    cr.execute(
        SQL(
            """
            INSERT INTO service_retention_request
                (name, policy_id, model_name, state, requested_by_id, requested_at, company_id,
                 create_uid, write_uid, create_date, write_date)
            SELECT 'REF-' || g, %(policy)s, 'service.complaint', 'proposed', 1, now(), %(company)s,
                   1, 1, now(), now()
              FROM generate_series(1, %(requests)s) g
            RETURNING id
            """,
            policy=policy.id,
            company=env.company.id,
            requests=-(-count // batch),
        )
    )
    request_ids = sorted(row[0] for row in cr.fetchall())
    cr.execute(
        SQL(
            """
            INSERT INTO service_retention_request_line
                (request_id, policy_id, res_model, res_id, res_name, state,
                 create_uid, write_uid, create_date, write_date)
            SELECT (%(requests)s::int[])[(row_number() OVER (ORDER BY c.id) - 1) / %(batch)s + 1],
                   %(policy)s, 'service.complaint', c.id, c.name, 'pending', 1, 1, now(), now()
              FROM service_complaint c
             WHERE %(due)s
               AND NOT EXISTS (SELECT 1 FROM service_retention_request_line l
                                WHERE l.res_model = 'service.complaint' AND l.res_id = c.id
                                  AND l.state != 'held')
            """,
            due=due(cutoff, "c"),
            requests=request_ids,
            batch=batch,
            policy=policy.id,
        )
    )
    return cr.rowcount


def reference_archive(env, cutoff):
    env.cr.execute(
        SQL(
            "UPDATE service_complaint SET active = FALSE, write_uid = 1, write_date = now() "
            "WHERE %s AND active",
            due(cutoff),
        )
    )
    return env.cr.rowcount


def reference_destroy(env, requests, batch, commit):
    """Per batch of lines: SELECT the exported columns, SHA-256 in Python,
    INSERT the register rows, DELETE the records, mark the lines, commit."""
    cr = env.cr
    Complaint = env["service.complaint"]
    columns = [name for name in Complaint._retention_export_fields() if name != ".id"]
    done, after = 0, 0
    request_ids = requests.ids
    while True:
        cr.execute(
            SQL(
                "SELECT l.id, l.res_id, l.request_id FROM service_retention_request_line l "
                "WHERE l.request_id = ANY(%s) AND l.state = 'pending' AND l.id > %s "
                "ORDER BY l.id LIMIT %s FOR UPDATE",
                request_ids,
                after,
                batch,
            )
        )
        lines = cr.fetchall()
        if not lines:
            return done
        after = lines[-1][0]
        res_ids = [line[1] for line in lines]
        cr.execute(
            SQL(
                "SELECT id, %s FROM service_complaint WHERE id = ANY(%s)",
                SQL(", ").join(SQL.identifier(name) for name in columns),
                res_ids,
            )
        )
        rows = {row[0]: row for row in cr.fetchall()}
        names, prints = [], []
        for res_id in res_ids:
            row = rows[res_id]
            text = json.dumps(
                {
                    "model": "service.complaint",
                    "data": dict(zip(["id", *columns], row, strict=True)),
                },
                sort_keys=True,
                ensure_ascii=False,
                separators=(",", ":"),
                default=str,
            )
            prints.append(hashlib.sha256(text.encode()).hexdigest())
            names.append(row[columns.index("name") + 1])
        cr.execute(
            SQL(
                """
                INSERT INTO service_retention_register
                    (model, res_id, display_name, policy_id, request_id, fingerprint,
                     requested_by, approved_by, destroyed_by_id, destroyed_at, company_id,
                     create_uid, write_uid, create_date, write_date)
                SELECT 'service.complaint', t.res_id, t.name, r.policy_id, r.id, t.print,
                       r.requested_by_id, r.approved_by_id, 1, now(), r.company_id,
                       1, 1, now(), now()
                  FROM unnest(%s::int[], %s::varchar[], %s::varchar[], %s::int[])
                       AS t(res_id, name, print, request_id)
                  JOIN service_retention_request r ON r.id = t.request_id
                """,
                res_ids,
                names,
                prints,
                [line[2] for line in lines],
            )
        )
        cr.execute(SQL("DELETE FROM service_complaint WHERE id = ANY(%s)", res_ids))
        cr.execute(
            SQL(
                "UPDATE service_retention_request_line SET state = 'destroyed' WHERE id = ANY(%s)",
                [line[0] for line in lines],
            )
        )
        commit()
        done += len(lines)


def profiled(path, label, func):
    """``func`` run under cProfile when ``path`` is given: the statistics go
    to ``<path>.<label>`` (read them with ``python -m pstats``) and the top
    of the cumulative and own times is printed."""
    if not path:
        return func

    def run():
        profile = cProfile.Profile()
        result = profile.runcall(func)
        profile.dump_stats(f"{path}.{label}")
        stats = pstats.Stats(profile)
        stats.sort_stats("cumulative").print_stats(40)
        stats.sort_stats("tottime").print_stats(25)
        return result

    return run


def statement_times(label, func):
    """``func`` with the time of each SQL statement it sends summed by
    statement (its first 100 characters) and the commits apart; the total,
    the time outside PostgreSQL and the 12 costliest statements are printed."""

    def run():
        sql_db = odoo_sql_db()
        execute, commit = sql_db.Cursor.execute, sql_db.Cursor.commit
        spent = defaultdict(lambda: [0, 0.0])

        def timed_call(key, method, *args, **kwargs):
            start = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                spent[key][0] += 1
                spent[key][1] += time.perf_counter() - start

        def timed_execute(cursor, query, params=None, log_exceptions=True):
            text = " ".join(str(getattr(query, "code", query)).split())[:100]
            return timed_call(text, execute, cursor, query, params, log_exceptions)

        sql_db.Cursor.execute = timed_execute
        sql_db.Cursor.commit = lambda cursor: timed_call("COMMIT", commit, cursor)
        start = time.perf_counter()
        try:
            return func()
        finally:
            total = time.perf_counter() - start
            sql_db.Cursor.execute, sql_db.Cursor.commit = execute, commit
            in_sql = sum(seconds for _count, seconds in spent.values())
            print(
                f"{label}: {total:.2f} s, of which {in_sql:.2f} s in PostgreSQL "
                f"(statements and commits), {total - in_sql:.2f} s outside",
                flush=True,
            )
            ranked = sorted(spent.items(), key=lambda item: -item[1][1])
            for text, (count, seconds) in ranked[:12]:
                print(f"  {seconds:7.2f} s {count:6,}x  {text}", flush=True)

    return run


def configure(parser):
    parser.add_argument("--batch", type=int, default=1000, help="policy batch size")
    parser.add_argument(
        "--profile",
        metavar="PATH",
        help="run the jobs under cProfile, statistics written to PATH.<job> "
        "(the ratios printed are then those of the profiled run)",
    )
    parser.add_argument(
        "--without-automations",
        action="store_true",
        help="deactivate the automated actions on complaints in the copies (what Odoo's "
        "wrapper around write costs the archiving)",
    )
    parser.add_argument(
        "--statements",
        action="store_true",
        help="print the time of the jobs' SQL statements, summed by statement, and of "
        "their commits",
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="rounds on fresh copies (job and reference change order each round); "
        "the median ratio is printed",
    )


class Side:
    """One side of the comparison (the jobs or the SQL reference) on its own
    copy of the seeded database, committing as it goes."""

    def __init__(self, name, db, addons_path):
        self.name = name
        self.db = db
        self._stack = contextlib.ExitStack()
        self.env = self._stack.enter_context(
            environment(db, addons_path, commit=True, context={"tracking_disable": True})
        )

    def commit(self):
        self.env.flush_all()
        self.env.cr.commit()

    def vacuum(self):
        """VACUUM ANALYZE of the tables the jobs touch, between phases (as
        autovacuum would do between two cron runs), so each phase starts
        from clean tables on both sides."""
        self.commit()
        with closing(odoo_sql_db().db_connect(self.db).cursor()) as cr:
            cr._cnx.autocommit = True
            try:
                for table in VACUUMED_TABLES:
                    cr.execute(SQL("VACUUM ANALYZE %s", SQL.identifier(table)))
            finally:
                cr._cnx.autocommit = False

    def close(self):
        self._stack.close()


VACUUMED_TABLES = (
    "service_complaint",
    "service_retention_request",
    "service_retention_request_line",
    "service_retention_register",
    "mail_message",
)


def odoo_sql_db():
    import odoo.sql_db

    return odoo.sql_db


def run_committed(side, method):
    """Call a job method the way the cron runner does, committing after each
    call, until it reports no work done; returns the number of calls."""
    calls = 0
    while True:
        done = method()
        side.commit()
        if not done:
            return calls
        calls += 1


def copy_database(source, target):
    """CREATE DATABASE ``target`` TEMPLATE ``source`` (no one else may be
    connected to ``source``: the benchmark's own connections are closed
    first)."""
    from odoo.modules.registry import Registry

    Registry.delete(source)
    sql_db = odoo_sql_db()
    sql_db.close_db(source)
    with closing(sql_db.db_connect("postgres").cursor()) as cr:
        cr._cnx.autocommit = True
        try:
            cr.execute(
                SQL(
                    "CREATE DATABASE %s TEMPLATE %s", SQL.identifier(target), SQL.identifier(source)
                )
            )
        except Exception as error:
            raise SystemExit(
                f"Cannot copy database {source} to {target} ({error}). The benchmark works on "
                f"copies of {source}: stop any Odoo server or client connected to it."
            ) from error


def drop_database(name):
    from odoo.modules.registry import Registry

    Registry.delete(name)
    sql_db = odoo_sql_db()
    sql_db.close_db(name)
    with closing(sql_db.db_connect("postgres").cursor()) as cr:
        cr._cnx.autocommit = True
        cr.execute(SQL("DROP DATABASE IF EXISTS %s", SQL.identifier(name)))


POLICY_DOMAIN = "[('name', '=like', 'BENCH-%'), ('state', '=', 'closed')]"


def prepare_template(db, addons_path, size, batch, without_automations=False):
    """Seed ``size`` closed complaints and the two benchmark policies (both
    inactive) in ``db``, committed; returns the seeding time."""
    with environment(db, addons_path, commit=True, context={"tracking_disable": True}) as env:
        env["service.retention.policy"].search([]).write({"active": False})
        if without_automations:
            env["base.automation"].search([("model_name", "=", "service.complaint")]).write(
                {"active": False}
            )
        _seeded, seed_s, _q = timed(env, lambda: seed(env, size))
        Policy = env["service.retention.policy"]
        common = {
            "model_id": env["ir.model"]._get("service.complaint").id,
            "date_field": "closed_at",
            "years": 3,
            "domain": POLICY_DOMAIN,
            "batch_size": batch,
            "active": False,
        }
        Policy.create(dict(common, name="Bench destroy", action="destroy"))
        Policy.create(dict(common, name="Bench archive", action="archive"))
    return seed_s


def bench_policy(env, action):
    return (
        env["service.retention.policy"]
        .with_context(active_test=False)
        .search([("name", "=", f"Bench {action}")], limit=1)
    )


def measure_pair(first_is_job, job_side, reference_side, job, reference):
    """Run the reference and the job, in the given order, each timed on its
    own side; returns ``(job result, reference result)``."""
    runs = [(job_side, job), (reference_side, reference)]
    if not first_is_job:
        runs.reverse()
    results = {}
    for side, func in runs:
        results[side.name] = timed(side.env, func)
    return results["job"], results["reference"]


def one_round(args, template, round_index, compare):
    """Both sides on fresh copies of ``template``, phase after phase, the
    order of job and reference alternating from one round to the next."""
    job_db, reference_db = f"{template}_job", f"{template}_ref"
    copy_database(template, job_db)
    copy_database(template, reference_db)
    job_side = reference_side = None
    try:
        job_side = Side("job", job_db, args.addons_path)
        reference_side = Side("reference", reference_db, args.addons_path)
        sides = (job_side, reference_side)
        first_is_job = bool(round_index % 2)
        size, batch = args.size, args.batch

        def phase(label, job_method, reference):
            """Vacuum both copies, then time ``job_method`` called as the
            cron runner calls it against ``reference`` (committed at its
            end); returns what the reference counted."""
            for side in sides:
                side.vacuum()

            job_run = profiled(args.profile, label, lambda: run_committed(job_side, job_method))
            if args.statements:
                job_run = statement_times(label, job_run)

            def reference_committed():
                count = reference()
                reference_side.commit()
                return count

            job, reference_result = measure_pair(
                first_is_job,
                job_side,
                reference_side,
                job_run,
                reference_committed,
            )
            compare(label, size, job, reference_result)
            assert reference_result[0] == size, (label, reference_result[0])

        def switch(side, active, inactive):
            if active:
                bench_policy(side.env, active).active = True
            if inactive:
                bench_policy(side.env, inactive).active = False
            side.commit()

        Policy = job_side.env["service.retention.policy"]
        reference_policy = bench_policy(reference_side.env, "destroy")
        cutoff = reference_policy._cutoff("closed_at", 3)

        # 1. Proposals for destruction
        for side in sides:
            switch(side, "destroy", None)
        phase(
            "propose",
            Policy._cron_apply_policies,
            lambda: reference_propose(reference_side.env, reference_policy, cutoff, batch),
        )
        assert len(bench_policy(job_side.env, "destroy").request_ids.line_ids) == size

        # 2. Archiving
        for side in sides:
            switch(side, "archive", "destroy")
        phase(
            "archive",
            Policy._cron_apply_policies,
            lambda: reference_archive(reference_side.env, cutoff),
        )
        archived = job_side.env["service.complaint"].with_context(active_test=False)
        assert not archived.search_count([("name", "=like", "BENCH-%"), ("active", "=", True)])

        # 3. Approved destruction with a register row per record
        approver = {"state": "approved", "approved_by_id": job_side.env.ref("base.user_admin").id}
        job_requests = bench_policy(job_side.env, "destroy").request_ids
        job_requests._workflow_write(approver)
        reference_requests = reference_side.env["service.retention.request"].search(
            [("name", "=like", "REF-%")]
        )
        reference_requests._workflow_write(approver)
        for side in sides:
            switch(side, None, "archive")
        phase(
            "destroy",
            job_side.env["service.retention.request"]._cron_destroy_approved,
            lambda: reference_destroy(
                reference_side.env, reference_requests, batch, commit=reference_side.commit
            ),
        )
        registered = job_side.env["service.retention.register"].search_count(
            [("request_id", "in", job_requests.ids)]
        )
        assert registered == size, (registered, size)
        job_requests.invalidate_recordset()
        assert set(job_requests.mapped("state")) == {"done"}
    finally:
        for side in (job_side, reference_side):
            if side:
                side.close()
        drop_database(job_db)
        drop_database(reference_db)


def main():
    args = parse_args("Records retention", default_size=100_000, configure=configure)
    bench = Bench(args.title)
    ratios = defaultdict(list)

    def compare(label, records, job, reference):
        ratio = job[1] / reference[1] if reference[1] else 0.0
        bench.add(f"{label}: job", records, job[1], job[2])
        bench.add(f"{label}: SQL reference", records, reference[1], reference[2])
        ratios[label].append(ratio)
        print(
            f"{label}: job {job[1]:.2f} s ({job[2]:,} queries), "
            f"reference {reference[1]:.2f} s, ratio {ratio:.2f}x",
            flush=True,
        )

    _configure(args.db, args.addons_path)
    template = f"{args.db}_bench_retention"
    drop_database(template)
    copy_database(args.db, template)
    try:
        seed_s = prepare_template(
            template, args.addons_path, args.size, args.batch, args.without_automations
        )
        bench.add("seed closed complaints (SQL)", args.size, seed_s, 1)
        print(f"Seeded {args.size:,} closed complaints in {seed_s:.1f} s", flush=True)
        for round_index in range(args.rounds):
            print(f"Round {round_index + 1} of {args.rounds}", flush=True)
            one_round(args, template, round_index, compare)
    finally:
        drop_database(template)

    bench.print_table()
    print()
    for label, values in ratios.items():
        listed = ", ".join(f"{value:.2f}x" for value in values)
        print(
            f"ratio {label}: {statistics.median(values):.2f}x the hand-written SQL "
            f"(median of {listed}; target <= 2x)"
        )
    print(f"\nEverything ran on copies of {args.db}, dropped at the end: {args.db} is unchanged.")


if __name__ == "__main__":
    main()
