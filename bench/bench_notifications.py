"""Benchmark of the customer notification queue (service_quality).

    python bench/bench_notifications.py --db <db> [--size 10000] [--batch 1000]

Seeds ``--size`` customers (email, mobile, Shanghai
time zone) and, by SQL bulk insert, one open service order each, then tells every customer that
the request was received (``service.order._customer_notify('received')``)
in batches of ``--batch`` orders: per order one log row per channel
(``service.customer.notification``, claimed under its UNIQUE key, as in the
request), then runs the notification job that renders them: one
queued ``mail.mail`` (the request-received template, rendered in the
customer's language and time zone) and one queued ``sms.sms`` (Odoo's SMS
composer in mass mode, with its note in the order's history). A second
pass over the same orders shows that nothing is sent twice. Everything runs
in one transaction that is rolled back at the end.
"""

import os
import sys
from datetime import datetime, timedelta

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import Bench, bulk_insert, environment, one_transaction, parse_args, run_job


def seed(env, size):
    now = datetime.now().replace(microsecond=0)
    uid = env.uid
    company = env.company
    # the company tells customers by email and SMS (the default)
    # (written only when off: no lock on the company row for the whole run)
    if not (company.service_notify_email and company.service_notify_sms):
        company.write({"service_notify_email": True, "service_notify_sms": True})
    # ORM create: res.partner has NOT NULL columns filled by other addons' defaults
    partners = (
        env["res.partner"]
        .with_context(tracking_disable=True, mail_create_nolog=True)
        .create(
            [
                {
                    "name": f"Bench customer {i}",
                    "email": f"bench.customer.{i}@example.com",
                    "mobile": f"+86 139 {i // 10000:04d} {i % 10000:04d}",
                    "tz": "Asia/Shanghai",
                    "lang": "en_US",
                }
                for i in range(size)
            ]
        )
        .ids
    )
    orders = bulk_insert(
        env.cr,
        "service_order",
        [
            "name",
            "partner_id",
            "contact_email",
            "contact_phone",
            "channel",
            "priority",
            "received_at",
            "intake_user_id",
            "state",
            "company_id",
            "sla_status",
            "warranty",
            "response_deadline",
            "resolve_deadline",
            "create_uid",
            "write_uid",
            "create_date",
            "write_date",
        ],  # fmt: skip
        [
            (
                f"BENCH-N-{i:07d}",
                partner_id,
                f"bench.customer.{i}@example.com",
                f"+86 139 {i // 10000:04d} {i % 10000:04d}",
                "phone",
                "0",
                now,
                uid,
                "new",
                company.id,
                "on_track",
                "out",
                now + timedelta(hours=24),
                now + timedelta(hours=48),
                uid,
                uid,
                now,
                now,
            )
            for i, partner_id in enumerate(partners)
        ],
    )
    return env["service.order"].browse(orders)


def notify(env, order_ids, batch):
    Order = env["service.order"]
    told = 0
    for start in range(0, len(order_ids), batch):
        result = Order.browse(order_ids[start : start + batch])._customer_notify("received")
        told += len(result.get("email", [])) + len(result.get("sms", []))
        env.flush_all()
        env.invalidate_all()
    return told


def main():
    args = parse_args(
        "Customer notification queue",
        default_size=10_000,
        configure=lambda p: (
            p.add_argument("--batch", type=int, default=1000),
            p.add_argument(
                "--job-batches",
                type=int,
                default=0,
                help="run only this many batches of the notification job (0: until the queue "
                "is empty): the cost per event with the whole queue waiting",
            ),
        ),
    )
    bench = Bench(args.title)
    with environment(args.db, args.addons_path) as env, one_transaction(env):
        # what the database has still to send is sent first: the figures are
        # this run's only
        run_job(env["service.customer.notification"]._cron_send_pending)
        orders = seed(env, args.size)
        env.flush_all()
        ids = orders.ids
        env.cr.execute("SELECT COALESCE(MAX(id), 0) FROM mail_mail")
        mails_before = env.cr.fetchone()[0]
        env.cr.execute("SELECT COALESCE(MAX(id), 0) FROM sms_sms")
        sms_before = env.cr.fetchone()[0]
        with bench.measure(env, "request received: claimed in the request", args.size):
            told = notify(env, ids, args.batch)
        bench.rows[-1].note = f"{told:,} sends claimed, nothing rendered"
        Log = env["service.customer.notification"]
        if args.job_batches:
            # one call is one locked batch (the cron runner's unit of work)
            env.cr.execute(
                "SELECT COUNT(*) FROM service_customer_notification WHERE state = 'pending'"
            )
            pending_before = env.cr.fetchone()[0]
            with bench.measure(env, "notification job: first batches", 0):
                for _call in range(args.job_batches):
                    Log._cron_send_pending()
            env.cr.execute(
                "SELECT COUNT(*) FROM service_customer_notification WHERE state = 'pending'"
            )
            sent = pending_before - env.cr.fetchone()[0]
            row = bench.rows[-1]
            row.records = sent
            row.note = (
                f"{sent:,} sends of {pending_before:,} pending in {args.job_batches} batches: "
                f"{row.seconds * 1000 / max(sent, 1):.0f} ms and "
                f"{row.queries / args.job_batches:.0f} queries per batch"
            )
            bench.print_table()
            return
        with bench.measure(env, "notification job: mail.mail + sms.sms queued", args.size):
            run_job(Log._cron_send_pending)
        env.cr.execute("SELECT COUNT(*) FROM mail_mail WHERE id > %s", [mails_before])
        mails = env.cr.fetchone()[0]
        env.cr.execute(
            "SELECT COUNT(*) FROM sms_sms WHERE id > %s AND state = 'outgoing'", [sms_before]
        )
        sms = env.cr.fetchone()[0]
        queries = bench.rows[-1].queries
        bench.rows[-1].note = (
            f"{mails:,} mail.mail, {sms:,} sms.sms queued ({told:,} sends); "
            f"{queries / args.size:.1f} queries per event, batch {args.batch}"
        )
        with bench.measure(env, "same events again: nothing sent", args.size):
            again = notify(env, ids, args.batch)
        bench.rows[-1].note = f"{again} sends"
        if mails != args.size or sms != args.size or again:
            raise SystemExit(
                f"expected {args.size} mails and SMS once: {mails} mails, {sms} SMS, {again} again"
            )
    bench.print_table()


if __name__ == "__main__":
    main()
