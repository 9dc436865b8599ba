"""Service orders against their ``repair.order`` twin, one server, one run.

    python bench/load_compare.py --db <db> [--clients 8] [--orders 200]
                                 [--repeats 3] [--port 8270] [--no-sla]

Starts Odoo once (``--workers 2 --max-cron-threads 1``, as the load test),
then runs ``--repeats`` pairs: the load test's clients driving service
orders (``bench/load_test.py``, with its SLA trigger unless ``--no-sla``)
and the same clients driving repairs (``bench/load_test_repair.py``), in
alternating order (A B, B A, ...) so that a drift of the machine falls on
both. Each run has ``--clients`` clients and ``--orders`` orders. Prints per
run and side the p50 and p95 latency of the scenario calls (logins left
out) and the requests per second, then the medians over the runs and the
ratios service/repair (median of the pairs' ratios), and per call label
the medians of both sides. Exits non-zero when a call failed or an order
missed its target state.
"""

import argparse
import os
import statistics
import sys
import threading
import time
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from load_test import (
    Client,
    Stats,
    add_common_args,
    find_sla_cron,
    finish_common_args,
    percentile,
    run_client,
    run_sla_trigger,
    setup,
    start_server,
    stop_server,
)
from load_test_repair import run_clients, run_twin_client, setup_twin

SKIP_LABELS = {"setup", "verify", "login", "sla manual run", "sla wake-up"}


def measure(stats, elapsed):
    values = [v for label, vs in stats.latencies.items() if label not in SKIP_LABELS for v in vs]
    return {
        "p50": percentile(values, 50),
        "p95": percentile(values, 95),
        "rps": len(values) / elapsed if elapsed else 0.0,
        "calls": len(values),
        "labels": {
            label: percentile(vs, 50) for label, vs in stats.latencies.items()
            if label not in SKIP_LABELS
        },
        "labels95": {
            label: percentile(vs, 95) for label, vs in stats.latencies.items()
            if label not in SKIP_LABELS
        },
    }  # fmt: skip


def run_side(side, url, args, admin, run_no):
    tag = f"{time.strftime('%H%M%S')}{run_no}"
    stats = Stats()
    if side == "service":
        data = setup(admin, args, tag)
        data["tag"] = tag
        client_fn = run_client
    else:
        data = setup_twin(admin, args, tag)
        client_fn = run_twin_client
    stop_event = threading.Event()
    trigger = None
    if side == "service" and args.sla:
        cron = find_sla_cron(admin, "service.order", "_cron_sla_sweep")
        if cron:
            trigger_client = Client(url, args.db, args.admin_login, args.admin_password, stats)
            trigger_client.authenticate()
            trigger = threading.Thread(
                target=run_sla_trigger,
                args=(trigger_client, cron, stats, stop_event, args.sla_interval, Counter()),
                daemon=True,
            )
            trigger.start()
    elapsed, results = run_clients(url, args, data, client_fn, stats, args.max_seconds)
    stop_event.set()
    if trigger:
        trigger.join(300)
    errors = stats.server_errors + stats.business_errors
    missed = [r for r in results if r[1] != r[2]]
    result = measure(stats, elapsed)
    result.update(errors=errors, missed=missed, orders=len(results), elapsed=elapsed)
    return result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_args(
        parser,
        db_help="database with the addons and repair",
        clients=8,
        orders=200,
        orders_help="orders per run",
    )
    parser.add_argument("--repeats", type=int, default=3, help="pairs of runs")
    parser.add_argument("--no-sla", dest="sla", action="store_false", help="no SLA trigger")
    parser.add_argument("--sla-interval", type=float, default=2.0)
    args = finish_common_args(parser.parse_args(argv), "load_compare")
    logfile = args.logfile
    print(f"Starting Odoo on 127.0.0.1:{args.port} (log {logfile})", flush=True)
    proc, url = start_server(args, logfile)
    runs = []  # (service result, repair result)
    try:
        admin = Client(url, args.db, args.admin_login, args.admin_password)
        admin.authenticate()
        # warm both sides' code paths in every worker before measuring
        warm = argparse.Namespace(**vars(args))
        warm.orders, warm.clients = 4, 2
        for side in ("service", "repair"):
            run_side(side, url, warm, admin, 0)
        for r in range(args.repeats):
            order = ("service", "repair") if r % 2 == 0 else ("repair", "service")
            pair = {}
            for side in order:
                pair[side] = run_side(side, url, args, admin, r + 1)
                res = pair[side]
                print(
                    f"run {r + 1} {side:7}: {res['orders']} orders, {res['calls']} calls in "
                    f"{res['elapsed']:.1f} s: p50 {res['p50'] * 1000:.0f} ms, "
                    f"p95 {res['p95'] * 1000:.0f} ms, {res['rps']:.1f} req/s"
                    + (f", {len(res['errors'])} failed call(s)" if res["errors"] else "")
                    + (f", {len(res['missed'])} order(s) short" if res["missed"] else ""),
                    flush=True,
                )
            runs.append((pair["service"], pair["repair"]))
    finally:
        stop_server(proc)

    def med(side, key):
        return statistics.median(p[side][key] for p in runs)

    def ratio(key):
        return statistics.median(s[key] / r[key] for s, r in runs if r[key])

    print(
        f"\n## Interactive load: {args.clients} clients x {args.orders} orders, "
        f"{args.repeats} interleaved pairs, SLA trigger {'on' if args.sla else 'off'}\n"
    )
    print("| side | p50 ms | p95 ms | req/s |")
    print("|---|---:|---:|---:|")
    for name, idx in (("service.order", 0), ("repair.order twin", 1)):
        print(
            f"| {name} | {med(idx, 'p50') * 1000:.0f} | {med(idx, 'p95') * 1000:.0f} | "
            f"{med(idx, 'rps'):.1f} |"
        )
    rps = statistics.median(r["rps"] / s["rps"] for s, r in runs if s["rps"])
    print(
        f"| ratio (median of pairs) | {ratio('p50'):.2f}x | {ratio('p95'):.2f}x | "
        f"{rps:.2f}x fewer |"
    )
    labels = sorted(set().union(*(p[0]["labels"].keys() | p[1]["labels"].keys() for p in runs)))
    print("\n| call | service p50 ms | repair p50 ms | service p95 ms | repair p95 ms |")
    print("|---|---:|---:|---:|---:|")
    for label in labels:
        cells = []
        for key in ("labels", "labels95"):
            for idx in (0, 1):
                values = [p[idx][key][label] for p in runs if label in p[idx][key]]
                cells.append(f"{statistics.median(values) * 1000:.0f}" if values else "-")
        print(f"| {label} | {cells[0]} | {cells[1]} | {cells[2]} | {cells[3]} |")
    failures = [e for p in runs for side in p for e in side["errors"] + side["missed"]]
    print(f"\n{len(failures)} failed call(s) or order(s) short of their target")
    for line in failures[:5]:
        print("  " + str(line)[:300])
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
