"""Benchmark of equipment_care's other scheduled jobs: care plans,
fault deadline escalation, overdue check-out escalation.

    python bench/bench_equipment_jobs.py --db <db> [--size 50000] [--skip-care-plans] [--skip-escalations]

Seeds, by SQL bulk insert (the daily due-date job has its own benchmark,
``bench_equipment.py``):

* ``--size`` tools in 50 equipment categories, each category with a
  quarterly care plan (category plans: the usual set-up) whose first due date
  is within its 14-day lead time, so every tool gets a preventive request;
  one tool in ten also has its own calibration plan (per-tool plans) due
  within its 30-day lead time;
* ``--size * 2 // 5`` open faults (20,000 at the default size: corrective
  requests), reported 30 h ago (diagnosis deadline of 24 h passed) or 50 h
  ago (repair deadline of 48 h passed too);
* ``--size * 2 // 5`` check-outs of distinct tools (20,000), overdue by 1 to
  72 hours, by 50 technicians.

and runs each job's cron method twice in one transaction rolled back at the
end (per-batch commits disabled as under tests, any other commit fails): the
first run does the work, the second finds nothing to do. The note gives the
batches and the queries per batch and per record. Rows are printed by
``bench/common.py``.
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

CATEGORIES = 50
PLAN_BATCH = 50  # defaults of the cron methods
JOB_BATCH = 1000


def seed_tools(env, size):
    """``size`` tools over ``CATEGORIES`` categories; returns (categories, tool ids)."""
    from psycopg2.extras import Json

    categories = env["maintenance.equipment.category"].create(
        [
            {"name": f"Bench category {c}", "tool_code_prefix": f"B{c:02d}-"}
            for c in range(CATEGORIES)
        ]
    )
    env.flush_all()
    env.cr.execute(
        "SELECT 1 FROM information_schema.columns WHERE table_name = 'maintenance_equipment' "
        "AND column_name = 'equipment_assign_to'"
    )
    # hr_maintenance (auto-installed with hr) adds a required column
    extra = ("equipment_assign_to",) if env.cr.rowcount else ()
    today = date.today()
    now = datetime.now()
    company_id = env.company.id
    uid = env.uid
    tool_ids = bulk_insert(
        env.cr,
        "maintenance_equipment",
        (
            "name",
            "category_id",
            "company_id",
            "active",
            "care_status",
            "tool_code",
            "effective_date",
            "next_calibration_date",
            "calibration_interval_days",
            "inspection_interval_days",
            "create_uid",
            "write_uid",
            "create_date",
            "write_date",
            *extra,
        ),  # fmt: skip
        (
            (
                Json({"en_US": f"Bench tool {i}"}),
                categories[i % CATEGORIES].id,
                company_id,
                True,
                "available",
                f"BENCHJ-{i:07d}",
                today - timedelta(days=300),
                today + timedelta(days=10 + i % 20),  # within the 30-day calibration lead
                365,
                30,
                uid,
                uid,
                now,
                now,
                *(("other",) if extra else ()),
            )
            for i in range(size)
        ),
    )
    return categories, tool_ids


def seed_plans(env, categories, tool_ids):
    """One quarterly plan per category, one calibration plan per tenth tool."""
    today = date.today()
    Plan = env["equipment.care.plan"]
    plans = Plan.create(
        [
            {
                "name": f"Bench quarterly {category.name}",
                "plan_type": "quarterly",
                "category_id": category.id,
                "start_date": today + timedelta(days=7),
            }
            for category in categories
        ]
    )
    env.flush_all()
    now = datetime.now()
    uid = env.uid
    from psycopg2.extras import Json

    tool_plan_ids = bulk_insert(
        env.cr,
        "equipment_care_plan",
        (
            "name",
            "plan_type",
            "equipment_id",
            "interval_days",
            "lead_days",
            "start_date",
            "duration",
            "active",
            "company_id",
            "create_uid",
            "write_uid",
            "create_date",
            "write_date",
        ),  # fmt: skip
        (
            (
                Json({"en_US": f"Bench calibration {tool_id}"}),
                "calibration",
                tool_id,
                365,
                30,
                today,
                1.0,
                True,
                env.company.id,
                uid,
                uid,
                now,
                now,
            )
            for tool_id in tool_ids[::10]
        ),
    )
    return len(plans), len(tool_plan_ids)


def seed_faults(env, count, tool_ids):
    now = datetime.now().replace(microsecond=0)
    stage = env["maintenance.stage"].search([("done", "=", False)], order="sequence", limit=1)
    team = env["maintenance.team"].search([], limit=1) or env["maintenance.team"].create(
        {"name": "Bench maintenance team"}
    )
    uid = env.uid
    rows = []
    for i in range(count):
        reported = now - timedelta(hours=30 if i % 2 else 50)
        rows.append(
            (
                f"Bench fault {i}",
                tool_ids[-1 - i],  # tools at the end, out of the check-out range
                "corrective",
                stage.id,
                reported.date(),
                reported,
                reported + timedelta(hours=24),
                reported + timedelta(hours=48),
                "reported",
                "0",
                "normal",
                team.id,
                1.0,
                env.company.id,
                uid,
                uid,
                now,
                now,
            )
        )
    bulk_insert(
        env.cr,
        "maintenance_request",
        (
            "name",
            "equipment_id",
            "maintenance_type",
            "stage_id",
            "request_date",
            "reported_at",
            "diagnosis_due",
            "repair_due",
            "fault_state",
            "priority",
            "kanban_state",
            "maintenance_team_id",
            "duration",
            "company_id",
            "create_uid",
            "write_uid",
            "create_date",
            "write_date",
        ),  # fmt: skip
        rows,
    )


def seed_checkouts(env, count, tool_ids):
    users = make_users(env, "Bench holder", 50, ["service_quality.group_service_user"])
    employees = env["hr.employee"].create([{"name": u.name, "user_id": u.id} for u in users])
    make_users(env, "Bench keeper", 2, ["equipment_care.group_equipment_keeper"])
    now = datetime.now().replace(microsecond=0)
    uid = env.uid
    bulk_insert(
        env.cr,
        "equipment_checkout",
        (
            "name",
            "equipment_id",
            "tool_code",
            "employee_id",
            "user_id",
            "checkout_at",
            "expected_return_at",
            "state",
            "company_id",
            "create_uid",
            "write_uid",
            "create_date",
            "write_date",
        ),  # fmt: skip
        (
            (
                f"Bench check-out {i}",
                tool_ids[i],
                f"BENCHJ-{i:07d}",
                employees[i % len(employees)].id,
                users[i % len(users)].id,
                now - timedelta(hours=80),
                now - timedelta(hours=1 + i % 72),
                "out",
                env.company.id,
                uid,
                uid,
                now,
                now,
            )
            for i in range(count)
        ),
    )
    env.cr.execute(
        "UPDATE maintenance_equipment SET care_status = 'checked_out' WHERE id = ANY(%s)",
        [tool_ids[:count]],
    )


def _options(parser):
    parser.add_argument(
        "--skip-care-plans",
        action="store_true",
        help="seed no care plan and leave the care-plan job out (escalations only)",
    )
    parser.add_argument(
        "--skip-escalations",
        action="store_true",
        help="seed no fault or check-out and leave both escalation jobs out",
    )


def main(argv=None):
    args = parse_args(
        "Equipment jobs",
        default_size=50_000,
        argv=argv,
        configure=_options,
    )
    faults = checkouts = args.size * 2 // 5
    bench = Bench(args.title)
    context = {"tracking_disable": True, "mail_create_nolog": True}
    with environment(args.db, args.addons_path, context=context) as env, one_transaction(env):
        with bench.measure(env, "seed tools (SQL bulk insert)", args.size):
            categories, tool_ids = seed_tools(env, args.size)
        if not args.skip_care_plans:
            with bench.measure(env, "seed care plans (category: ORM, per tool: SQL)", args.size):
                category_plans, tool_plans = seed_plans(env, categories, tool_ids)
        if not args.skip_escalations:
            with bench.measure(env, "seed open faults (SQL bulk insert)", faults):
                seed_faults(env, faults, tool_ids)
            with bench.measure(env, "seed overdue check-outs (SQL bulk insert)", checkouts):
                seed_checkouts(env, checkouts, tool_ids)

        Request = env["maintenance.request"]
        # the requests of the seeded plans (a database with demo data has others)
        bench_requests = [("care_plan_id.name", "=like", "Bench %")]
        for run in () if args.skip_care_plans else ("first run", "second run"):
            plan_count = category_plans + tool_plans
            env.invalidate_all()
            before = Request.search_count(bench_requests)
            with bench.measure(env, f"care-plan job, {run}", args.size):
                run_job(env["equipment.care.plan"]._cron_generate_requests)
            created = Request.search_count(bench_requests) - before
            row = bench.rows[-1]
            row.note = (
                f"{created:,} requests from {plan_count:,} plans ({category_plans} category, "
                f"{tool_plans:,} per tool) in {-(-plan_count // PLAN_BATCH):,} batches of "
                f"{PLAN_BATCH}: {row.queries / plan_count:.1f} queries per plan, "
                f"{row.queries / created if created else 0:.2f} per request"
            )
            if run == "first run":
                expected = args.size + tool_plans
                assert created == expected, f"care-plan job created {created} of {expected}"
                row.records = created  # time per 1,000 requests created
            else:
                assert created == 0, f"second care-plan run created {created}"

        # faults: half breached the diagnosis deadline only, half both; the
        # job takes each deadline in its own batches
        escalated = faults + (faults + 1) // 2
        fault_batches = -(-faults // JOB_BATCH) + -(-((faults + 1) // 2) // JOB_BATCH)
        escalations = (
            ()
            if args.skip_escalations
            else (
                ("fault escalation job", Request._cron_escalate_faults, faults, fault_batches),
                (
                    "overdue check-out job",
                    env["equipment.checkout"]._cron_escalate_overdue,
                    checkouts,
                    None,
                ),
            )
        )
        for label, job, records, batches in escalations:
            for run in ("first run", "second run"):
                env.invalidate_all()
                with bench.measure(env, f"{label}, {run}", records):
                    processed = run_job(job)
                row = bench.rows[-1]
                row.note = job_note(row.queries, processed, JOB_BATCH, batches)
                if run == "first run":
                    row.records = processed  # time per 1,000 escalations
                if run == "second run":
                    assert processed == 0, f"{label}: second run handled {processed}"
        if escalations:
            # a database with demo data may hold late faults of its own
            assert bench.rows[-4].records >= escalated, bench.rows[-4].note
    bench.print_table()


if __name__ == "__main__":
    main()
