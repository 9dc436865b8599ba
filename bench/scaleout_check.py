"""Scale-out check: the load test's clients through a load balancer in front
of two Odoo nodes that share one PostgreSQL primary (and read from its
streaming replica), while both nodes run every job. Started by
``scripts/scaleout.sh``, which sets up the primary, the replica, the nodes
and nginx; this script only talks to them.

    python bench/scaleout_check.py --db DB --url http://127.0.0.1:8895 \\
        --node http://127.0.0.1:8891 --node http://127.0.0.1:8893 \\
        --log node1.log --log node2.log --access-log access.log \\
        --primary-port 5491 --replica-port 5492 --smtp-port 8896 \\
        [--clients 20] [--orders 2000] [--parts-orders N] [--max-seconds 1800]

What runs at the same time:

* ``--clients`` threads of ``bench/load_test.py`` (same set-up, same order
  life cycle, same calls) over JSON-RPC through the balancer;
* a parts lane: orders with a spare part line driven to *in progress*, then
  *Consume Parts* clicked on node 1 and node 2 at the same moment;
* a job lane: every job of the product (each ``ir.cron`` of our addons)
  started by hand on both nodes at the same moment
  (``method_direct_trigger``), and these jobs and Odoo's mail queue woken
  up for the cron workers of both nodes (``nextcall`` = now), over and over;
* an SMTP sink on loopback: the nodes' outgoing mail server.

Then it checks, printing one PASSED/FAILED line per check, and exits 1 if
any failed: no HTTP 5xx at the balancer, no server error nor refused call,
no ERROR in either node's log, both nodes served requests and ran jobs from
their cron workers, every order in the state its client drove it to (no lost
update), order numbers unique, no breach or message notified twice, each
done order's completion email queued once and delivered once per recipient,
no mail sent twice, each consumed part with exactly one stock move and the
on-hand quantity lowered exactly once, the same session valid on both nodes
and the websocket upgraded through the balancer, and the KPI report read
through the balancer as a read-only request served by the replica with the
same figures as read on the primary.
"""

import argparse
import collections
import datetime
import email
import os
import re
import signal
import socketserver
import sys
import threading
import time

import psycopg2
import requests
import websocket

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import load_test as lt  # the load test's clients and scenario

ADDON_MODULES = (
    "service_quality",
    "service_training",
    "equipment_care",
    "service_installed_base",
    "service_sale",
    "service_audit",
    "service_parts",
)
MAIL_CRON_XMLID = ("mail", "ir_cron_mail_scheduler_action")
KPI_GROUPBY = ["row_type", "state"]
KPI_FIELDS = [
    "order_count:sum",
    "closed_count:sum",
    "open_count:sum",
    "at_risk_count:sum",
    "breached_count:sum",
    "complaint_count:sum",
]


class Deadline(float):
    """The end of the load (a ``time.monotonic()`` value) that SIGUSR1 brings
    forward: every lane compares the clock with it before each order
    (``time.monotonic() > stop_at``), so a run that would take too long can
    be ended early (``kill -USR1 <pid>``) and is still checked: the orders
    not driven count as not finished."""

    stopped = threading.Event()

    def __lt__(self, other):  # time.monotonic() > deadline
        return self.stopped.is_set() or float(self) < other

    def __gt__(self, other):  # time.monotonic() < deadline
        return not self.stopped.is_set() and float(self) > other

    @classmethod
    def stop(cls, *_signal):
        cls.stopped.set()
        print("SIGUSR1: the lanes stop before their next order", flush=True)


# ----------------------------------------------------------------------
# SMTP sink: the outgoing mail server of both nodes
# ----------------------------------------------------------------------
class SmtpSink(socketserver.ThreadingTCPServer):
    """Accepts every mail and keeps (Message-Id, recipients) of each."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port):
        super().__init__(("127.0.0.1", port), SmtpHandler)
        self.lock = threading.Lock()
        self.received = collections.Counter()  # (message id, recipients) -> times

    def add(self, message_id, recipients):
        with self.lock:
            self.received[(message_id, tuple(sorted(recipients)))] += 1


class SmtpHandler(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.reply("220 sink ESMTP")
        recipients = []
        while True:
            line = self.rfile.readline()
            if not line:
                return
            command = line.decode(errors="replace").strip()
            verb = command[:4].upper()
            if verb == "EHLO":
                self.reply("250-sink")
                self.reply("250-8BITMIME")
                self.reply("250 SMTPUTF8")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip().strip("<>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                data = []
                while True:
                    chunk = self.rfile.readline()
                    if not chunk or chunk in (b".\r\n", b".\n"):
                        break
                    data.append(chunk)
                message = email.message_from_bytes(b"".join(data))
                self.server.add((message["Message-Id"] or "").strip(), recipients)
                recipients = []
                self.reply("250 OK queued")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            elif verb == "RSET":
                recipients = []
                self.reply("250 OK")
            else:  # HELO, MAIL, NOOP
                self.reply("250 OK")


# ----------------------------------------------------------------------
# Lanes
# ----------------------------------------------------------------------
def product_crons(admin):
    """Every job of our addons, and the mail queue."""
    rows = admin.call(
        "ir.model.data",
        "search_read",
        [
            ("model", "=", "ir.cron"),
            "|",
            ("module", "in", ADDON_MODULES),
            "&",
            ("module", "=", MAIL_CRON_XMLID[0]),
            ("name", "=", MAIL_CRON_XMLID[1]),
        ],
        fields=["res_id", "module", "name"],
        label="setup",
    )
    crons = admin.call(
        "ir.cron",
        "search_read",
        [("id", "in", [r["res_id"] for r in rows]), ("active", "=", True)],
        fields=["name", "cron_name"],
        label="setup",
    )
    xmlids = {r["res_id"]: f"{r['module']}.{r['name']}" for r in rows}
    for cron in crons:
        cron["xmlid"] = xmlids[cron["id"]]
    return sorted(crons, key=lambda c: c["id"])


def by_hand(cron):
    """Whether the check starts this job by hand. Not Odoo's mail queue: it
    commits while it sends, which releases the job's lock of a run started
    by hand, so a second run started by hand on the other node meanwhile
    trips over the mails the first one deleted (MissingError, logged as
    "Failed processing mail queue"; nothing is sent twice). The cron workers
    hold the lock for the whole run: the mail queue runs from them only."""
    return cron["xmlid"] != ".".join(MAIL_CRON_XMLID)


def wake_up(admin, cron_ids, stats, counters):
    """Make jobs due now: the cron workers of both nodes are notified."""
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S")
    try:
        admin.call("ir.cron", "write", list(cron_ids), {"nextcall": now}, label="job wake-up")
        counters["cron worker wake-ups"] += 1
    except lt.RpcError as exc:
        if exc.server_error:
            stats.fail(exc, "job wake-up")
        else:  # "This cron task is currently being executed": it runs anyway
            counters["wake-up refused (job running)"] += 1


def trigger_on_both(node_admins, cron, stats, counters):
    """Start one job by hand on every node at the same moment."""

    def run(index, client):
        try:
            client.call("ir.cron", "method_direct_trigger", [cron["id"]], label="job manual run")
            counters[("ran", index, cron["xmlid"])] += 1
        except lt.RpcError as exc:
            if exc.server_error:
                stats.fail(exc, f"job {cron['xmlid']} on node {index + 1}")
            else:  # "This cron task is currently being executed": the other node has it
                counters[("busy", index, cron["xmlid"])] += 1

    threads = [
        threading.Thread(target=run, args=(index, client))
        for index, client in enumerate(node_admins)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def run_jobs(admin, node_admins, crons, frequent_ids, stats, stop_event, interval, counters):
    """The job lane: the SLA sweep and the mail queue every round, one other
    job in turn; by hand on both nodes (the mail queue excepted, see
    ``by_hand``), then woken for both cron workers."""
    frequent = [c for c in crons if c["id"] in frequent_ids]
    others = [c for c in crons if c not in frequent]
    turn = 0
    while not stop_event.wait(interval):
        chosen = list(frequent)
        if others:
            chosen.append(others[turn % len(others)])
            turn += 1
        for cron in filter(by_hand, chosen):
            trigger_on_both(node_admins, cron, stats, counters)
        wake_up(admin, [c["id"] for c in chosen], stats, counters)


def setup_parts(admin, tag, count):
    """A storable part with stock for the parts lane."""
    warehouse = admin.call(
        "stock.warehouse", "search_read", [], fields=["lot_stock_id"], limit=1, label="setup"
    )[0]
    location = warehouse["lot_stock_id"][0]
    product = admin.call(
        "product.product",
        "create",
        {"name": f"Scale-out part {tag}", "type": "consu", "is_storable": True},
        label="setup",
    )
    quant = admin.call(
        "stock.quant",
        "create",
        {"product_id": product, "location_id": location, "inventory_quantity": count + 100},
        label="setup",
        context={"inventory_mode": True},
    )
    admin.call("stock.quant", "action_apply_inventory", [quant], label="setup")
    return {"product": product, "location": location, "stock": count + 100}


def run_parts(url, node_urls, args, setup_data, parts, count, stats, outcome, stop_at):
    """Orders with one part line, started, then consumed on both nodes at once."""
    spec = setup_data["clients"][0]
    db, password, tag = args.db, setup_data["password"], setup_data["tag"]
    author = lt.Client(url, db, f"lt_{tag}_author_0", password, stats)
    approver = lt.Client(url, db, f"lt_{tag}_approver_0", password, stats)
    racers = [lt.Client(u, db, f"lt_{tag}_author_0", password, stats) for u in node_urls]
    try:
        for client in (author, approver, *racers):
            client.authenticate()
    except lt.RpcError as exc:
        stats.fail(exc, "parts lane login")
        return
    # Slots far from the load clients' (tomorrow + k hours) for the same technician.
    base = datetime.datetime.now(datetime.UTC).replace(
        tzinfo=None, hour=8, minute=0, second=0, microsecond=0
    ) + datetime.timedelta(days=60)
    fields = setup_data["order_fields"]
    for k in range(count):
        if time.monotonic() > stop_at:
            stats.fail(
                lt.RpcError("timeout", "--max-seconds reached", server_error=False),
                f"parts lane stopped after {k} of {count} orders",
            )
            return
        start = base + datetime.timedelta(hours=k)
        vals = {
            "partner_id": spec["partner"],
            "channel": "phone",
            "category_id": setup_data["category"],
            "priority": "0",
            "description": f"<p>Scale-out parts order {k}</p>",
            "user_id": spec["users"]["tech"],
            "appointment_start": start.strftime("%Y-%m-%d %H:%M:%S"),
            "appointment_end": (start + datetime.timedelta(minutes=50)).strftime(
                "%Y-%m-%d %H:%M:%S"
            ),
            "part_ids": [(0, 0, {"product_id": parts["product"], "quantity": 1})],
        }
        vals.update({f: v for f, v in lt.OPTIONAL_TEXT_FIELDS.items() if f in fields})
        order_id, step = None, "create"
        try:
            order_id = author.call("service.order", "create", vals, label="create")
            for step, who in (
                ("action_assess", author),
                ("action_approve", approver),
                ("action_schedule", author),
                ("action_start", author),
            ):
                who.call("service.order", step, [order_id], label=step)
        except lt.RpcError as exc:
            stats.fail(exc, f"parts order {order_id} at {step}")
            outcome["orders"].append((order_id, None))
            continue
        results = []

        def consume(client, order_id=order_id, results=results):
            try:
                client.call(
                    "service.order", "action_consume_parts", [order_id], label="consume race"
                )
                results.append("consumed")
            except lt.RpcError as exc:
                if exc.server_error:
                    stats.fail(exc, f"parts order {order_id} consumed on both nodes")
                    results.append("server error")
                else:  # the other node consumed it first: nothing left to consume
                    results.append("refused")

        threads = [threading.Thread(target=consume, args=(client,)) for client in racers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        outcome["orders"].append((order_id, tuple(sorted(results))))


# ----------------------------------------------------------------------
# Checks
# ----------------------------------------------------------------------
def scan_log(path):
    """ERROR lines (serialization conflicts Odoo retried excepted), and the
    jobs run by the node's cron worker and by hand."""
    errors, retried, worker_runs, manual_runs = [], 0, collections.Counter(), 0
    if not os.path.exists(path):
        return [f"{path} does not exist"], 0, worker_runs, 0
    with open(path, errors="replace") as log:
        lines = log.readlines()
    for index, line in enumerate(lines):
        if "odoo.addons.base.models.ir_cron" in line:
            if "started manually" in line:
                manual_runs += 1
            elif match := re.search(r"Job .* \((\d+)\) starting", line):
                worker_runs[int(match.group(1))] += 1
        if " ERROR " not in line and " CRITICAL " not in line:
            continue
        following = "".join(lines[index + 1 : index + 4])
        if "odoo.sql_db: bad query" in line and "could not serialize access" in following:
            retried += 1
            continue
        errors.append(line.strip())
    return errors, retried, worker_runs, manual_runs


def scan_access_log(path):
    statuses, upstreams, errors = collections.Counter(), collections.Counter(), []
    with open(path, errors="replace") as log:
        for line in log:
            match = re.search(r'" (\d{3}) upstream=(\S+)', line)
            if not match:
                continue
            status = int(match.group(1))
            statuses[status // 100 * 100] += 1
            upstreams[match.group(2)] += 1
            if status >= 500:
                errors.append(line.strip())
    return statuses, upstreams, errors


def drain_mail_queue(admin, mail_cron, stats, counters, timeout=300):
    """Wake the mail queue up for the cron workers until no mail waits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        waiting = admin.call(
            "mail.mail", "search_count", [("state", "=", "outgoing")], label="verify"
        )
        if not waiting:
            return 0
        wake_up(admin, [mail_cron["id"]], stats, counters)
        time.sleep(3)
    return waiting


def drain_job(admin, crons, model, domain, stats, counters, timeout=300, limit=3600):
    """Wake ``crons`` (the runners of one job) up for the cron workers until
    no ``model`` record matches ``domain`` (the work it still has to do, e.g.
    accepted orders whose signed report and completion email are queued by
    a job). Each runner is woken on its own: a running one refuses. The wait goes
    on while the backlog shrinks: it ends when nothing is left, when
    ``timeout`` seconds pass without progress, or after ``limit`` seconds
    (at full size the clicks outrun the rendering of one PDF per order, and
    the cron workers catch up after the load)."""
    start = time.monotonic()
    last, progress_at = None, start
    while True:
        left = admin.call(model, "search_count", domain, label="verify")
        now = time.monotonic()
        if not left:
            return 0
        if last is None or left < last:
            last, progress_at = left, now
        if now - progress_at > timeout or now - start > limit:
            return left
        for cron in crons:
            wake_up(admin, [cron["id"]], stats, counters)
        time.sleep(3)


def failed_mail_ids(admin):
    return set(admin.call("mail.mail", "search", [("state", "=", "exception")], label="verify"))


def check_mail(admin, results, sink, failed_before):
    checks = []
    done_ids = [oid for oid, _t, reached in results if oid and reached in ("done", "closed")]
    names = {}
    for chunk in lt._chunks(done_ids, 1000):
        for row in admin.call("service.order", "read", chunk, ["name"], label="verify"):
            names[row["id"]] = row["name"]
    mails = []
    for chunk in lt._chunks(done_ids, 1000):
        mails += admin.call(
            "mail.mail",
            "search_read",
            [("model", "=", "service.order"), ("res_id", "in", chunk)],
            fields=["res_id", "subject", "state", "message_id", "email_to", "recipient_ids"],
            label="verify",
        )
    completion = collections.Counter(
        m["res_id"]
        for m in mails
        if names.get(m["res_id"]) and f"{names[m['res_id']]} completed" in (m["subject"] or "")
    )
    wrong = [
        f"{names[oid]}: {completion.get(oid, 0)} completion email(s)"
        for oid in done_ids
        if completion.get(oid, 0) != 1
    ]
    checks.append(
        (
            "each done order's completion email queued once",
            not wrong,
            f"{len(done_ids) - len(wrong)}/{len(done_ids)} done or closed orders with one"
            + lt._first(wrong),
        )
    )
    unsent = [f"mail {m['subject']!r} is {m['state']}" for m in mails if m["state"] != "sent"]
    by_id = collections.Counter()
    for (message_id, _rcpt), times in sink.received.items():
        by_id[message_id] += times
    undelivered = [
        f"{m['subject']!r} ({m['message_id']})"
        for m in mails
        if m["state"] == "sent" and not by_id.get((m["message_id"] or "").strip())
    ]
    checks.append(
        (
            "every email of the orders sent and delivered",
            not unsent and not undelivered,
            f"{len(mails)} mail(s) on done orders, {len(unsent)} not sent, "
            f"{len(undelivered)} sent but not received" + lt._first(unsent + undelivered),
        )
    )
    failed = admin.call(
        "mail.mail",
        "read",
        sorted(failed_mail_ids(admin) - failed_before),
        ["subject", "failure_reason"],
        label="verify",
    )
    checks.append(
        (
            "no mail failed during the run",
            not failed,
            f"{len(failed)} mail(s) in exception, {len(failed_before)} failed before the run"
            + lt._first([f"{m['subject']!r}: {m['failure_reason']}" for m in failed]),
        )
    )
    doubles = [f"{key} x{n}" for key, n in sink.received.items() if n > 1]
    checks.append(
        (
            "no mail delivered twice",
            not doubles and sink.received,
            f"{sum(sink.received.values())} SMTP deliveries of {len(sink.received)} "
            f"distinct (Message-Id, recipients)" + lt._first(doubles),
        )
    )
    return checks


def check_parts(admin, parts, outcome):
    checks = []
    order_ids = [oid for oid, _r in outcome["orders"] if oid]
    bad_race = [f"order {oid}: {r}" for oid, r in outcome["orders"] if r != ("consumed", "refused")]
    checks.append(
        (
            "consume clicked on both nodes at once: one consumed, one refused",
            not bad_race and order_ids,
            f"{len(order_ids) - len(bad_race)}/{len(order_ids)} orders" + lt._first(bad_race),
        )
    )
    lines = admin.call(
        "service.order.part",
        "search_read",
        [("service_order_id", "in", order_ids)],
        fields=["state", "move_id", "quantity"],
        label="verify",
    )
    consumption = lt.xmlid_res_id(admin, "equipment_care", "stock_location_service_consumption")
    moves = admin.call(
        "stock.move",
        "search_read",
        [
            ("product_id", "=", parts["product"]),
            ("state", "=", "done"),
            ("location_dest_id", "=", consumption),
        ],
        fields=["product_uom_qty", "quantity"],
        label="verify",
    )
    line_moves = {line["move_id"][0] for line in lines if line["move_id"]}
    consumed = [line for line in lines if line["state"] == "consumed"]
    ok = (
        len(consumed) == len(lines) == len(order_ids)
        and len(moves) == len(lines)
        and line_moves == {m["id"] for m in moves}
    )
    checks.append(
        (
            "one stock move per consumed part, none twice",
            ok,
            f"{len(lines)} part line(s), {len(consumed)} consumed, {len(moves)} done move(s) "
            f"to Service Consumption, {len(line_moves)} linked to the lines",
        )
    )
    on_hand = admin.call(
        "product.product",
        "read",
        [parts["product"]],
        ["qty_available"],
        label="verify",
        context={"location": parts["location"]},
    )[0]["qty_available"]
    expected = parts["stock"] - sum(line["quantity"] for line in consumed)
    checks.append(
        (
            "on-hand quantity lowered exactly once per consumed part",
            abs(on_hand - expected) < 1e-6,
            f"on hand {on_hand:g} at the warehouse, expected {expected:g}",
        )
    )
    return checks


def check_unique_names(admin, ids):
    names = collections.Counter()
    for chunk in lt._chunks(ids, 1000):
        for row in admin.call("service.order", "read", chunk, ["name"], label="verify"):
            names[row["name"]] += 1
    doubles = [f"{name} x{n}" for name, n in names.items() if n > 1]
    return (
        "order numbers unique across both nodes",
        not doubles and len(names) == len(ids),
        f"{len(names)} numbers for {len(ids)} orders" + lt._first(doubles),
    )


class WebSession:
    """A browser-like session (cookie), for the web client's routes."""

    def __init__(self, url, db, login, password):
        self.http = requests.Session()
        self.url = url
        response = self.http.post(
            f"{url}/web/session/authenticate",
            json={"jsonrpc": "2.0", "params": {"db": db, "login": login, "password": password}},
            timeout=60,
        )
        response.raise_for_status()
        if "error" in response.json():
            raise SystemExit(f"web login of {login} refused: {response.json()['error']}")

    def call_kw(self, url, model, method, args, kwargs):
        response = self.http.post(
            f"{url}/web/dataset/call_kw/{model}/{method}",
            json={
                "jsonrpc": "2.0",
                "params": {"model": model, "method": method, "args": args, "kwargs": kwargs},
            },
            timeout=120,
        )
        response.raise_for_status()
        body = response.json()
        if "error" in body:
            raise lt.RpcError("call_kw", str(body["error"])[:300], server_error=True)
        return body["result"]


def pg(port, db):
    conn = psycopg2.connect(host="127.0.0.1", port=port, dbname=db, user="odoo", password="odoo")
    conn.autocommit = True
    return conn


def wait_replay(primary, replica, timeout=60):
    with primary.cursor() as cr:
        cr.execute("SELECT pg_current_wal_lsn()")
        lsn = cr.fetchone()[0]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with replica.cursor() as cr:
            cr.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn])
            if cr.fetchone()[0]:
                return True
        time.sleep(0.2)
    return False


def replica_scans(replica):
    with replica.cursor() as cr:
        cr.execute(
            """SELECT coalesce(sum(seq_scan + coalesce(idx_scan, 0)), 0)
                 FROM pg_stat_user_tables WHERE relname = 'service_order'"""
        )
        return cr.fetchone()[0]


def _kpi_key(rows):
    return sorted(
        (
            tuple(str(row.get(g)) for g in KPI_GROUPBY),
            tuple(row.get(f.split(":")[0]) for f in KPI_FIELDS),
        )
        for row in rows
    )


def check_replica(args, admin, node_urls, primary, replica):
    """KPI figures read through the balancer and each node as read-only
    requests (the replica) equal the primary's; the replica served them."""
    checks = []
    session = WebSession(args.url, args.db, args.admin_login, args.admin_password)
    kwargs = {"lazy": False}
    rpc_args = [[], KPI_FIELDS, KPI_GROUPBY]
    attempts = 0
    while attempts < 3:
        attempts += 1
        on_primary = admin.call(
            "service.kpi.report", "read_group", *rpc_args, label="verify", lazy=False
        )
        caught_up = wait_replay(primary, replica)
        through_replica = [
            session.call_kw(url, "service.kpi.report", "read_group", rpc_args, kwargs)
            for url in [args.url, args.url, *node_urls]
        ]
        same = all(_kpi_key(rows) == _kpi_key(on_primary) for rows in through_replica)
        if same:
            break
        time.sleep(2)  # a job wrote in between: read both again
    orders = sum(row.get("order_count") or 0 for row in on_primary)
    checks.append(
        (
            "KPI figures read from the replica equal the primary's",
            same and caught_up and orders > 0,
            f"{len(on_primary)} groups, {orders} orders received, "
            f"{len(through_replica)} read-only reads (balancer x2, node 1, node 2), "
            f"attempt {attempts}, replica {'caught up' if caught_up else 'LAGGING'}",
        )
    )
    # Each node reads from the replica: the replica's own statistics count
    # the scans of the orders table that the KPI report's view makes.
    served = {}
    for index, url in enumerate(node_urls):
        before = replica_scans(replica)
        session.call_kw(url, "service.kpi.report", "read_group", rpc_args, kwargs)
        deadline = time.monotonic() + 20  # statistics are flushed within ~10 s
        while replica_scans(replica) == before and time.monotonic() < deadline:
            time.sleep(0.5)
        served[f"node {index + 1}"] = replica_scans(replica) - before
    with replica.cursor() as cr:
        cr.execute(
            """SELECT count(*) FROM pg_stat_activity
                WHERE datname = %s AND application_name LIKE 'odoo-node%%'""",
            [args.db],
        )
        connections = cr.fetchone()[0]
    checks.append(
        (
            "the replica served the read-only requests of both nodes",
            all(served.values()) and connections > 0,
            "scans of service_order on the replica per node's KPI read: "
            + ", ".join(f"{node} +{n}" for node, n in served.items())
            + f"; {connections} Odoo connection(s) open on the replica",
        )
    )
    # The session opened through the balancer is valid on each node (shared
    # session store) and the bus websocket upgrades through the balancer.
    cookie = "; ".join(f"{c.name}={c.value}" for c in session.http.cookies)
    try:
        ws = websocket.create_connection(
            args.url.replace("http", "ws", 1) + "/websocket",
            cookie=cookie,
            origin=args.url,
            timeout=30,
        )
        status = ws.getstatus()
        ws.close()
    except Exception as exc:  # any failure is the check's detail
        status = f"{type(exc).__name__}: {exc}"
    checks.append(
        (
            "websocket upgraded through the balancer",
            status == 101,
            f"status {status}",
        )
    )
    return checks


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    lt.add_common_args(
        parser, db_help="database on the primary", clients=20, orders=2000, server=False
    )
    parser.add_argument("--url", required=True, help="the load balancer")
    parser.add_argument("--node", action="append", required=True, help="each node's own URL")
    parser.add_argument("--log", action="append", required=True, help="each node's log file")
    parser.add_argument("--access-log", required=True, help="the balancer's access log")
    parser.add_argument("--primary-port", type=int, required=True)
    parser.add_argument("--replica-port", type=int, required=True)
    parser.add_argument("--smtp-port", type=int, required=True)
    parser.add_argument("--parts-orders", type=int, default=None, help="default: orders / 10")
    parser.add_argument("--job-interval", type=float, default=2.0)
    args = lt.finish_common_args(parser.parse_args(argv))
    signal.signal(signal.SIGUSR1, Deadline.stop)
    args.port = int(args.url.rsplit(":", 1)[1].strip("/"))  # shown by the load test's report
    parts_count = args.parts_orders if args.parts_orders is not None else max(4, args.orders // 10)
    tag = time.strftime("%H%M%S")

    sink = SmtpSink(args.smtp_port)
    threading.Thread(target=sink.serve_forever, daemon=True).start()
    stats = lt.Stats()
    admin = lt.Client(args.url, args.db, args.admin_login, args.admin_password, stats)
    admin.authenticate()
    node_admins = [
        lt.Client(url, args.db, args.admin_login, args.admin_password, stats) for url in args.node
    ]
    for client in node_admins:
        client.authenticate()
    started_setup = time.perf_counter()
    setup_data = lt.setup(admin, args, tag)
    setup_data["tag"] = tag
    parts = setup_parts(admin, tag, parts_count)
    failed_before = failed_mail_ids(admin)
    crons = product_crons(admin)
    sla_cron = lt.find_sla_cron(admin, lt.SLA_MODEL, lt.SLA_METHOD)
    mail_cron = next(c for c in crons if c["xmlid"] == ".".join(MAIL_CRON_XMLID))
    print(
        f"Set-up {time.perf_counter() - started_setup:.1f} s; jobs run on both nodes: "
        + ", ".join(c["xmlid"] for c in crons),
        flush=True,
    )

    share = [args.orders // args.clients] * args.clients
    for i in range(args.orders % args.clients):
        share[i] += 1
    results, counters = [], collections.Counter()
    outcome = {"orders": []}
    stop_event = threading.Event()
    stop_at = Deadline(time.monotonic() + args.max_seconds)
    job_admins = [
        lt.Client(url, args.db, args.admin_login, args.admin_password, stats) for url in args.node
    ]
    for client in job_admins:
        client.authenticate()
    jobs = threading.Thread(
        target=run_jobs,
        args=(
            admin,
            job_admins,
            crons,
            {mail_cron["id"], sla_cron["id"] if sla_cron else 0},
            stats,
            stop_event,
            args.job_interval,
            counters,
        ),
        daemon=True,
    )
    threads = [
        threading.Thread(
            target=lt.run_client,
            args=(args.url, args, setup_data, spec, share[spec["index"]], stats, results, stop_at),
            daemon=True,
        )
        for spec in setup_data["clients"]
    ]
    threads.append(
        threading.Thread(
            target=run_parts,
            args=(
                args.url,
                args.node,
                args,
                setup_data,
                parts,
                parts_count,
                stats,
                outcome,
                stop_at,
            ),
            daemon=True,
        )
    )
    print(
        f"Running {args.clients} clients for {args.orders} orders and {parts_count} parts "
        "orders through the balancer",
        flush=True,
    )
    started = time.perf_counter()
    jobs.start()
    for thread in threads:
        thread.start()
    join_until = stop_at + 180
    while any(t.is_alive() for t in threads) and time.monotonic() < join_until:
        if Deadline.stopped.is_set():
            join_until = min(join_until, time.monotonic() + 180)
        for thread in threads:
            thread.join(min(30.0, max(0.1, join_until - time.monotonic())))
            if thread.is_alive():
                break
        print(
            f"  {time.perf_counter() - started:.0f} s: {len(results)}/{args.orders} orders, "
            f"{len(outcome['orders'])}/{parts_count} parts orders, "
            f"{sum(map(len, stats.latencies.values()))} requests",
            flush=True,
        )
    elapsed = time.perf_counter() - started
    stop_event.set()
    jobs.join(300)
    alive = [t for t in threads if t.is_alive()]
    # Two more rounds of every job on both nodes once everything settled: work
    # already done must not be done again.
    for _ in range(2):
        for cron in filter(by_hand, crons):
            trigger_on_both(node_admins, cron, stats, counters)
    # Work the clicks left to jobs (signed report and completion email,
    # customer notifications) is done by the cron workers before the mail
    # queue is drained.
    by_xmlid = {c["xmlid"]: c for c in crons}
    for xmlids, model, domain in (
        (
            # its two runners render at once, each on its own batch
            (
                "service_quality.ir_cron_service_order_completion",
                "service_quality.ir_cron_service_order_completion_2",
            ),
            "service.order",
            [("completion_pending", "=", True)],
        ),
        (
            ("service_quality.ir_cron_customer_notifications",),
            "service.customer.notification",
            [("state", "=", "pending")],
        ),
    ):
        runners = [by_xmlid[xmlid] for xmlid in xmlids if xmlid in by_xmlid]
        if runners:
            try:
                drain_job(admin, runners, model, domain, stats, counters)
            except lt.RpcError as exc:
                stats.fail(exc, f"waiting for {xmlids[0]}")
    waiting = drain_mail_queue(admin, mail_cron, stats, counters)

    lt.print_report(args, stats, elapsed, results, collections.Counter(), sla_cron)
    ran = collections.Counter()
    busy = collections.Counter()
    for key, n in counters.items():
        if isinstance(key, tuple):
            (ran if key[0] == "ran" else busy)[key[1]] += n
    print(
        "Jobs by hand: "
        + ", ".join(f"node {i + 1} ran {ran[i]}, found busy {busy[i]}" for i in range(2))
        + f"; {counters['cron worker wake-ups']} wake-ups of the cron workers"
    )

    checks, _states = lt.verify(admin, results, stats, sla_cron, logfile="")
    checks = [c for c in checks if c[0] != "no ERROR in the server log"]
    checks.insert(
        0,
        (
            "all clients finished in time",
            not alive and len(results) == args.orders and len(outcome["orders"]) == parts_count,
            f"{len(results)}/{args.orders} orders, {len(outcome['orders'])}/{parts_count} "
            f"parts orders, {len(alive)} lane(s) still running"
            + (" (stopped early by SIGUSR1)" if Deadline.stopped.is_set() else ""),
        ),
    )
    statuses, upstreams, http_errors = scan_access_log(args.access_log)
    checks.append(
        (
            "no HTTP 5xx at the balancer",
            not http_errors and statuses,
            ", ".join(f"{s // 100}xx {n}" for s, n in sorted(statuses.items()))
            + lt._first(http_errors),
        )
    )
    node_ports = {url.rsplit(":", 1)[1] for url in args.node}
    served = {u: n for u, n in upstreams.items() if u.rsplit(":", 1)[-1] in node_ports}
    checks.append(
        (
            "both nodes served requests through the balancer",
            len(served) == len(args.node) and min(served.values(), default=0) > 0,
            ", ".join(f"{u} {n}" for u, n in sorted(upstreams.items())),
        )
    )
    by_worker = collections.Counter()
    for index, path in enumerate(args.log):
        errors, retried, worker_runs, manual_runs = scan_log(path)
        by_worker.update(worker_runs)
        checks.append(
            (
                f"no ERROR in node {index + 1}'s log",
                not errors,
                f"{len(errors)} line(s), {retried} serialization conflict(s) retried"
                + lt._first(errors),
            )
        )
        checks.append(
            (
                f"node {index + 1} ran jobs by hand and from its cron worker",
                worker_runs.total() > 0 and manual_runs > 0 and ran[index] > 0,
                f"{manual_runs} by hand, {worker_runs.total()} by the cron worker",
            )
        )
    not_run = [
        c["xmlid"]
        for c in crons
        if not by_worker[c["id"]]
        and not any(counters[("ran", i, c["xmlid"])] for i in range(len(node_admins)))
    ]
    checks.append(
        (
            "every job ran (by hand or from a cron worker)",
            not not_run,
            f"{len(crons) - len(not_run)}/{len(crons)} jobs" + lt._first(not_run),
        )
    )
    ids = [oid for oid, _t, _r in results if oid] + [oid for oid, _r in outcome["orders"] if oid]
    checks.append(check_unique_names(admin, ids))
    checks.append(
        ("mail queue drained by both nodes", not waiting, f"{waiting} mail(s) still outgoing")
    )
    checks += check_mail(admin, results, sink, failed_before)
    checks += check_parts(admin, parts, outcome)
    primary, replica = pg(args.primary_port, args.db), pg(args.replica_port, args.db)
    try:
        checks += check_replica(args, admin, args.node, primary, replica)
    finally:
        primary.close()
        replica.close()
    sink.shutdown()

    print()
    for name, ok, detail in checks:
        print(f"{'PASSED' if ok else 'FAILED'} {name}: {detail}")
    passed = sum(1 for _n, ok, _d in checks if ok)
    failed = len(checks) - passed
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or not checks else 0


if __name__ == "__main__":
    sys.exit(main())
