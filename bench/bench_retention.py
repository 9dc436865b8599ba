"""Benchmark of the records retention jobs (service_quality).

    python bench/bench_retention.py --db <db> [--size 100000] [--batch 1000]

Seeds ``--size`` closed complaints with one SQL bulk insert, then measures
each job the way the cron runner calls it (one locked batch per call, again
while work is left; the runner's commits left out) against a hand-written
SQL reference doing the same work, in the same run, and prints the ratio:

* propose: the destroy policy proposing every record (one request per batch)
  against INSERT ... SELECT of the requests and their lines;
* archive: an archive policy archiving the same records against one UPDATE;
* destroy: destruction of the approved requests with one register row per
  record (SHA-256 of its exported data) against, per batch, SELECT of the
  exported columns, SHA-256 in Python, INSERT of the register rows and
  DELETE of the records.

Each reference runs in a savepoint rolled back before the job runs, and
everything is rolled back at the end (nothing stays behind, the append-only
register included).
"""

import cProfile
import hashlib
import json
import pstats
import time

from common import Bench, environment, parse_args

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


def run_job(method):
    """Call a job method until it reports no work done; returns the calls."""
    calls = 0
    while method():
        calls += 1
    return calls


def timed(env, func):
    env.flush_all()
    count0 = env.cr.sql_log_count
    start = time.perf_counter()
    result = func()
    env.flush_all()
    return result, time.perf_counter() - start, env.cr.sql_log_count - count0


def in_savepoint(env, func):
    """Run ``func`` (hand-written SQL) and undo it."""
    env.flush_all()
    env.cr.execute("SAVEPOINT bench_reference")
    try:
        return timed(env, func)
    finally:
        env.cr.execute("ROLLBACK TO SAVEPOINT bench_reference")
        env.invalidate_all()


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


def reference_destroy(env, requests, batch):
    """Per batch of lines: SELECT the exported columns, SHA-256 in Python,
    INSERT the register rows, DELETE the records, mark the lines."""
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


def configure(parser):
    parser.add_argument("--batch", type=int, default=1000, help="policy batch size")
    parser.add_argument(
        "--profile",
        metavar="PATH",
        help="run the jobs under cProfile, statistics written to PATH.<job> "
        "(the ratios printed are then those of the profiled run)",
    )


def main():
    args = parse_args("Records retention", default_size=100_000, configure=configure)
    bench = Bench(args.title)
    ratios = []

    def compare(label, records, job, reference):
        ratio = job[1] / reference[1] if reference[1] else 0.0
        bench.add(f"{label}: job", records, job[1], job[2])
        bench.add(f"{label}: SQL reference", records, reference[1], reference[2])
        ratios.append((label, ratio))
        print(
            f"{label}: job {job[1]:.2f} s, reference {reference[1]:.2f} s, ratio {ratio:.2f}x",
            flush=True,
        )

    with environment(args.db, args.addons_path, context={"tracking_disable": True}) as env:
        env["service.retention.policy"].search([]).write({"active": False})
        _seeded, seed_s, _q = timed(env, lambda: seed(env, args.size))
        bench.add("seed closed complaints (SQL)", args.size, seed_s, 1)
        print(f"Seeded {args.size:,} closed complaints in {seed_s:.1f} s", flush=True)
        Policy = env["service.retention.policy"]
        Request = env["service.retention.request"]
        common = {
            "model_id": env["ir.model"]._get("service.complaint").id,
            "date_field": "closed_at",
            "years": 3,
            "domain": "[('name', '=like', 'BENCH-%'), ('state', '=', 'closed')]",
            "batch_size": args.batch,
        }

        # 1. Proposals for destruction
        propose = Policy.create(dict(common, name="Bench destroy", action="destroy"))
        cutoff = propose._cutoff("closed_at", 3)
        reference = in_savepoint(env, lambda: reference_propose(env, propose, cutoff, args.batch))
        assert reference[0] == args.size, reference[0]
        job = timed(
            env, profiled(args.profile, "propose", lambda: run_job(Policy._cron_apply_policies))
        )
        assert len(propose.request_ids.line_ids) == args.size
        compare("propose", args.size, job, reference)
        propose.active = False

        # 2. Archiving
        archive = Policy.create(dict(common, name="Bench archive", action="archive"))
        reference = in_savepoint(env, lambda: reference_archive(env, cutoff))
        assert reference[0] == args.size, reference[0]
        job = timed(
            env, profiled(args.profile, "archive", lambda: run_job(Policy._cron_apply_policies))
        )
        compare("archive", args.size, job, reference)
        archive.active = False

        # 3. Approved destruction with a register row per record
        requests = propose.request_ids
        requests._workflow_write(
            {"state": "approved", "approved_by_id": env.ref("base.user_admin").id}
        )
        reference = in_savepoint(env, lambda: reference_destroy(env, requests, args.batch))
        assert reference[0] == args.size, reference[0]
        job = timed(
            env, profiled(args.profile, "destroy", lambda: run_job(Request._cron_destroy_approved))
        )
        registered = env["service.retention.register"].search_count(
            [("request_id", "in", requests.ids)]
        )
        assert registered == args.size, (registered, args.size)
        assert set(requests.mapped("state")) == {"done"}
        compare("destroy", args.size, job, reference)

    bench.print_table()
    print()
    for label, ratio in ratios:
        print(f"ratio {label}: {ratio:.2f}x the hand-written SQL (target <= 2x)")
    print("\nEverything was rolled back: the database is unchanged.")


if __name__ == "__main__":
    main()
