"""Benchmark of service_quality's scheduled jobs.

    python bench/bench_quality.py --db <db> [--size 100000]

Seeds, by SQL bulk insert, in the admin's company:

* ``--size`` open complaints (new or acknowledged), received over the last
  four days: half of them are past their response deadline (24 h general,
  48 h major; one in ten is major);
* ``--size`` open corrective actions on those complaints, owned by 50
  users, deadlines spread over 60 days around today: those due within 3 days
  or overdue (about half) get a reminder;
* ``--size // 50`` recurring inspection templates (2,000 at the default
  size, each with 5 checklist items) due over the last 30 days.

and runs, in one transaction rolled back at the end (the per-batch commits of
the jobs are disabled as under tests, any other commit fails), each job's
cron method twice: the first run does the work, the second shows that a
rerun finds nothing left to do. The note of each job gives its batches and
its queries per batch and per record. Rows are printed by ``bench/common.py``.
"""

import os
import sys
from datetime import date, datetime, timedelta

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import (
    Bench,
    bulk_insert,
    environment,
    job_note,
    make_users,
    one_transaction,
    parse_args,
    run_job,
)

COMPLAINT_BATCH = 500  # defaults of the cron methods
ACTION_BATCH = 200
TEMPLATE_BATCH = 100
CHECKLIST_ITEMS = 5


def seed_complaints(env, size, partner):
    now = datetime.now().replace(microsecond=0)
    company_id = env.company.id
    uid = env.uid
    rows = []
    for i in range(size):
        severity = "major" if i % 10 == 0 else "general"
        hours = 24 if severity == "general" else 48
        # even rows past their deadline by 1-47 h, odd rows 1-23 h before it
        if i % 2 == 0:
            received = now - timedelta(hours=hours + 1 + i % 47)
        else:
            received = now - timedelta(hours=hours - 1 - i % 23)
        rows.append(
            (
                f"BENCH-CPL-{i:07d}",
                partner.id,
                partner.id,
                "phone",
                severity,
                received,
                received + timedelta(hours=hours),
                "new" if i % 3 else "acknowledged",
                "on_track",
                0,
                False,
                company_id,
                uid,
                uid,
                now,
                now,
            )
        )
    return bulk_insert(
        env.cr,
        "service_complaint",
        (
            "name",
            "partner_id",
            "commercial_partner_id",
            "channel",
            "severity",
            "received_at",
            "response_deadline",
            "state",
            "deadline_status",
            "reopen_count",
            "is_repeat",
            "company_id",
            "create_uid",
            "write_uid",
            "create_date",
            "write_date",
        ),  # fmt: skip
        rows,
    )


def seed_actions(env, size, complaint_ids, owners):
    today = date.today()
    now = datetime.now()
    company_id = env.company.id
    uid = env.uid
    owner_ids = owners.ids
    bulk_insert(
        env.cr,
        "service_corrective_action",
        (
            "name",
            "action_type",
            "complaint_id",
            "owner_id",
            "deadline",
            "state",
            "company_id",
            "create_uid",
            "write_uid",
            "create_date",
            "write_date",
        ),  # fmt: skip
        (
            (
                f"Bench action {i}",
                "corrective",
                complaint_ids[i % len(complaint_ids)],
                owner_ids[i % len(owner_ids)],
                today + timedelta(days=i % 60 - 27),  # -27 .. +32 days
                "open",
                company_id,
                uid,
                uid,
                now,
                now,
            )
            for i in range(size)
        ),
    )


def seed_templates(env, count, inspector):
    from psycopg2.extras import Json

    today = date.today()
    now = datetime.now()
    company_id = env.company.id
    uid = env.uid
    team = env["service.team"].create({"name": "Bench inspected team"})
    template_ids = bulk_insert(
        env.cr,
        "service_inspection_template",
        (
            "name",
            "active",
            "frequency",
            "next_date",
            "inspector_id",
            "subject_type",
            "team_id",
            "company_id",
            "create_uid",
            "write_uid",
            "create_date",
            "write_date",
        ),  # fmt: skip
        (
            (
                Json({"en_US": f"Bench template {i}"}),
                True,
                "monthly" if i % 4 else "quarterly",
                today - timedelta(days=i % 30),
                inspector.id,
                "team",
                team.id,
                company_id,
                uid,
                uid,
                now,
                now,
            )
            for i in range(count)
        ),
    )
    bulk_insert(
        env.cr,
        "service_inspection_template_line",
        ("template_id", "name", "sequence", "create_uid", "write_uid", "create_date", "write_date"),
        (
            (template_id, Json({"en_US": f"Check {n}"}), n, uid, uid, now, now)
            for template_id in template_ids
            for n in range(CHECKLIST_ITEMS)
        ),
    )
    return template_ids


def run_twice(bench, env, label, records, job, batch_size):
    """Measure ``job()`` (returns the number of records it handled) twice."""
    for run in ("first run", "second run"):
        env.invalidate_all()
        with bench.measure(env, f"{label}, {run}", records):
            processed = run_job(job)
        row = bench.rows[-1]
        row.note = job_note(row.queries, processed, batch_size)
        if run == "first run":
            row.records = first = processed  # time per 1,000 records handled
        else:
            assert processed == 0, f"{label}: the second run handled {processed} records"
    return first


def main(argv=None):
    args = parse_args("Service quality jobs", default_size=100_000, argv=argv)
    templates = max(args.size // 50, 20)
    bench = Bench(args.title)
    context = {"tracking_disable": True, "mail_create_nolog": True}
    with environment(args.db, args.addons_path, context=context) as env, one_transaction(env):
        with bench.measure(env, "seed users (ORM: 3 managers, 50 owners)", 53):
            make_users(env, "Bench manager", 3, ["service_quality.group_service_manager"])
            owners = make_users(env, "Bench owner", 50, ["service_quality.group_service_user"])
        with bench.measure(env, "seed open complaints (SQL bulk insert)", args.size):
            partner = env["res.partner"].create({"name": "Bench complaining customer"})
            complaint_ids = seed_complaints(env, args.size, partner)
        with bench.measure(env, "seed open corrective actions (SQL bulk insert)", args.size):
            seed_actions(env, args.size, complaint_ids, owners)
        with bench.measure(env, "seed inspection templates (SQL bulk insert)", templates):
            template_ids = seed_templates(env, templates, owners[0])

        Complaint = env["service.complaint"]
        breached = run_twice(
            bench,
            env,
            "complaint deadline job",
            args.size,
            Complaint._cron_check_deadlines,
            COMPLAINT_BATCH,
        )
        env.cr.execute(
            "SELECT count(*), count(*) FILTER (WHERE deadline_status = 'breached') "
            "FROM service_complaint WHERE breach_notified_at IS NOT NULL AND id = ANY(%s)",
            [complaint_ids],
        )
        expected, marked = env.cr.fetchone()
        # demo complaints past their deadline may be marked too
        assert breached >= expected == marked == (args.size + 1) // 2, (breached, expected)

        Action = env["service.corrective.action"]
        reminded = run_twice(
            bench,
            env,
            "corrective-action reminder job",
            args.size,
            Action._cron_send_reminders,
            ACTION_BATCH,
        )
        assert reminded, "some actions are due within 3 days"

        Template = env["service.inspection.template"]
        run_twice(
            bench,
            env,
            "inspection generation job",
            templates,
            Template._cron_generate_inspections,
            TEMPLATE_BATCH,
        )
        # only the seeded templates: a database with demo data has others
        inspections = env["service.inspection"].search_count([("template_id", "in", template_ids)])
        assert inspections == templates, (inspections, templates)
    bench.print_table()
    print(
        f"\n{breached:,} complaints breached of {args.size:,} open; {reminded:,} actions "
        f"reminded of {args.size:,} open; {inspections:,} inspections of {templates:,} templates "
        f"({templates * CHECKLIST_ITEMS:,} checklist lines)."
    )


if __name__ == "__main__":
    main()
