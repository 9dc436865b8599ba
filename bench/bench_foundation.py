"""Benchmark of the foundation's hot paths: creating service orders through
the ORM in batches, moving them through the state machine in batches, and
the per-technician KPI read. Runs in a transaction that is rolled back.

    python bench/bench_foundation.py --db <db> [--size N]
"""

import datetime
import sys

from common import Bench, bulk_insert, environment, parse_args

TRANSITIONS = [
    "action_assess",
    "action_schedule",
    "action_start",
    "action_finish",
    "action_accept",
    "action_close",
]
TECHNICIANS = 20


def main(argv=None):
    args = parse_args("Foundation: service order life cycle", default_size=20_000, argv=argv)
    bench = Bench(args.title)
    with environment(args.db, args.addons_path, context={"tracking_disable": True}) as env:
        partner = env["res.partner"].create({"name": "Bench customer"})
        users = env["res.users"].create(
            [
                {
                    "name": f"Bench technician {i}",
                    "login": f"bench_tech_{i}",
                    "groups_id": [(6, 0, [env.ref("service_quality.group_service_user").id])],
                }
                for i in range(TECHNICIANS)
            ]
        )
        category = env["service.category"].create({"name": "Bench category"})
        start = datetime.datetime(2026, 1, 5, 8, 0)
        vals = [
            {
                "partner_id": partner.id,
                "category_id": category.id,
                "user_id": users[i % TECHNICIANS].id,
                "appointment_start": start + datetime.timedelta(hours=i),
                "appointment_end": start + datetime.timedelta(hours=i, minutes=50),
            }
            for i in range(args.size)
        ]
        Order = env["service.order"]
        with bench.measure(env, "create orders (ORM, batches of 1,000)", args.size):
            orders = Order.browse()
            for i in range(0, len(vals), 1000):
                orders |= Order.create(vals[i : i + 1000])
        for method in TRANSITIONS:
            with bench.measure(env, f"{method} (batches of 1,000)", len(orders)):
                for i in range(0, len(orders), 1000):
                    getattr(orders[i : i + 1000], method)()
        env.invalidate_all()
        with bench.measure(env, "_get_technician_kpis", len(orders), flush=False):
            kpis = Order._get_technician_kpis(
                users.ids, start - datetime.timedelta(days=1), datetime.datetime(2100, 1, 1)
            )
        assert sum(k["orders"] for k in kpis.values()) == len(orders), kpis

        # Ten times more orders seeded in SQL (as the feature benchmarks do
        # for their 1,000,000 rows), then the same KPI read over all of them.
        seeded = args.size * 10
        columns = ("name", "partner_id", "channel", "priority", "received_at",
                   "intake_user_id", "user_id", "state", "sla_status", "company_id")  # fmt: skip
        states = ("closed", "done", "new", "scheduled", "closed")
        sla = ("met", "met", "on_track", "breached", "met")
        rows = (
            (f"SEED{i:07d}", partner.id, "phone", "0", start + datetime.timedelta(minutes=i),
             env.uid, users[i % TECHNICIANS].id, states[i % 5], sla[i % 5], env.company.id)
            for i in range(seeded)
        )  # fmt: skip
        with bench.measure(env, "seed orders (SQL bulk insert)", seeded):
            bulk_insert(env.cr, "service_order", columns, rows)
        env.invalidate_all()
        with bench.measure(env, "_get_technician_kpis (after seeding)", seeded, flush=False):
            kpis = Order._get_technician_kpis(
                users.ids, start - datetime.timedelta(days=1), datetime.datetime(2100, 1, 1)
            )
        assert sum(k["orders"] for k in kpis.values()) == len(orders) + seeded, kpis
    bench.print_table()
    return 0


if __name__ == "__main__":
    sys.exit(main())
