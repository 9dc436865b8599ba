"""Benchmark of quoting and invoicing service orders (service_sale).

    python bench/bench_service_sale.py --db <db> [--size 10000] [--batch 500] [--profile]

Creates ``--size`` service orders (ORM, in batches), one quote per order with a
labour and a part line priced from a pricelist with taxes (ORM create: the
pricing and tax computations run), the customer's acceptance, then the
invoicing of the done orders in batches of ``--batch`` (confirmed sale order
and posted invoice per order, through Odoo's Sales and Invoicing) and the
revenue report grouped by category and technician. Prints a table:
operation, records, total s, s per 1,000, queries, peak RSS MB. Everything
is rolled back at the end. ``--profile`` adds a cProfile of the invoicing
(top functions by cumulative time) and its SQL queries grouped by statement
and table, the most frequent first.
"""

import contextlib
import cProfile
import io
import pstats
import re
import traceback
from collections import Counter
from datetime import datetime, timedelta

from common import Bench, environment, parse_args


def configure(parser):
    parser.add_argument("--batch", type=int, default=500, help="orders per invoicing batch")
    parser.add_argument(
        "--profile", action="store_true", help="cProfile and SQL shapes of the invoicing"
    )
    parser.add_argument("--top", type=int, default=40, help="lines shown by --profile")
    parser.add_argument(
        "--trace-table",
        default=None,
        help="with --profile: print where the SELECTs on this table come from",
    )


SQL_VERB = re.compile(r"^\s*(SELECT|INSERT INTO|UPDATE|DELETE FROM|WITH)\b\s*\"?(\w+)", re.I)
SQL_FROM = re.compile(r"\bFROM\s+\"?(\w+)", re.I)


def sql_shape(text):
    """(verb, first table) of a statement."""
    match = SQL_VERB.match(text)
    if not match:
        return (text.split(None, 1)[0] if text.strip() else "", "")
    verb = match.group(1).upper()
    if verb in ("SELECT", "WITH"):
        table = SQL_FROM.search(text)
        return (verb, table.group(1) if table else "")
    return (verb, match.group(2))


@contextlib.contextmanager
def profiled(env, enabled, top, trace_table=None):
    """cProfile the block and count its SQL statements per (verb, first
    table) when ``enabled``."""
    if not enabled:
        yield
        return
    shapes = Counter()
    callers = Counter()
    execute = env.cr.execute

    def counting_execute(query, params=None, log_exceptions=True):
        text = query.code if hasattr(query, "code") else str(query)
        shape = sql_shape(text)
        shapes[shape] += 1
        if trace_table and shape[1] == trace_table:
            frames = [
                f"{frame.filename.split('/addons/')[-1]}:{frame.lineno} {frame.name}"
                for frame in traceback.extract_stack()[:-2]
                if "/addons/" in frame.filename
            ]
            callers[" < ".join(reversed(frames[-6:]))] += 1
        return execute(query, params, log_exceptions)

    env.cr.execute = counting_execute
    profile = cProfile.Profile()
    profile.enable()
    try:
        yield
    finally:
        profile.disable()
        del env.cr.execute
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(top)
        print(out.getvalue())
        print("SQL statements by verb and table:")
        for (verb, table), count in shapes.most_common(top):
            print(f"{count:8d}  {verb} {table}")
        if trace_table:
            print(f"Where the statements on {trace_table} come from:")
            for stack, count in callers.most_common(15):
                print(f"{count:8d}  {stack}")


def seed(env, size, batch):
    from odoo import Command

    tax = env["account.tax"].create(
        {"name": "Bench VAT 13%", "amount": 13.0, "amount_type": "percent", "type_tax_use": "sale"}
    )
    labour = env["product.product"].create(
        {
            "name": "Bench labour",
            "type": "service",
            "list_price": 80.0,
            "taxes_id": [Command.set(tax.ids)],
        }
    )
    part = env["product.product"].create(
        {
            "name": "Bench part",
            "is_storable": True,
            "list_price": 120.0,
            "taxes_id": [Command.set(tax.ids)],
        }
    )
    pricelist = env["product.pricelist"].create(
        {
            "name": "Bench pricelist",
            "item_ids": [
                Command.create(
                    {
                        "applied_on": "0_product_variant",
                        "product_id": part.id,
                        "compute_price": "fixed",
                        "fixed_price": 100.0,
                    }
                )
            ],
        }
    )
    partners = env["res.partner"].create(
        [
            {"name": f"Bench customer {i}", "property_product_pricelist": pricelist.id}
            for i in range(50)
        ]
    )
    category = env["service.category"].create(
        {"name": "Bench repair", "labour_product_id": labour.id}
    )
    start = datetime(2025, 1, 1, 8, 0)
    orders = env["service.order"]
    for offset in range(0, size, batch):
        orders |= env["service.order"].create(
            [
                {
                    "partner_id": partners[i % len(partners)].id,
                    "category_id": category.id,
                    "received_at": start + timedelta(minutes=i),
                    "diagnosis": "Worn belt",
                    "plan": "Replace belt",
                }
                for i in range(offset, min(offset + batch, size))
            ]
        )
        env.flush_all()
    return orders, labour, part


def main():
    args = parse_args("Service quotes and invoices", default_size=10_000, configure=configure)
    bench = Bench(args.title)
    context = {"tracking_disable": True, "mail_notrack": True, "mail_create_nolog": True}
    with environment(args.db, args.addons_path, context=context) as env:
        orders, labour, part = seed(env, args.size, args.batch)
        from odoo import Command

        Quote = env["service.quote"]
        quotes = Quote.browse()
        with bench.measure(env, "quote: create versions with priced lines", records=args.size):
            for offset in range(0, args.size, args.batch):
                chunk = orders[offset : offset + args.batch]
                quotes |= Quote.create(
                    [
                        {
                            "order_id": order.id,
                            "line_ids": [
                                Command.create(
                                    {
                                        "line_type": "labour",
                                        "product_id": labour.id,
                                        "quantity": 1.5,
                                    }
                                ),
                                Command.create(
                                    {"line_type": "part", "product_id": part.id, "quantity": 1.0}
                                ),
                            ],
                        }
                        for order in chunk
                    ]
                )
                env.flush_all()
        with bench.measure(env, "quote: customer acceptance", records=args.size):
            quotes._workflow_write({"state": "sent"})
            for offset in range(0, args.size, args.batch):
                quotes[offset : offset + args.batch].action_accept(
                    signature="iVBORw0KGgo=", signed_by="Bench"
                )
                env.flush_all()
        invoices = env["account.move"]
        with (
            bench.measure(env, "invoice: sale order + posted invoice", records=args.size),
            profiled(env, args.profile, args.top, args.trace_table),
        ):
            for offset in range(0, args.size, args.batch):
                invoices |= orders[offset : offset + args.batch]._service_invoice()
                env.flush_all()
                env.invalidate_all()
        assert len(invoices) == args.size, (len(invoices), args.size)
        total = sum(invoices.mapped("amount_total"))
        with bench.measure(env, "report: revenue by category and technician", records=args.size):
            env["service.sale.report"]._read_group(
                [("order_id", "in", orders.ids)], ["category_id", "user_id"], ["revenue:sum"]
            )
        bench.rows[-1].note = f"invoiced total {total:,.2f}"
    bench.print_table()


if __name__ == "__main__":
    main()
