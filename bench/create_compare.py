"""Creating service orders against creating Odoo's ``repair.order``.

    python bench/create_compare.py --db <db with the addons and repair> [--size 5000]

Creates ``--size`` service orders, then ``--size`` repairs, in one
``create()`` call each, then as many again one ``create()`` call per record
(each followed by a flush, as one request would), in one transaction rolled
back at the end. The service orders carry what an intake clerk fills in
(customer, channel, category, priority, description: SLA deadlines on the
working calendar and the order number computed); the repairs carry a
customer, a priority, a schedule date and a note (no parts line, which
would add its stock move). Prints per side and way the seconds, the queries
per record and the time ratio service/repair.
"""

import os
import sys
import time
from datetime import datetime, timedelta

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import Bench, environment, parse_args


def service_vals(env, size):
    partner = env["res.partner"].create({"name": "Create bench customer"})
    category = env["service.category"].search([], limit=1) or env["service.category"].create(
        {"name": "Create bench category"}
    )
    now = datetime.utcnow().replace(microsecond=0)
    return [
        {
            "partner_id": partner.id,
            "channel": "phone",
            "category_id": category.id,
            "priority": str(k % 3),
            "description": f"<p>Create bench order {k}</p>",
            "received_at": now - timedelta(minutes=k % 600),
        }
        for k in range(size)
    ]


def repair_vals(env, size):
    partner = env["res.partner"].create({"name": "Create bench repair customer"})
    now = datetime.utcnow().replace(microsecond=0)
    return [
        {
            "partner_id": partner.id,
            "priority": "0",
            "schedule_date": now + timedelta(hours=k % 600),
            "internal_notes": f"<p>Create bench repair {k}</p>",
        }
        for k in range(size)
    ]


def timed(env, func):
    env.flush_all()
    count0 = env.cr.sql_log_count
    start = time.perf_counter()
    func()
    env.flush_all()
    return time.perf_counter() - start, env.cr.sql_log_count - count0


def one_call(Model, vals_list):
    return lambda: Model.create(vals_list)


def one_call_each(env, Model, vals_list):
    def run():
        for vals in vals_list:
            Model.create(vals)
            env.flush_all()
            env.invalidate_all()

    return run


def main():
    args = parse_args("Create: service orders against repairs", default_size=5000)
    bench = Bench(args.title)
    figures = {}
    with environment(args.db, args.addons_path, context={"tracking_disable": False}) as env:
        if "repair.order" not in env:
            sys.exit(f"{args.db}: the repair module is not installed (the reference side).")
        sides = (
            ("service.order", service_vals),
            ("repair.order", repair_vals),
        )
        for way in ("one call", "one call each"):
            for model, make_vals in sides:
                vals_list = make_vals(env, args.size)
                Model = env[model]
                func = (
                    one_call(Model, vals_list)
                    if way == "one call"
                    else one_call_each(env, Model, vals_list)
                )
                seconds, queries = timed(env, func)
                bench.add(f"{model}: {way}", args.size, seconds, queries)
                figures[model, way] = (seconds, queries)
                print(
                    f"{model}, {way}: {seconds:.2f} s, "
                    f"{queries / args.size:.3f} queries per record",
                    flush=True,
                )
    bench.print_table()
    print()
    for way in ("one call", "one call each"):
        service, repair = figures["service.order", way], figures["repair.order", way]
        print(
            f"{way}: service {service[0]:.2f} s / repair {repair[0]:.2f} s = "
            f"{service[0] / repair[0]:.2f}x the time; queries per record "
            f"{service[1] / args.size:.3f} vs {repair[1] / args.size:.3f}"
        )
    print("\nEverything was rolled back: the database is unchanged.")


if __name__ == "__main__":
    main()
