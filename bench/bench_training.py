"""Benchmark of the training hot paths (service_training).

    python bench/bench_training.py --db <db> [--size 200000] [--technicians 200]

Seeds ``--size`` certificates spread over ``--technicians`` technicians
(SQL bulk insert; expiry dates spread over the next 120 days, so three
quarters of them enter the 90-day expiring window and get a reminder) and
measures, in one transaction rolled back at the end:

* the certified-to-work check and the qualified-technician picker of one
  order (one query per distinct date whatever the volume);
* the daily state job, first run (every certificate within 90 days turns
  "expiring") and second run (nothing to do);
* the expiry reminders, first run (one message to the holder per
  certificate, one digest to the officers per batch) and second run (none
  sent twice).

The jobs work in batches of 500; the note of each job gives its batch count
and the smallest and largest number of queries of one batch, which must not
grow with the volume. Rows are printed by ``bench/common.py``.
"""

import os
import sys
from datetime import date, datetime, timedelta

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import Bench, bulk_insert, environment, one_transaction, parse_args


def call_until_done(env, step):
    """Call ``step`` (one batch of the certificate job, returns how many it
    handled) until it finds nothing; return the queries of each call."""
    calls = []
    while True:
        start = env.cr.sql_log_count
        done = step()
        calls.append(env.cr.sql_log_count - start)
        if not done:
            return calls


def calls_note(calls):
    return f"{len(calls):,} calls, {min(calls)}-{max(calls)} queries per call"


def seed(env, size, technicians):
    """Certificate type, category, technicians (users + employees) and
    ``size`` certificates; returns (category, users)."""
    tag = os.getpid()
    cert_type = env["training.certification.type"].create(
        {"name": "Bench type", "code": f"BENCH{tag}", "validity_months": 12}
    )
    category = env["service.category"].create(
        {"name": "Bench category", "required_certification_type_ids": [(6, 0, cert_type.ids)]}
    )
    tech_group = env.ref("service_quality.group_service_user")
    users = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            [
                {
                    "name": f"Bench tech {i}",
                    "login": f"bench_tech_{tag}_{i}",
                    "email": f"bench_tech_{tag}_{i}@example.com",
                    "groups_id": [(6, 0, tech_group.ids)],
                }
                for i in range(technicians)
            ]
        )
    )
    employees = env["hr.employee"].create([{"name": u.name, "user_id": u.id} for u in users])
    pairs = [(e.id, e.user_id.id) for e in employees]
    today = date.today()
    issue = today - timedelta(days=300)
    company_id = env.company.id
    uid = env.uid
    bulk_insert(
        env.cr,
        "training_certification",
        (
            "employee_id",
            "user_id",
            "type_id",
            "number",
            "issue_date",
            "expiry_date",
            "company_id",
            "state",
            "renewal_count",
            "reminder_threshold_sent",
            "active",
            "create_date",
            "write_date",
            "create_uid",
            "write_uid",
        ),  # fmt: skip
        (
            (
                *pairs[i % len(pairs)],
                cert_type.id,
                f"BENCH/{tag}/{i:07d}",
                issue,
                today + timedelta(days=1 + i % 120),
                company_id,
                "valid",
                0,
                0,
                True,
                datetime.now(),
                datetime.now(),
                uid,
                uid,
            )
            for i in range(size)
        ),
    )
    env.invalidate_all()
    return category, users


def main(argv=None):
    args = parse_args("Training", default_size=200_000, argv=argv)
    technicians = 200 if args.size >= 20_000 else 20
    bench = Bench(args.title)
    context = {"tracking_disable": True}
    with environment(args.db, args.addons_path, context=context) as env, one_transaction(env):
        with bench.measure(env, "seed certificates by SQL bulk insert", args.size):
            category, users = seed(env, args.size, technicians)
        today = datetime.combine(date.today(), datetime.min.time())
        order = env["service.order"].create(
            {
                "partner_id": env["res.partner"].create({"name": "Bench customer"}).id,
                "category_id": category.id,
                "user_id": users[0].id,
                "appointment_start": today + timedelta(hours=2),
                "appointment_end": today + timedelta(hours=4),
            }
        )
        env.invalidate_all()
        with bench.measure(env, "certified-to-work check (one order)", args.size):
            order._check_certified_to_work("scheduled")
        env.invalidate_all()
        with bench.measure(env, "qualified-technician picker (one order)", args.size):
            qualified = order.allowed_technician_ids
        assert len(qualified) >= len(users), "every bench technician is qualified"

        Cert = env["training.certification"]
        for run in ("first run", "second run"):
            env.invalidate_all()
            with bench.measure(env, f"daily state job, {run}", args.size):
                calls = call_until_done(env, Cert._update_states)
            bench.rows[-1].note = calls_note(calls)
        expiring = Cert.search_count([("state", "=", "expiring"), ("number", "=like", "BENCH/%")])
        for run in ("first run", "second run"):
            env.invalidate_all()
            messages = env["mail.message"].search_count([("model", "=", Cert._name)])
            with bench.measure(env, f"expiry reminders, {run}", args.size):
                calls = call_until_done(env, Cert._send_due_reminders)
            sent = env["mail.message"].search_count([("model", "=", Cert._name)]) - messages
            bench.rows[-1].note = f"{sent:,} reminders, {calls_note(calls)}"
    bench.print_table()
    print(f"\ncertificates expiring after the state job: {expiring:,}")


if __name__ == "__main__":
    main()
