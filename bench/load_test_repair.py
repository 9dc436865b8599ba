"""The load test's twin on Odoo's own ``repair.order``: the same clients, the
same number of JSON-RPC calls per order, each call labelled as the load
test's call it stands for, driving repairs through repair's own workflow.

    python bench/load_test_repair.py --db <db> [--clients 8] [--orders 200]
                                     [--port 8270]

The database needs Odoo's ``repair`` module (install it in the benchmark
database only: ``odoo-bin -d <db> -i repair``). ``bench/load_compare.py``
runs this and ``bench/load_test.py`` against one server, interleaved.

One order, call by call (label: service order call / repair call):

| label | service.order (load_test.py) | repair.order (this twin) |
|---|---|---|
| create | create | create, with one part line (a consumable) |
| action_assess | action_assess | action_validate (draft -> confirmed, part move confirmed) |
| write (reason) | write cancel_reason | write internal_notes |
| action_cancel | action_cancel | action_repair_cancel |
| action_approve | action_approve (approver) | write priority (approver) |
| action_schedule | action_schedule | write schedule_date and responsible |
| action_start | action_start | action_repair_start |
| write (work) | write resolution | write internal_notes |
| action_finish | action_finish | action_repair_end (-> repaired, stock moves done) |
| write (sign) | write signature and signer | write internal_notes |
| action_accept | action_accept | action_create_sale_order (quotation for the part) |
| feedback | create service.feedback | message_post of the customer's comment |
| read | read state | read state |

The orders stop at the same places as the load test's (a twentieth
cancelled, a twentieth left scheduled, a tenth left after finishing, a tenth
after accepting).
"""

import argparse
import datetime
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from load_test import (
    Client,
    RpcError,
    Stats,
    add_common_args,
    finish_common_args,
    print_report,
    start_server,
    stop_server,
    target_state,
    xmlid_res_id,
)


def setup_twin(admin, args, tag):
    """Per client: a customer, an author and an approver (inventory users and
    salesmen: repair's own rights), a technician; one consumable part."""
    groups = [
        xmlid_res_id(admin, "stock", "group_stock_user"),
        xmlid_res_id(admin, "sales_team", "group_sale_salesman"),
    ]
    product = admin.call(
        "product.product",
        "create",
        {"name": f"RT drain pump {tag}", "type": "consu", "list_price": 35.0},
        label="setup",
    )
    partners = admin.call(
        "res.partner",
        "create",
        [
            {"name": f"RT customer {tag}-{i}", "email": f"rt_{tag}_customer_{i}@example.com"}
            for i in range(args.clients)
        ],
        label="setup",
    )
    password = f"rt-{tag}"
    roles = (("author", True), ("approver", True), ("tech", False))
    users = {}
    for role, logs_in in roles:
        users[role] = admin.call(
            "res.users",
            "create",
            [
                dict(
                    {
                        "name": f"RT {role} {tag}-{i}",
                        "login": f"rt_{tag}_{role}_{i}",
                        "email": f"rt_{tag}_{role}_{i}@example.com",
                        "groups_id": [(6, 0, groups)],
                    },
                    **({"password": password} if logs_in else {}),
                )
                for i in range(args.clients)
            ],
            label="setup",
        )
    clients = [
        {
            "index": i,
            "partner": partners[i],
            "users": {role: users[role][i] for role, _logs_in in roles},
        }
        for i in range(args.clients)
    ]
    return {"product": product, "password": password, "clients": clients, "tag": tag}


def note(client, repair_id, text):
    client.call("repair.order", "write", [repair_id], {"internal_notes": text}, label="write")


def run_twin_client(url, args, setup_data, spec, count, stats, results, stop_at):
    i = spec["index"]
    db, password, tag = args.db, setup_data["password"], setup_data["tag"]
    author = Client(url, db, f"rt_{tag}_author_{i}", password, stats)
    approver = Client(url, db, f"rt_{tag}_approver_{i}", password, stats)
    try:
        author.authenticate()
        approver.authenticate()
    except RpcError as exc:
        stats.fail(exc, f"client {i} login")
        return
    base = datetime.datetime.now(datetime.UTC).replace(
        tzinfo=None, hour=8, minute=0, second=0, microsecond=0
    ) + datetime.timedelta(days=1)
    model = "repair.order"
    for k in range(count):
        if time.monotonic() > stop_at:
            stats.fail(
                RpcError("timeout", "--max-seconds reached", server_error=False),
                f"client {i} stopped after {k} of {count} orders",
            )
            return
        target = target_state(k)
        start = base + datetime.timedelta(hours=k)
        vals = {
            "partner_id": spec["partner"],
            "user_id": spec["users"]["tech"],
            "priority": "0",
            "schedule_date": start.strftime("%Y-%m-%d %H:%M:%S"),
            "internal_notes": f"<p>Load test repair {k} of client {i}</p>",
            "move_ids": [
                (
                    0,
                    0,
                    {
                        "product_id": setup_data["product"],
                        "product_uom_qty": 1.0,
                        "repair_line_type": "add",
                    },
                )
            ],
        }
        repair_id, reached, step = None, None, "create"

        try:
            repair_id = author.call(model, "create", vals, label="create")
            reached = "new"
            author.call(model, "action_validate", [repair_id], label="action_assess")
            reached = "assessed"
            if target == "cancelled":
                step = "reason"
                note(author, repair_id, "<p>Customer bought a new machine.</p>")
                step = "action_cancel"
                author.call(model, "action_repair_cancel", [repair_id], label="action_cancel")
                reached = "cancelled"
            else:
                step = "action_approve"
                approver.call(model, "write", [repair_id], {"priority": "1"}, label=step)
                reached = "approved"
                step = "action_schedule"
                later = (start + datetime.timedelta(minutes=10)).strftime("%Y-%m-%d %H:%M:%S")
                author.call(
                    model,
                    "write",
                    [repair_id],
                    {"schedule_date": later, "user_id": spec["users"]["tech"]},
                    label=step,
                )
                reached = "scheduled"
                if target != "scheduled":
                    step = "action_start"
                    author.call(model, "action_repair_start", [repair_id], label=step)
                    reached = "in_progress"
                    step = "work"
                    note(author, repair_id, "<p>Pump cleared, test cycle passed.</p>")
                    step = "action_finish"
                    author.call(model, "action_repair_end", [repair_id], label=step)
                    reached = "to_accept"
                if target in ("done", "closed"):
                    step = "sign"
                    note(author, repair_id, f"<p>Signed by RT customer {i}.</p>")
                    step = "action_accept"
                    author.call(model, "action_create_sale_order", [repair_id], label=step)
                    reached = "done"
                if target == "closed":
                    step = "feedback"
                    author.call(
                        model,
                        "message_post",
                        [repair_id],
                        body="Score 5/5 by phone: quick and clean.",
                        message_type="comment",
                        subtype_xmlid="mail.mt_note",
                        label="feedback",
                    )
                    step = "read"
                    state = author.call(model, "read", [repair_id], ["state"], label="read")[0][
                        "state"
                    ]
                    if state != "done":
                        raise RpcError("state", f"repair {repair_id} is {state}", False)
                    reached = "closed"
        except RpcError as exc:
            stats.fail(exc, f"client {i} repair {repair_id} at {step}")
        with stats.lock:
            results.append((repair_id, target, reached))


def run_clients(url, args, setup_data, client_fn, stats, max_seconds):
    """Run one thread per client of ``setup_data`` with ``client_fn`` over
    ``args.orders`` orders; return (elapsed seconds, results)."""
    clients = setup_data["clients"]
    share = [args.orders // len(clients)] * len(clients)
    for i in range(args.orders % len(clients)):
        share[i] += 1
    results = []
    stop_at = time.monotonic() + max_seconds
    threads = [
        threading.Thread(
            target=client_fn,
            args=(url, args, setup_data, spec, share[n], stats, results, stop_at),
            daemon=True,
        )
        for n, spec in enumerate(clients)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(0.1, stop_at + 180 - time.monotonic()))
    return time.perf_counter() - started, results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_args(parser, db_help="database with repair installed", clients=8, orders=200)
    args = finish_common_args(parser.parse_args(argv), "load_test_repair")
    args.sla_model = args.sla_method = None
    logfile = args.logfile
    proc, url = start_server(args, logfile)
    try:
        stats = Stats()
        admin = Client(url, args.db, args.admin_login, args.admin_password, stats)
        admin.authenticate()
        setup_data = setup_twin(admin, args, time.strftime("%H%M%S"))
        elapsed, results = run_clients(
            url, args, setup_data, run_twin_client, stats, args.max_seconds
        )
        print_report(args, stats, elapsed, results, {}, {"name": "none", "id": 0})
    finally:
        stop_server(proc)
    failed = stats.server_errors + stats.business_errors
    missed = [r for r in results if r[1] != r[2]]
    print(f"{len(failed)} failed call(s), {len(missed)} repair(s) short of their target")
    for line in (failed + [str(m) for m in missed])[:5]:
        print("  " + line[:300])
    return 1 if failed or missed or len(results) != args.orders else 0


if __name__ == "__main__":
    sys.exit(main())
