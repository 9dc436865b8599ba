"""Per-step cost of the service order flow the load test drives.

    python bench/profile_order_steps.py --db <db> [--size 20] [--profile action_accept]

Creates the load test's users (an author and an approver, both service
managers, a technician) and a category that needs approval, then drives
``--size`` orders through the load test's calls, each call as the user the
load test uses, and each one ended as an RPC request ends it: flush,
pre-commit hooks (tracking values), cache dropped. Prints per step the
median and maximum wall time and SQL query count. ``--profile STEP`` adds a
cProfile of that step over every order (top functions by cumulative time);
``--sql STEP`` prints the SQL queries of that step for the last order.
Everything is rolled back at the end.
"""

import cProfile
import datetime
import io
import pstats
import statistics
import time
from unittest.mock import patch

from common import environment, parse_args

SIGNATURE = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg=="
)


def configure(parser):
    parser.add_argument("--profile", default=None, help="step to profile with cProfile")
    parser.add_argument("--top", type=int, default=35, help="functions shown by --profile")
    parser.add_argument("--sql", default=None, help="step whose SQL queries are printed")


def end_request(env):
    """What the RPC layer does after the method: flush, pre-commit hooks
    (tracking), then a new cache for the next request."""
    env.flush_all()
    env.cr.precommit.run()
    env.flush_all()
    env.invalidate_all()


def main():
    args = parse_args("Service order steps", default_size=20, configure=configure)
    with environment(args.db, args.addons_path) as env:
        manager = env.ref("service_quality.group_service_manager")
        technician_group = env.ref("service_quality.group_service_user")
        Users = env["res.users"].with_context(no_reset_password=True)
        author, approver, tech = (
            Users.create(
                {
                    "name": f"Step {role}",
                    "login": f"step_{role}",
                    "email": f"step_{role}@example.com",
                    "groups_id": [(6, 0, g.ids)],
                }
            )
            for role, g in (
                ("author", manager),
                ("approver", manager),
                ("tech", technician_group),
            )
        )
        category = env["service.category"].create(
            {"name": "Step profile", "approval_required": True}
        )
        partner = env["res.partner"].create(
            {"name": "Step customer", "email": "step.customer@example.com"}
        )
        end_request(env)
        times, queries = {}, {}
        profiles = {}
        sql_log = []
        from odoo.sql_db import Cursor

        execute = Cursor.execute

        def spy(cr, query, params=None, log_exceptions=True):
            sql_log.append(" ".join(str(getattr(query, "code", query)).split())[:160])
            return execute(cr, query, params, log_exceptions)

        base = datetime.datetime.now().replace(hour=8, minute=0, second=0, microsecond=0)
        base += datetime.timedelta(days=400)

        def step(label, user, func):
            uenv = env(user=user)
            count0 = env.cr.sql_log_count
            profiler = cProfile.Profile() if label == args.profile else None
            start = time.perf_counter()
            if profiler:
                profiler.enable()
            if label == args.sql:
                sql_log.clear()
                with patch.object(Cursor, "execute", spy):
                    result = func(uenv)
                    end_request(uenv)
            else:
                result = func(uenv)
                end_request(uenv)
            if profiler:
                profiler.disable()
                profiles.setdefault(label, pstats.Stats(profiler, stream=io.StringIO()))
                profiles[label].add(profiler)
            times.setdefault(label, []).append(time.perf_counter() - start)
            queries.setdefault(label, []).append(env.cr.sql_log_count - count0)
            return result

        for k in range(args.size):
            start = base + datetime.timedelta(hours=k)
            vals = {
                "partner_id": partner.id,
                "channel": "phone",
                "category_id": category.id,
                "priority": str(k % 3),
                "description": f"<p>Step profile order {k}</p>",
                "user_id": tech.id,
                "appointment_start": start,
                "appointment_end": start + datetime.timedelta(minutes=50),
                "diagnosis": "Drain pump blocked by a coin; impeller intact.",
                "plan": "Clear the pump, check the filter, run a test cycle.",
            }
            oid = step("create", author, lambda e, v=vals: e["service.order"].create(v).id)

            def act(method, oid=oid):
                return lambda e: getattr(e["service.order"].browse(oid), method)()

            def write(vals, oid=oid):
                return lambda e: e["service.order"].browse(oid).write(vals)

            step("action_assess", author, act("action_assess"))
            step("action_approve", approver, act("action_approve"))
            step("action_schedule", author, act("action_schedule"))
            step("action_start", author, act("action_start"))
            step("write resolution", author, write({"resolution": "<p>Pump cleared.</p>"}))
            step("action_finish", author, act("action_finish"))
            step(
                "write signature",
                author,
                write({"customer_signature": SIGNATURE, "signed_by": "Step customer"}),
            )
            step("action_accept", author, act("action_accept"))
            step(
                "feedback",
                author,
                lambda e, oid=oid: e["service.feedback"]
                .create(
                    {
                        "service_order_id": oid,
                        "score": 5,
                        "channel": "phone",
                        "comment": "Quick and clean.",
                    }
                )
                .id,
            )
            step("read", author, lambda e, oid=oid: e["service.order"].browse(oid).read(["state"]))
        order = list(times)
        print(f"\n## Order steps: {args.size} orders on {args.db} (as the load test's users)")
        print("\n| step | p50 ms | max ms | queries p50 | queries max |")
        print("|---|---:|---:|---:|---:|")
        for label in order:
            print(
                f"| {label} | {statistics.median(times[label]) * 1000:.0f} | "
                f"{max(times[label]) * 1000:.0f} | {statistics.median(queries[label]):.0f} | "
                f"{max(queries[label])} |"
            )
        total = sum(statistics.median(v) for v in times.values())
        print(f"\nOne order, sum of the medians: {total * 1000:.0f} ms")
        if args.sql:
            print(f"\n### SQL of {args.sql} (last order, {len(sql_log)} queries)\n")
            for line in sql_log:
                print("    " + line)
        for label, stats in profiles.items():
            print(f"\n### cProfile of {label} over {args.size} orders\n")
            stats.sort_stats("cumulative").print_stats(args.top)
            print(stats.stream.getvalue())


if __name__ == "__main__":
    main()
