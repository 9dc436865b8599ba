"""Benchmark of service_training's periodic jobs: assessment
generation and effectiveness evaluations.

    python bench/bench_training_jobs.py --db <db> [--size 2000]

Seeds ``--size`` technicians (users in the technician group with an
employee each, ORM), one finished training session they all attended and,
by SQL bulk insert, one planned 3-month effectiveness review per attendee
whose date has come. Then runs, in one transaction rolled back at the end
(per-batch commits disabled as under tests, any other commit fails), twice
each:

* the periodic assessment job: the missing monthly, quarterly and annual
  assessments of every technician (3 per technician), each with its KPI
  snapshot (order KPIs and the KPI report's service score, read for the
  whole batch of 200);
* the effectiveness evaluation job: the after-training KPIs of every review
  whose date has come (batches of 500).

The certification state job and reminders are in ``bench_training.py``.
Rows are printed by ``bench/common.py``.
"""

import os
import sys
from datetime import date, datetime, timedelta

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import (
    Bench,
    bulk_insert,
    environment,
    make_users,
    one_transaction,
    parse_args,
    run_job,
)

ASSESSMENT_BATCH = 200
EVALUATION_BATCH = 500


def seed(env, size):
    users = make_users(env, "Bench technician", size, ["service_quality.group_service_user"])
    employees = env["hr.employee"].create([{"name": u.name, "user_id": u.id} for u in users])
    course = env["training.course"].create({"name": "Bench course"})
    start = datetime.combine(date.today() - timedelta(days=120), datetime.min.time())
    session = env["training.session"].create(
        {
            "course_id": course.id,
            "date_start": start + timedelta(hours=9),
            "date_end": start + timedelta(hours=17),
        }
    )
    env.flush_all()
    now = datetime.now()
    uid = env.uid
    company_id = env.company.id
    attendance_ids = bulk_insert(
        env.cr,
        "training_attendance",
        (
            "session_id",
            "course_id",
            "session_date",
            "employee_id",
            "user_id",
            "attendance",
            "result",
            "hours",
            "company_id",
            "create_uid",
            "write_uid",
            "create_date",
            "write_date",
        ),  # fmt: skip
        (
            (
                session.id,
                course.id,
                session.date_start,
                e.id,
                e.user_id.id,
                "present",
                "passed",
                8.0,
                company_id,
                uid,
                uid,
                now,
                now,
            )  # fmt: skip
            for e in employees
        ),
    )
    bulk_insert(
        env.cr,
        "training_evaluation",
        (
            "attendance_id",
            "session_id",
            "course_id",
            "employee_id",
            "user_id",
            "milestone",
            "review_date",
            "state",
            "company_id",
            "create_uid",
            "write_uid",
            "create_date",
            "write_date",
        ),  # fmt: skip
        (
            (
                attendance_id,
                session.id,
                course.id,
                e.id,
                e.user_id.id,
                "3m",
                date.today() - timedelta(days=1 + i % 20),
                "planned",
                company_id,
                uid,
                uid,
                now,
                now,
            )  # fmt: skip
            for i, (attendance_id, e) in enumerate(zip(attendance_ids, employees, strict=True))
        ),
    )
    env.invalidate_all()
    return employees


def main(argv=None):
    args = parse_args("Training jobs", default_size=2_000, argv=argv)
    bench = Bench(args.title)
    context = {"tracking_disable": True, "mail_create_nolog": True}
    with environment(args.db, args.addons_path, context=context) as env, one_transaction(env):
        with bench.measure(env, "seed technicians (ORM) and reviews (SQL)", args.size):
            employees = seed(env, args.size)
        Assessment = env["training.assessment"]
        technicians = len(Assessment._technician_employees())
        for run in ("first run", "second run"):
            env.invalidate_all()
            before = Assessment.search_count([])
            with bench.measure(env, f"assessment job, {run}", args.size):
                run_job(Assessment._cron_generate_assessments)
            created = Assessment.search_count([]) - before
            row = bench.rows[-1]
            batches = 3 * -(-technicians // ASSESSMENT_BATCH)
            row.note = (
                f"{created:,} assessments for {technicians:,} technicians, "
                f"{batches} batches of {ASSESSMENT_BATCH}: {row.queries / batches:.1f} queries "
                f"per batch, {row.queries / created:.3f} per assessment"
                if created
                else f"nothing to do for {technicians:,} technicians"
            )
            if run == "first run":
                # the seeded technicians get all three; demo technicians may
                # already hold some of them
                assert 3 * len(employees) <= created <= 3 * technicians, created
                row.records = created
            else:
                assert created == 0, f"second assessment run created {created}"

        Evaluation = env["training.evaluation"]
        for run in ("first run", "second run"):
            env.invalidate_all()
            planned = Evaluation.search_count([("state", "=", "planned")])
            with bench.measure(env, f"effectiveness evaluation job, {run}", args.size):
                run_job(Evaluation._cron_measure_due_evaluations)
            measured = planned - Evaluation.search_count([("state", "=", "planned")])
            row = bench.rows[-1]
            batches = -(-measured // EVALUATION_BATCH)
            row.note = (
                f"{measured:,} reviews measured, {batches} batches of {EVALUATION_BATCH}: "
                f"{row.queries / batches if batches else row.queries:.1f} queries per batch, "
                f"{row.queries / measured if measured else 0:.3f} per review"
                if measured
                else "nothing to do"
            )
            if run == "first run":
                assert measured >= len(employees), measured
                row.records = measured
            else:
                assert measured == 0, f"second evaluation run measured {measured}"
    bench.print_table()


if __name__ == "__main__":
    main()
