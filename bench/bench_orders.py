"""Service order benchmark: bulk intake with SLA deadlines and the SLA sweep.

    python bench/bench_orders.py --db h_orders [--size 10000] [--sweep-size 100000]

Runs inside one transaction that is rolled back at the end: nothing seeded
stays in the database. Prints operation, records, total seconds, seconds per
1,000 records, SQL queries and peak RSS.
"""

import argparse
import os
import resource
import sys
import time
from datetime import datetime

import pytz
from psycopg2.extras import execute_values

HERE = os.path.dirname(os.path.abspath(__file__))
ODOO_PATH = os.environ.get("ODOO_PATH", "/opt/odoo")
sys.path.insert(0, ODOO_PATH)

from common import run_job  # noqa: E402

import odoo  # noqa: E402
from odoo.tools import SQL  # noqa: E402


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


class Meter:
    def __init__(self, env):
        self.env = env
        self.rows = []

    def run(self, label, records, func):
        cr = self.env.cr
        self.env.flush_all()
        start_queries = cr.sql_log_count
        start = time.perf_counter()
        result = func()
        self.env.flush_all()
        elapsed = time.perf_counter() - start
        queries = cr.sql_log_count - start_queries
        self.rows.append(
            (
                label,
                records,
                elapsed,
                elapsed / records * 1000 if records else 0,
                queries,
                peak_rss_mb(),
            )
        )
        return result

    def print(self):
        header = ("operation", "records", "total s", "s / 1,000", "queries", "peak RSS MB")
        print(
            f"{header[0]:<48} {header[1]:>9} {header[2]:>9} {header[3]:>10} "
            f"{header[4]:>9} {header[5]:>12}"
        )
        for label, records, total, per_k, queries, rss in self.rows:
            print(
                f"{label:<48} {records:>9,} {total:>9.2f} {per_k:>10.3f} {queries:>9,} {rss:>12.1f}"
            )


def seed_open_orders(env, count):
    """Bulk insert ``count`` open orders (24 h / 48 h, warning at 80 %) received
    1 h, 21 h or 30 h ago: a third on track, a third at risk, a third breached."""
    company = env.company
    partner = env["res.partner"].create({"name": "Bench customer"})
    team = env["service.team"].create({"name": "Bench team", "leader_id": env.user.id})
    env.flush_all()
    env.cr.execute(
        SQL(
            """
            INSERT INTO service_order (
                name, partner_id, team_id, channel, priority, received_at, intake_user_id,
                state, company_id, sla_status, warranty, response_deadline, resolve_deadline,
                response_warning_at, resolve_warning_at,
                create_uid, write_uid, create_date, write_date
            )
            SELECT 'BENCH-' || g, %(partner)s, %(team)s, 'phone', '0', rcv, %(uid)s,
                   'new', %(company)s, 'on_track', 'out',
                   rcv + interval '24 hours', rcv + interval '48 hours',
                   rcv + interval '19.2 hours', rcv + interval '38.4 hours',
                   %(uid)s, %(uid)s, now() at time zone 'utc', now() at time zone 'utc'
              FROM (
                SELECT g, (now() at time zone 'utc') - (CASE mod(g, 3) WHEN 0 THEN interval '1 hour'
                       WHEN 1 THEN interval '21 hours' ELSE interval '30 hours' END) AS rcv
                  FROM generate_series(1, %(count)s) g
              ) AS s
            """,
            partner=partner.id,
            team=team.id,
            uid=env.uid,
            company=company.id,
            count=count,
        )
    )
    return team


SWEEP_SQL = """
    SELECT id, response_deadline, resolve_deadline, responded_at, resolved_at,
           response_breached_at, resolve_breached_at, COALESCE(sla_warned, FALSE)
      FROM service_order
     WHERE state IN ('new', 'assessed', 'approved', 'scheduled', 'in_progress')
       AND NOT COALESCE(waiting, FALSE) AND (
            (response_breached_at IS NULL AND responded_at IS NULL AND response_deadline <= %(now)s)
         OR (resolve_breached_at IS NULL AND resolved_at IS NULL AND resolve_deadline <= %(now)s)
         OR (NOT COALESCE(sla_warned, FALSE) AND sla_status = 'on_track' AND (
                (responded_at IS NULL AND response_warning_at <= %(now)s)
             OR (resolved_at IS NULL AND resolve_warning_at <= %(now)s))))
  ORDER BY id LIMIT %(limit)s FOR UPDATE SKIP LOCKED
"""


def sla_sweep_sql(env, batch):
    """The SLA job's marking in hand-written SQL: per batch, lock the rows,
    classify them in Python, one UPDATE per status and one note per order
    (INSERT of ``mail_message`` rows, body formatted in the company's time
    zone). The reference the job is compared with; returns orders touched."""
    cr = env.cr
    now = datetime.utcnow().replace(microsecond=0)
    tz = pytz.timezone(env.company.partner_id.tz or env.user.tz or "UTC")
    note = env.ref("mail.mt_note").id
    author = env.ref("base.partner_root").id

    def local(dt):
        return pytz.utc.localize(dt).astimezone(tz).strftime("%m/%d/%Y %H:%M:%S")

    total = 0
    while True:
        cr.execute(SWEEP_SQL, {"now": now, "limit": batch})
        rows = cr.fetchall()
        if not rows:
            return total
        breached, warned, notes = [], [], []
        for oid, rdl, sdl, resp, res, rbr, sbr, warned_flag in rows:
            parts = []
            late_response = not rbr and not resp and rdl <= now
            late_resolution = not sbr and not res and sdl <= now
            if late_response:
                parts.append(f"SLA breached: no response by the deadline {local(rdl)}.")
            if late_resolution:
                parts.append(f"SLA breached: not resolved by the deadline {local(sdl)}.")
            if parts:
                breached.append((oid, late_response, late_resolution, now))
            elif not warned_flag:
                warned.append(oid)
                parts.append(
                    "SLA at risk: the response or resolution deadline is near "
                    f"(response by {local(rdl)}, resolution by {local(sdl)})."
                )
            if parts:
                body = "<p>" + "<br/>".join(parts) + "</p>"
                notes.append(
                    ("service.order", oid, body, "notification", note, author, True, now, now)
                )
        if breached:
            execute_values(
                cr._obj,
                """UPDATE service_order o
                      SET sla_breached = TRUE, sla_status = 'breached', sla_warned = TRUE,
                          response_breached_at = CASE WHEN v.resp THEN v.now
                                                 ELSE o.response_breached_at END,
                          resolve_breached_at = CASE WHEN v.res THEN v.now
                                                ELSE o.resolve_breached_at END
                     FROM (VALUES %s) AS v(id, resp, res, now) WHERE o.id = v.id""",
                breached,
                page_size=1000,
            )
        if warned:
            cr.execute(
                "UPDATE service_order SET sla_status = 'at_risk', sla_warned = TRUE "
                "WHERE id = ANY(%s)",
                [warned],
            )
        execute_values(
            cr._obj,
            """INSERT INTO mail_message (model, res_id, body, message_type, subtype_id,
                                         author_id, is_internal, date, create_date)
               VALUES %s""",
            notes,
            page_size=1000,
        )
        total += len(rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--size", type=int, default=10000, help="orders created in one create()")
    parser.add_argument(
        "--sweep-size", type=int, default=100000, help="open orders swept by the SLA job"
    )
    parser.add_argument("--batch", type=int, default=1000, help="SLA job batch size")
    args = parser.parse_args()

    addons = ",".join([os.path.join(ODOO_PATH, "addons"), os.path.join(HERE, "..", "addons")])
    odoo.tools.config.parse_config(
        [f"--addons-path={addons}", "-c", os.path.join(HERE, "..", "odoo.conf"), "--log-level=warn"]
    )
    registry = odoo.modules.registry.Registry(args.db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True})
        meter = Meter(env)
        try:
            partner = env["res.partner"].create({"name": "Bench intake customer"})
            calendar = env.company.resource_calendar_id
            team = env["service.team"].create(
                {"name": "Bench intake team", "calendar_id": calendar.id}
            )
            vals = [
                {
                    "partner_id": partner.id,
                    "team_id": team.id,
                    "priority": str(i % 3),
                    "appliance": f"Bench appliance {i}",
                }
                for i in range(args.size)
            ]
            orders = meter.run(
                "create() incl. SLA deadlines (working calendar)",
                args.size,
                lambda: env["service.order"].create(vals),
            )
            assert all(orders.mapped("resolve_deadline")), "every order has its deadlines"
            Order = env["service.order"]
            meter.run(
                "recompute SLA deadlines (batch)",
                args.size,
                lambda: orders._sla_compute_deadlines(),
            )
            seed_open_orders(env, args.sweep_size)
            env.invalidate_all()
            env.flush_all()
            cr.execute("SAVEPOINT sla_sql_reference")
            swept_sql = meter.run(
                "SLA marking in hand-written SQL (reference)",
                args.sweep_size,
                lambda: sla_sweep_sql(env, args.batch),
            )
            cr.execute("ROLLBACK TO SAVEPOINT sla_sql_reference")
            env.invalidate_all()
            swept = meter.run(
                f"SLA job, first run (batches of {args.batch})",
                args.sweep_size,
                lambda: run_job(Order._cron_sla_sweep, batch_size=args.batch),
            )
            meter.run(
                "SLA job, second run (idempotent: no-op)",
                args.sweep_size,
                lambda: run_job(Order._cron_sla_sweep, batch_size=args.batch),
            )
            meter.print()
            print(
                f"\norders touched by the first SLA run: {swept:,} (SQL reference: {swept_sql:,})"
            )
            reference = next(r for r in meter.rows if r[0].startswith("SLA marking"))[2]
            job = next(r for r in meter.rows if r[0].startswith("SLA job, first"))[2]
            print(f"SLA job / hand-written SQL: {job / reference:.2f}x (target <= 3x)")
        finally:
            cr.rollback()


if __name__ == "__main__":
    main()
