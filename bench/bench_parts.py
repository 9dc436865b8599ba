"""Benchmark of service_parts: reserving the spare parts of scheduled orders
and the parts demand forecast over them.

    python bench/bench_parts.py --db <db> [--size 10000] [--batch 1000]

Seeds ``--size`` scheduled orders with two part lines each (SQL bulk insert),
stock for all of them, then reserves their parts through
``service.order.part._parts_reserve`` in batches of ``--batch`` orders (one
transfer per order, two reserved moves), and reads the forecast per part,
warehouse and week. Everything is rolled back at the end.
"""

import os
import sys
from datetime import datetime, timedelta

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import Bench, bulk_insert, environment, parse_args


def _configure(parser):
    parser.add_argument("--batch", type=int, default=1000, help="orders reserved per call")


def seed(env, size):
    company = env.company
    warehouse = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
    partner = env["res.partner"].create({"name": "Bench parts customer"})
    technician = env["res.users"].create({"name": "Bench technician", "login": "bench_parts_tech"})
    products = env["product.product"].create(
        [{"name": f"Bench part {n}", "is_storable": True} for n in range(20)]
    )
    for product in products:
        env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, size)
    env.flush_all()
    now = datetime.utcnow().replace(microsecond=0)
    uid = env.uid
    order_ids = bulk_insert(
        env.cr,
        "service_order",
        [
            "name",
            "partner_id",
            "channel",
            "priority",
            "received_at",
            "intake_user_id",
            "user_id",
            "state",
            "company_id",
            "sla_status",
            "warranty",
            "appointment_start",
            "appointment_end",
            "create_uid",
            "write_uid",
            "create_date",
            "write_date",
        ],
        [
            (
                f"BENCH-P{n}",
                partner.id,
                "phone",
                "0",
                now,
                uid,
                technician.id,
                "scheduled",
                company.id,
                "on_track",
                "out",
                now + timedelta(days=1 + n % 56),
                now + timedelta(days=1 + n % 56, hours=2),
                uid,
                uid,
                now,
                now,
            )
            for n in range(size)
        ],
    )
    bulk_insert(
        env.cr,
        "service_order_part",
        [
            "service_order_id",
            "product_id",
            "quantity",
            "location_id",
            "state",
            "company_id",
            "appointment_start",
            "technician_id",
            "create_uid",
            "write_uid",
            "create_date",
            "write_date",
        ],
        [
            (
                order_id,
                products[(n + k) % 20].id,
                1.0 + k,
                warehouse.lot_stock_id.id,
                "draft",
                company.id,
                now + timedelta(days=1 + n % 56),
                technician.id,
                uid,
                uid,
                now,
                now,
            )
            for n, order_id in enumerate(order_ids)
            for k in range(2)
        ],
    )
    env.invalidate_all()
    return env["service.order"].browse(order_ids)


def main():
    args = parse_args("Spare parts: reservation and forecast", 10_000, configure=_configure)
    bench = Bench(args.title)
    with environment(args.db, args.addons_path) as env:
        orders = seed(env, args.size)
        with bench.measure(
            env,
            "reserve parts of scheduled orders",
            records=args.size,
            note=f"batches of {args.batch}",
        ):
            for start in range(0, len(orders), args.batch):
                orders[start : start + args.batch].part_ids._parts_reserve()
        moves = env["stock.move"].search_count(
            [("picking_id.service_order_id", "in", orders.ids), ("state", "=", "assigned")]
        )
        if moves != 2 * args.size:
            raise SystemExit(f"{moves} reserved moves instead of {2 * args.size}")
        env.invalidate_all()
        with bench.measure(env, "forecast per part, warehouse and week", records=args.size):
            groups = env["service.parts.forecast"]._read_group(
                [("service_order_id", "in", orders.ids)],
                ["product_id", "warehouse_id", "date:week"],
                ["quantity:sum"],
            )
        if not groups:
            raise SystemExit("empty forecast")
    bench.print_table()


if __name__ == "__main__":
    main()
