"""Benchmark of service_contract: a year of planned maintenance visits.

    python bench/bench_contract.py --db <db> [--size 10000] [--per-contract 100]

Seeds ``--size`` installed products covered by contracts of
``--per-contract`` products each (SQL bulk insert; frequencies cycle through
annual, semi-annual, quarterly and monthly, one part per visit on every
other product), then measures: generating the annual plans' visits (one
call for all plans), one call of the job that turns due visits into service
orders, one call of the missed-visit job, and the parts forecast and the
contract compliance KPI over them. Everything is rolled back at the end.
"""

import os
import sys
from datetime import date, datetime

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import Bench, bulk_insert, environment, parse_args

FREQUENCIES = ("annual", "semi_annual", "quarterly", "monthly")


def _configure(parser):
    parser.add_argument(
        "--per-contract", type=int, default=100, help="installed products per contract"
    )


def seed(env, size, per_contract):
    company = env.company
    now = datetime.utcnow().replace(microsecond=0)
    year = date.today().year
    uid = env.uid
    product = env["product.product"].create({"name": "Bench curtain-wall unit"})
    part = env["product.product"].create({"name": "Bench gasket", "is_storable": True})
    category = env["service.category"].create({"name": "Bench maintenance"})
    count = max(1, size // per_contract)
    partners = env["res.partner"].create(
        [{"name": f"Bench contract customer {n}"} for n in range(count)]
    )
    contracts = env["service.contract"].create(
        [
            {
                "partner_id": partner.id,
                "date_start": date(year, 1, 1),
                "date_end": date(year, 12, 31),
                "category_ids": [(6, 0, category.ids)],
                "order_lead_days": 14,
            }
            for partner in partners
        ]
    )
    contracts.write({"state": "running"})  # superuser: the seed skips the buttons
    env.flush_all()
    installed_ids = bulk_insert(
        env.cr,
        "service_installed_product",
        ["name", "active", "product_id", "partner_id", "company_id", "create_uid",
         "write_uid", "create_date", "write_date"],
        [
            (f"BENCH-IP{n}", True, product.id, partners[n % count].id, company.id, uid, uid,
             now, now)
            for n in range(size)
        ],
    )  # fmt: skip
    line_ids = bulk_insert(
        env.cr,
        "service_contract_line",
        ["contract_id", "installed_product_id", "frequency", "sequence", "company_id",
         "create_uid", "write_uid", "create_date", "write_date"],
        [
            (contracts[n % count].id, installed_id, FREQUENCIES[n % 4], 10, company.id, uid,
             uid, now, now)
            for n, installed_id in enumerate(installed_ids)
        ],
    )  # fmt: skip
    bulk_insert(
        env.cr,
        "service_contract_line_part",
        ["line_id", "product_id", "quantity", "company_id", "create_uid", "write_uid",
         "create_date", "write_date"],
        [(line_id, part.id, 1.0, company.id, uid, uid, now, now) for line_id in line_ids[::2]],
    )  # fmt: skip
    env.invalidate_all()
    plans = env["service.contract.plan"].create(
        [{"contract_id": contract.id, "year": year} for contract in contracts]
    )
    return contracts, plans


def main():
    args = parse_args("Maintenance contracts: a year of visits", 10_000, configure=_configure)
    bench = Bench(args.title)
    with environment(args.db, args.addons_path) as env:
        contracts, plans = seed(env, args.size, args.per_contract)
        with bench.measure(
            env,
            "generate a year of visits",
            records=args.size,
            note=f"{len(plans)} plans, one call",
        ):
            plans.action_generate_visits()
        visits = env["service.contract.visit"].search_count([("plan_id", "in", plans.ids)])
        expected = sum((12 // m) * len(range(f, args.size, 4))
                       for f, m in enumerate((12, 6, 3, 1)))  # fmt: skip
        if visits != expected:
            raise SystemExit(f"{visits} visits instead of {expected}")
        plans.write({"state": "approved"})  # superuser: approval is not measured here
        env.invalidate_all()
        Visit = env["service.contract.visit"]
        batch = 200
        with bench.measure(env, "create orders of due visits", records=batch, note="one job call"):
            created = Visit._cron_create_orders(batch_size=batch)
        if created != batch:
            raise SystemExit(f"{created} orders created instead of {batch}")
        env.invalidate_all()
        with bench.measure(env, "flag missed visits", records=500, note="one job call"):
            Visit._cron_flag_missed(batch_size=500)
        env.invalidate_all()
        with bench.measure(env, "planned parts in the forecast per week", records=visits):
            groups = env["service.parts.forecast"]._read_group(
                [("source", "=", "planned_visit")], ["product_id", "date:week"], ["quantity:sum"]
            )
        if not groups:
            raise SystemExit("no planned demand in the forecast")
        with bench.measure(env, "contract compliance KPI per contract", records=visits):
            env["service.kpi.report"].get_kpi_values([("row_type", "=", "visit")], ["contract_id"])
    bench.print_table()


if __name__ == "__main__":
    main()
