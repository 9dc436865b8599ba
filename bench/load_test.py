"""Load test: Odoo in multi-worker mode, concurrent JSON-RPC clients driving
service orders through their life cycle while the SLA job runs.

    python bench/load_test.py --db <db> [--clients 20] [--orders 2000]
                              [--port 8270] [--max-seconds 1800]

What it does, bounded in count (``--orders``) and time (``--max-seconds``):

1. starts Odoo itself (``--workers 2 --max-cron-threads 1``) on 127.0.0.1,
   against ``--db`` (which must have the three addons installed), and waits
   for ``/web/health``;
2. as admin over JSON-RPC: creates per client a customer, a technician, an
   author (service manager) and an approver (a second service manager: the
   author of a plan cannot approve it), plus a category needing approval;
3. runs ``--clients`` threads, each logging in as its author and approver and
   driving its share of the orders: create (distinct technician per client,
   distinct one-hour appointment slots, a third of them received days ago so
   they breach their SLA) → ``action_assess`` → ``action_approve`` (approver)
   → ``action_schedule`` → ``action_start`` → ``action_finish`` → customer
   signature → ``action_accept`` → feedback → ``action_close``; some orders
   are stopped earlier on purpose (left scheduled, to accept, done, or
   cancelled after the assessment) so the final states vary;
4. meanwhile a trigger thread runs the SLA sweep repeatedly, alternating a
   manual run (``ir.cron.method_direct_trigger`` in an HTTP worker) and a
   wake-up of the cron worker (``nextcall`` set to now). The cron is found by
   model and method name (``service.order`` / ``_cron_sla_sweep``), not by
   xml id; when it does not exist the test says so and goes on;
5. reports throughput and latency percentiles (p50/p95/p99) per call, then
   verifies: no request failed with a server error (nor any business error:
   every call of the scenario is legal), every order ended in the state its
   client drove it to, no activity or message was posted twice for the same
   breach (same order, user, type and summary; same order and body), and the
   server log holds no ERROR/CRITICAL line;
6. stops the server it started, by its pid, and exits 0 only when every check
   passed. The last line reads like pytest's: ``N passed, N failed``.

Only the contract fields of SPEC.md are filled; optional fields a later
feature may require (``diagnosis``, ``plan``, ``resolution``) are filled
only when the model has them. The orders and users it creates stay in the
database (use a dedicated database).
"""

import argparse
import base64
import collections
import datetime
import itertools
import os
import signal
import subprocess
import sys
import threading
import time

import requests

REPO_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ODOO_PATH = os.environ.get("ODOO_PATH", "/opt/odoo")
BUSINESS_ERRORS = {
    "odoo.exceptions.UserError",
    "odoo.exceptions.ValidationError",
    "odoo.exceptions.AccessError",
    "odoo.exceptions.MissingError",
    "odoo.exceptions.RedirectWarning",
}
SLA_MODEL, SLA_METHOD = "service.order", "_cron_sla_sweep"
# A 1x1 transparent PNG: the customer's signature.
SIGNATURE = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
    )
).decode()
OPTIONAL_TEXT_FIELDS = {
    "diagnosis": "Drain pump blocked by a coin; impeller intact.",
    "plan": "Clear the pump, check the filter, run a test cycle.",
}


class RpcError(Exception):
    def __init__(self, name, message, server_error):
        super().__init__(f"{name}: {message}")
        self.name = name
        self.server_error = server_error


class Stats:
    """Latencies and failures shared by every thread."""

    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = collections.defaultdict(list)
        self.server_errors = []
        self.business_errors = []

    def record(self, label, seconds):
        with self.lock:
            self.latencies[label].append(seconds)

    def fail(self, error, context):
        with self.lock:
            bucket = self.server_errors if error.server_error else self.business_errors
            bucket.append(f"{context}: {error}")


class Client:
    """A JSON-RPC session of one user."""

    def __init__(self, url, db, login, password, stats=None, timeout=120):
        self.url, self.db, self.login, self.password = url, db, login, password
        self.stats = stats
        self.timeout = timeout
        self.http = requests.Session()
        self.ids = itertools.count(1)
        self.uid = None

    def _rpc(self, service, method, args, label):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"service": service, "method": method, "args": args},
            "id": next(self.ids),
        }
        start = time.perf_counter()
        try:
            response = self.http.post(f"{self.url}/jsonrpc", json=payload, timeout=self.timeout)
        except requests.RequestException as exc:
            raise RpcError(type(exc).__name__, str(exc), server_error=True) from exc
        finally:
            if self.stats is not None:
                self.stats.record(label, time.perf_counter() - start)
        if response.status_code != 200:
            raise RpcError(f"HTTP {response.status_code}", response.text[:300], server_error=True)
        body = response.json()
        if "error" in body:
            data = body["error"].get("data") or {}
            name = data.get("name") or body["error"].get("message", "?")
            message = data.get("message") or body["error"].get("message", "")
            raise RpcError(name, message, server_error=name not in BUSINESS_ERRORS)
        return body.get("result")

    def authenticate(self):
        self.uid = self._rpc("common", "login", [self.db, self.login, self.password], "login")
        if not self.uid:
            raise RpcError("login", f"login {self.login} refused", server_error=False)
        return self.uid

    def call(self, model, method, *args, label=None, **kwargs):
        return self._rpc(
            "object",
            "execute_kw",
            [self.db, self.uid, self.password, model, method, list(args), kwargs],
            label or method,
        )


# ----------------------------------------------------------------------
# Server
# ----------------------------------------------------------------------
def start_server(args, logfile):
    addons_path = args.addons_path
    cmd = [
        sys.executable,
        os.path.join(ODOO_PATH, "odoo-bin"),
        "-c",
        os.path.join(REPO_DIR, "odoo.conf"),
        f"--addons-path={addons_path}",
        f"--db_host={os.environ.get('PGHOST', 'localhost')}",
        f"--db_port={os.environ.get('PGPORT', '5432')}",
        f"--db_user={os.environ.get('PGUSER', 'odoo')}",
        f"--db_password={os.environ.get('PGPASSWORD', 'odoo')}",
        "-d",
        args.db,
        f"--db-filter=^{args.db}$",
        "--workers=2",
        "--max-cron-threads=1",
        "--http-interface=127.0.0.1",
        f"--http-port={args.port}",
        f"--gevent-port={args.port + 1}",
        "--limit-time-real=600",
        "--limit-time-cpu=300",
        "--log-level=warn",
        f"--logfile={logfile}",
    ]
    env = dict(os.environ, ODOO_NOTIFY_CRON_CHANGES="1")
    env["PYTHONPATH"] = ODOO_PATH + os.pathsep + env.get("PYTHONPATH", "")
    proc = subprocess.Popen(
        cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True
    )
    url = f"http://127.0.0.1:{args.port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"Odoo exited with code {proc.returncode} (log: {logfile})")
        try:
            if requests.get(f"{url}/web/health", timeout=5).status_code == 200:
                return proc, url
        except requests.RequestException:
            pass
        time.sleep(1)
    stop_server(proc)
    raise SystemExit(f"Odoo did not answer on {url} within 180 s (log: {logfile})")


def stop_server(proc):
    """Stop the server we started, by its pid (graceful, then forced)."""
    if proc.poll() is not None:
        return
    os.kill(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)


# ----------------------------------------------------------------------
# Set-up (as admin)
# ----------------------------------------------------------------------
def xmlid_res_id(admin, module, name):
    rows = admin.call(
        "ir.model.data",
        "search_read",
        [("module", "=", module), ("name", "=", name)],
        fields=["res_id"],
        label="setup",
    )
    if not rows:
        raise SystemExit(f"{module}.{name} not found: are the addons installed?")
    return rows[0]["res_id"]


def setup(admin, args, tag):
    # wkhtmltopdf loads the service report's style sheets from report.url
    # (else web.base.url, often another port): the server under load, as in
    # production, so the completion job's PDFs cost what they cost there
    admin.call(
        "ir.config_parameter", "set_param", "report.url", admin.url.rstrip("/"), label="setup"
    )
    manager = xmlid_res_id(admin, "service_quality", "group_service_manager")
    technician = xmlid_res_id(admin, "service_quality", "group_service_user")
    order_fields = admin.call("service.order", "fields_get", attributes=["type"], label="setup")
    category_fields = admin.call(
        "service.category", "fields_get", attributes=["type"], label="setup"
    )
    category_vals = {"name": f"Load test {tag}"}
    if "approval_required" in category_fields:
        category_vals["approval_required"] = True
    category = admin.call("service.category", "create", category_vals, label="setup")
    if not admin.call("service.sla.policy", "search_count", [], label="setup"):
        admin.call(
            "service.sla.policy",
            "create",
            {"name": "Load test", "response_hours": 4, "resolve_hours": 24, "warning_percent": 80},
            label="setup",
        )
    password = f"lt-{tag}"
    partners = admin.call(
        "res.partner",
        "create",
        [
            {"name": f"LT customer {tag}-{i}", "email": f"lt_{tag}_customer_{i}@example.com"}
            for i in range(args.clients)
        ],
        label="setup",
    )
    # One batch per role; technicians never log in (no password to hash).
    roles = (("author", manager, True), ("approver", manager, True), ("tech", technician, False))
    users = {}
    for role, group, logs_in in roles:
        users[role] = admin.call(
            "res.users",
            "create",
            [
                dict(
                    {
                        "name": f"LT {role} {tag}-{i}",
                        "login": f"lt_{tag}_{role}_{i}",
                        "email": f"lt_{tag}_{role}_{i}@example.com",
                        "groups_id": [(6, 0, [group])],
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
            "users": {role: users[role][i] for role, _group, _logs_in in roles},
        }
        for i in range(args.clients)
    ]
    return {
        "category": category,
        "password": password,
        "clients": clients,
        "order_fields": set(order_fields),
    }


def find_sla_cron(admin, model, method):
    crons = admin.call(
        "ir.cron",
        "search_read",
        [("model_id.model", "=", model), ("code", "ilike", method)],
        fields=["name"],
        label="setup",
        context={"active_test": False},
    )
    return crons[0] if crons else None


# ----------------------------------------------------------------------
# Scenario
# ----------------------------------------------------------------------
def target_state(k):
    """The state client drives its k-th order to."""
    if k % 20 == 7:
        return "cancelled"
    if k % 20 == 11:
        return "scheduled"
    if k % 10 == 3:
        return "to_accept"
    if k % 10 == 5:
        return "done"
    return "closed"


def run_client(url, args, setup_data, spec, count, stats, results, stop_at):
    i = spec["index"]
    db, password = args.db, setup_data["password"]
    author = Client(url, db, f"lt_{setup_data['tag']}_author_{i}", password, stats)
    approver = Client(url, db, f"lt_{setup_data['tag']}_approver_{i}", password, stats)
    try:
        author.authenticate()
        approver.authenticate()
    except RpcError as exc:
        stats.fail(exc, f"client {i} login")
        return
    fields = setup_data["order_fields"]
    # Distinct one-hour slots per technician, starting tomorrow 08:00 UTC.
    base = datetime.datetime.now(datetime.UTC).replace(
        tzinfo=None, hour=8, minute=0, second=0, microsecond=0
    ) + datetime.timedelta(days=1)
    for k in range(count):
        if time.monotonic() > stop_at:
            stats.fail(
                RpcError("timeout", "--max-seconds reached", server_error=False),
                f"client {i} stopped after {k} of {count} orders",
            )
            return
        target = target_state(k)
        start = base + datetime.timedelta(hours=k)
        received = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
        if k % 3 == 0:  # received long ago: the SLA sweep finds it breached
            received -= datetime.timedelta(days=4)
        vals = {
            "partner_id": spec["partner"],
            "channel": "phone",
            "category_id": setup_data["category"],
            "priority": str(k % 3),
            "description": f"<p>Load test order {k} of client {i}</p>",
            "received_at": received.strftime("%Y-%m-%d %H:%M:%S"),
            "user_id": spec["users"]["tech"],
            "appointment_start": start.strftime("%Y-%m-%d %H:%M:%S"),
            "appointment_end": (start + datetime.timedelta(minutes=50)).strftime(
                "%Y-%m-%d %H:%M:%S"
            ),
        }
        vals.update({f: v for f, v in OPTIONAL_TEXT_FIELDS.items() if f in fields})
        order_id, reached, step = None, None, "create"
        try:
            order_id = author.call("service.order", "create", vals, label="create")
            reached = "new"
            steps = [(author, "action_assess", "assessed")]
            if target == "cancelled":
                steps += [("reason", None, None), (author, "action_cancel", "cancelled")]
            else:
                steps += [
                    (approver, "action_approve", "approved"),
                    (author, "action_schedule", "scheduled"),
                ]
                if target != "scheduled":
                    steps += [
                        (author, "action_start", "in_progress"),
                        ("work", None, None),
                        (author, "action_finish", "to_accept"),
                    ]
                if target in ("done", "closed"):
                    steps += [("sign", None, None), (author, "action_accept", "done")]
                if target == "closed":
                    steps += [("feedback", None, None), (author, "action_close", "closed")]
            for who, method, state in steps:
                step = method or who
                if who == "reason":
                    if "cancel_reason" in fields:
                        author.call(
                            "service.order",
                            "write",
                            [order_id],
                            {"cancel_reason": "Customer bought a new machine."},
                            label="write",
                        )
                    continue
                if who == "work":
                    if "resolution" in fields:
                        author.call(
                            "service.order",
                            "write",
                            [order_id],
                            {"resolution": "<p>Pump cleared, test cycle passed.</p>"},
                            label="write",
                        )
                    continue
                if who == "sign":
                    # signed_on is stamped by the server when the signature is written
                    sign = {"customer_signature": SIGNATURE, "signed_by": f"LT customer {i}"}
                    author.call("service.order", "write", [order_id], sign, label="write")
                    continue
                if who == "feedback":
                    author.call(
                        "service.feedback",
                        "create",
                        {
                            "service_order_id": order_id,
                            "score": 4 + k % 2,
                            "channel": "phone",
                            "comment": "Quick and clean.",
                        },
                        label="feedback",
                    )
                    # Recording the feedback may close the order by itself.
                    state_now = author.call(
                        "service.order", "read", [order_id], ["state"], label="read"
                    )[0]["state"]
                    if state_now == "closed":
                        reached = "closed"
                        break
                    continue
                who.call("service.order", method, [order_id], label=method)
                reached = state
        except RpcError as exc:
            stats.fail(exc, f"client {i} order {order_id} at {step}")
        with stats.lock:
            results.append((order_id, target, reached))


def run_sla_trigger(admin, cron, stats, stop_event, interval, counters):
    """Run the SLA sweep again and again until the clients are done."""
    manual = True
    while not stop_event.wait(interval):
        try:
            if manual:
                admin.call("ir.cron", "method_direct_trigger", [cron["id"]], label="sla manual run")
                counters["manual runs"] += 1
            else:
                now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S")
                admin.call("ir.cron", "write", [cron["id"]], {"nextcall": now}, label="sla wake-up")
                counters["cron worker wake-ups"] += 1
        except RpcError as exc:
            if exc.server_error:
                stats.fail(exc, "SLA trigger")
            else:  # "This cron task is currently being executed": it is running
                counters["busy (already running)"] += 1
        manual = not manual


# ----------------------------------------------------------------------
# Checks
# ----------------------------------------------------------------------
def verify(admin, results, stats, cron, logfile):
    checks = []  # (name, ok, detail)
    checks.append(
        (
            "no server error",
            not stats.server_errors,
            f"{len(stats.server_errors)} server error(s)" + _first(stats.server_errors),
        )
    )
    checks.append(
        (
            "no refused call",
            not stats.business_errors,
            f"{len(stats.business_errors)} refused call(s)" + _first(stats.business_errors),
        )
    )
    ids = [order_id for order_id, _t, _r in results if order_id]
    states = {}
    for chunk in _chunks(ids, 1000):
        for row in admin.call(
            "service.order",
            "read",
            chunk,
            ["state"],
            label="verify",
            context={"active_test": False},
        ):
            states[row["id"]] = row["state"]
    mismatched = [
        f"order {oid}: driven to {reached}, is {states.get(oid)}"
        for oid, _target, reached in results
        if oid and states.get(oid) != reached
    ]
    not_reached = [
        f"order {oid}: target {target}, reached {reached}"
        for oid, target, reached in results
        if reached != target
    ]
    checks.append(
        (
            "every order is in the state its client drove it to",
            not mismatched,
            f"{len(ids) - len(mismatched)}/{len(ids)} orders match" + _first(mismatched),
        )
    )
    checks.append(
        (
            "every order reached its target state",
            not not_reached,
            f"{len(results) - len(not_reached)}/{len(results)} orders" + _first(not_reached),
        )
    )
    duplicates, activities, messages = find_duplicate_notifications(admin, ids)
    checks.append(
        (
            "no breach notified twice",
            not duplicates,
            f"{activities} activities and {messages} messages on the orders checked, "
            f"{len(duplicates)} duplicate(s)"
            + _first(duplicates)
            + ("" if cron else " (no SLA job: nothing to notify)"),
        )
    )
    log_errors, retried = [], 0
    if os.path.exists(logfile):
        with open(logfile, errors="replace") as log:
            lines = log.readlines()
        for index, line in enumerate(lines):
            if " ERROR " not in line and " CRITICAL " not in line:
                continue
            # A concurrent update (the SLA job and a client on the same order)
            # is logged by odoo.sql_db and then retried by Odoo's request
            # layer: not an error of ours as long as the call succeeded,
            # which the "no refused call" and state checks prove.
            following = "".join(lines[index + 1 : index + 4])
            if "odoo.sql_db: bad query" in line and "could not serialize access" in following:
                retried += 1
                continue
            log_errors.append(line.strip())
    checks.append(
        (
            "no ERROR in the server log",
            not log_errors,
            f"{len(log_errors)} line(s), {retried} serialization conflict(s) retried"
            + _first(log_errors),
        )
    )
    return checks, states


def find_duplicate_notifications(admin, ids):
    duplicates = []
    activity_count = message_count = 0
    for chunk in _chunks(ids, 1000):
        activities = admin.call(
            "mail.activity",
            "search_read",
            [("res_model", "=", "service.order"), ("res_id", "in", chunk)],
            fields=["res_id", "user_id", "activity_type_id", "summary"],
            label="verify",
        )
        activity_count += len(activities)
        seen = collections.Counter(
            (a["res_id"], _id(a["user_id"]), _id(a["activity_type_id"]), a["summary"])
            for a in activities
        )
        duplicates += [f"activity {key} x{n}" for key, n in seen.items() if n > 1]
        messages = admin.call(
            "mail.message",
            "search_read",
            [("model", "=", "service.order"), ("res_id", "in", chunk)],
            fields=["res_id", "body", "message_type"],
            label="verify",
        )
        message_count += len(messages)
        seen = collections.Counter(
            (m["res_id"], m["body"]) for m in messages if m["body"] and m["body"] != "<p></p>"
        )
        duplicates += [
            f"message on order {key[0]} x{n}: {key[1][:80]}" for key, n in seen.items() if n > 1
        ]
    return duplicates, activity_count, message_count


def _id(value):
    return value[0] if isinstance(value, list | tuple) and value else value


def _chunks(items, size):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _first(items, n=3):
    return ("; e.g. " + " | ".join(str(x)[:300] for x in items[:n])) if items else ""


def percentile(values, p):
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(p / 100.0 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def print_report(args, stats, elapsed, results, counters, cron):
    print(f"\n## Load test: {args.clients} clients, {len(results)} orders, {elapsed:.1f} s")
    print(
        "Odoo --workers 2 --max-cron-threads 1 on 127.0.0.1:%d, database %s" % (args.port, args.db)
    )
    if cron:
        print(
            f"SLA job '{cron['name']}' (id {cron['id']}): "
            + ", ".join(f"{k} {v}" for k, v in sorted(counters.items()))
        )
    else:
        print(
            f"SLA job: no ir.cron calling {args.sla_model}.{args.sla_method} in this database: "
            "the load ran without it (the SLA checks are vacuous)."
        )
    header = ("call", "requests", "p50 ms", "p95 ms", "p99 ms", "max ms")
    rows = []
    every = []
    for label in sorted(stats.latencies):
        values = stats.latencies[label]
        if label in ("setup", "verify"):
            continue
        every += values
        rows.append((label, values))
    rows.append(("all scenario calls", every))
    widths = [max(len(header[0]), *(len(r[0]) for r in rows))] + [9] * 5
    print("\n| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=False)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for label, values in rows:
        cells = [
            label.ljust(widths[0]),
            f"{len(values):,}".rjust(9),
            *(f"{percentile(values, p) * 1000:.0f}".rjust(9) for p in (50, 95, 99)),
            f"{(max(values) if values else 0) * 1000:.0f}".rjust(9),
        ]
        print("| " + " | ".join(cells) + " |")
    finished = sum(1 for _o, target, reached in results if target == reached)
    print(
        f"\nThroughput: {len(every) / elapsed:.1f} requests/s, "
        f"{finished / elapsed * 60:.0f} orders driven to their target per minute"
    )


def add_common_args(
    parser, *, db_help, clients, orders, orders_help="orders in total", server=True
):
    """Add the options the load scripts share to ``parser``: the database,
    the admin's login, the size and time bound of the load and, with
    ``server`` (the scripts that start Odoo themselves), its port, addons
    path and log file. ``finish_common_args`` completes the parsed values."""
    parser.add_argument("--db", required=True, help=db_help)
    parser.add_argument("--clients", type=int, default=clients, help="concurrent clients")
    parser.add_argument("--orders", type=int, default=orders, help=orders_help)
    parser.add_argument("--max-seconds", type=int, default=1800, help="time bound of a load run")
    parser.add_argument("--admin-login", default="admin")
    parser.add_argument("--admin-password", default="admin")
    if not server:
        return parser
    parser.add_argument("--port", type=int, default=8270, help="loopback HTTP port (8270-8279)")
    parser.add_argument(
        "--addons-path",
        default=os.environ.get("ADDONS_PATH")
        or ",".join(
            [
                os.path.join(ODOO_PATH, "odoo", "addons"),
                os.path.join(ODOO_PATH, "addons"),
                os.path.join(REPO_DIR, "addons"),
            ]
        ),
    )
    parser.add_argument("--logfile", default=None, help="server log (default: a file in /tmp)")
    return parser


def finish_common_args(args, log_name=None):
    """No more clients than orders (at least one); with ``log_name``, the
    server log defaults to /tmp/<log_name>_<db>_<port>.log."""
    args.clients = max(1, min(args.clients, args.orders))
    if log_name and not args.logfile:
        args.logfile = f"/tmp/{log_name}_{args.db}_{args.port}.log"
    return args


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_args(
        parser, db_help="database with the three addons installed", clients=20, orders=2000
    )
    parser.add_argument("--sla-interval", type=float, default=2.0, help="seconds between SLA runs")
    parser.add_argument("--sla-model", default=SLA_MODEL, help="model of the SLA job")
    parser.add_argument("--sla-method", default=SLA_METHOD, help="method the SLA job calls")
    args = finish_common_args(parser.parse_args(argv), "load_test")
    logfile = args.logfile
    tag = time.strftime("%H%M%S")
    if os.path.exists(logfile):
        os.unlink(logfile)

    print(f"Starting Odoo on 127.0.0.1:{args.port} (log {logfile})", flush=True)
    proc, url = start_server(args, logfile)
    print(f"Odoo is up (pid {proc.pid})", flush=True)
    checks = []
    try:
        stats = Stats()
        admin = Client(url, args.db, args.admin_login, args.admin_password, stats)
        admin.authenticate()
        setup_data = setup(admin, args, tag)
        setup_data["tag"] = tag
        cron = find_sla_cron(admin, args.sla_model, args.sla_method)
        if not cron:
            print(
                f"NOTE: no ir.cron calls {args.sla_model}.{args.sla_method} in {args.db}: "
                "the SLA job is not exercised (feature not installed yet)."
            )
        share = [args.orders // args.clients] * args.clients
        for i in range(args.orders % args.clients):
            share[i] += 1
        results, counters = [], collections.Counter()
        stop_event = threading.Event()
        stop_at = time.monotonic() + args.max_seconds
        trigger = None
        if cron:
            trigger_client = Client(url, args.db, args.admin_login, args.admin_password, stats)
            trigger_client.authenticate()
            trigger = threading.Thread(
                target=run_sla_trigger,
                args=(trigger_client, cron, stats, stop_event, args.sla_interval, counters),
                daemon=True,
            )
            trigger.start()
        threads = [
            threading.Thread(
                target=run_client,
                args=(url, args, setup_data, spec, share[spec["index"]], stats, results, stop_at),
                daemon=True,
            )
            for spec in setup_data["clients"]
        ]
        print(f"Running {len(threads)} clients for {args.orders} orders", flush=True)
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        join_until = stop_at + 180
        while any(t.is_alive() for t in threads) and time.monotonic() < join_until:
            for thread in threads:
                thread.join(min(30.0, max(0.1, join_until - time.monotonic())))
                if thread.is_alive():
                    break
            print(
                f"  {time.perf_counter() - started:.0f} s: {len(results)}/{args.orders} "
                f"orders handled, {sum(map(len, stats.latencies.values()))} requests",
                flush=True,
            )
        elapsed = time.perf_counter() - started
        stop_event.set()
        if trigger:
            trigger.join(300)
            # Two more sweeps once every order has settled: a breach already
            # notified must not be notified again.
            for _ in range(2):
                try:
                    admin.call(
                        "ir.cron", "method_direct_trigger", [cron["id"]], label="sla manual run"
                    )
                    counters["manual runs"] += 1
                except RpcError as exc:
                    if exc.server_error:
                        stats.fail(exc, "final SLA run")
                    else:
                        counters["busy (already running)"] += 1
        alive = [t for t in threads if t.is_alive()]
        print_report(args, stats, elapsed, results, counters, cron)
        checks, _states = verify(admin, results, stats, cron, logfile)
        checks.insert(
            0,
            (
                "all clients finished in time",
                not alive and len(results) == args.orders,
                f"{len(results)}/{args.orders} orders handled, "
                f"{len(alive)} client(s) still running",
            ),
        )
    finally:
        stop_server(proc)
        print(f"Odoo (pid {proc.pid}) stopped", flush=True)

    print()
    for name, ok, detail in checks:
        print(f"{'PASSED' if ok else 'FAILED'} {name}: {detail}")
    passed = sum(1 for _n, ok, _d in checks if ok)
    failed = len(checks) - passed
    print(f"{passed} passed, {failed} failed")
    return 1 if failed or not checks else 0


if __name__ == "__main__":
    sys.exit(main())
