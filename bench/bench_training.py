"""Benchmark of the training hot paths, in a transaction rolled back at the end.

    python bench/bench_training.py --db <db> [--size N]

Seeds N technicians' certificates (SQL bulk insert) and measures the
certified-to-work check, the qualified-technician picker, the daily state
job and the expiry reminders. Prints: operation, records, total s,
s per 1,000, queries, peak RSS MB.
"""

import argparse
import os
import resource
import sys
import time
from datetime import date, datetime, timedelta


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--size", type=int, default=2000)
    args = parser.parse_args()
    odoo_path = os.environ.get("ODOO_PATH", "/opt/odoo")
    sys.path.insert(0, odoo_path)
    import odoo
    from odoo.tools import SQL

    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    odoo.tools.config.parse_config(
        [
            f"--addons-path={odoo_path}/odoo/addons,{odoo_path}/addons,{repo}/addons",
            "--db_host=" + os.environ.get("PGHOST", "localhost"),
            "--db_user=" + os.environ.get("PGUSER", "odoo"),
            "--db_password=" + os.environ.get("PGPASSWORD", "odoo"),
        ]
    )
    registry = odoo.modules.registry.Registry(args.db)
    rows = []
    with registry.cursor() as cr:
        env = odoo.api.Environment(
            cr, odoo.SUPERUSER_ID, {"tracking_disable": True, "training_no_commit": True}
        )
        size = args.size
        company = env.company
        cert_type = env["training.certification.type"].create(
            {"name": "Bench type", "code": f"BENCH{os.getpid()}", "validity_months": 12}
        )
        category = env["service.category"].create(
            {"name": "Bench category", "required_certification_type_ids": [(6, 0, cert_type.ids)]}
        )
        tech_group = env.ref("service_quality.group_service_user")
        users = env["res.users"].create(
            [
                {
                    "name": f"Bench tech {i}",
                    "login": f"bench_tech_{os.getpid()}_{i}",
                    "groups_id": [(6, 0, tech_group.ids)],
                }
                for i in range(20)
            ]
        )
        employees = env["hr.employee"].create([{"name": u.name, "user_id": u.id} for u in users])
        today = date.today()
        # SQL bulk insert of `size` certificates spread over the employees.
        values = []
        for i in range(size):
            emp = employees[i % len(employees)]
            expiry = today + timedelta(days=1 + i % 120)
            values.append(
                SQL(
                    "(%s, %s, %s, %s, %s, %s, %s, 'valid', 0, 0, true, now(), now(), 1, 1)",
                    emp.id,
                    emp.user_id.id,
                    cert_type.id,
                    f"BENCH/{os.getpid()}/{i:06d}",
                    today - timedelta(days=300),
                    expiry,
                    company.id,
                )
            )
        cr.execute(
            SQL(
                "INSERT INTO training_certification (employee_id, user_id, type_id, number, "
                "issue_date, expiry_date, company_id, state, renewal_count, "
                "reminder_threshold_sent, active, create_date, write_date, create_uid, write_uid) "
                "VALUES %s",
                SQL(", ").join(values),
            )
        )
        env.invalidate_all()
        partner = env["res.partner"].create({"name": "Bench customer"})
        order = env["service.order"].create(
            {
                "partner_id": partner.id,
                "category_id": category.id,
                "user_id": users[0].id,
                "appointment_start": datetime.combine(today, datetime.min.time())
                + timedelta(hours=2),
                "appointment_end": datetime.combine(today, datetime.min.time())
                + timedelta(hours=4),
            }
        )

        def measure(name, records, func):
            env.flush_all()
            env.invalidate_all()
            queries = cr.sql_log_count
            start = time.perf_counter()
            func()
            env.flush_all()
            total = time.perf_counter() - start
            rows.append(
                (
                    name,
                    records,
                    total,
                    total * 1000.0 / max(records, 1),
                    cr.sql_log_count - queries,
                    resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
                )
            )

        measure(
            "certified-to-work check",
            size,
            lambda: order._check_certified_to_work("scheduled"),
        )
        measure(
            "qualified technician picker",
            size,
            lambda: order.allowed_technician_ids.ids,
        )
        measure(
            "daily state job",
            size,
            lambda: env["training.certification"]._update_states(),
        )
        measure(
            "expiry reminders",
            size,
            lambda: env["training.certification"]._send_due_reminders(),
        )
        cr.rollback()
    print(
        f"{'operation':32} {'records':>8} {'total s':>9} {'s/1000':>9} {'queries':>8} {'RSS MB':>8}"
    )
    for name, records, total, per_k, queries, rss in rows:
        print(f"{name:32} {records:8d} {total:9.3f} {per_k:9.3f} {queries:8d} {rss:8.1f}")


if __name__ == "__main__":
    main()
