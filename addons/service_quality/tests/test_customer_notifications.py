import threading
import uuid
from datetime import datetime
from unittest.mock import patch

from odoo import SUPERUSER_ID, api
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..models import service_customer_notification
from .order_common import ServiceOrderCommon


@tagged("post_install", "-at_install")
class TestCustomerNotifications(ServiceOrderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.write({"tz": "Asia/Shanghai", "mobile": "+86 139 0000 0101"})
        cls.company.write({"service_notify_email": True, "service_notify_sms": True})

    def _run_jobs(self):
        """The jobs that render and queue what the clicks claimed: customer
        notifications, and the completion email with the signed report."""
        for xmlid in (
            "service_quality.ir_cron_customer_notifications",
            "service_quality.ir_cron_service_order_completion",
        ):
            self.env.ref(xmlid).method_direct_trigger()

    def _mails(self, record, subject_part):
        self._run_jobs()
        return self.env["mail.mail"].search(
            [
                ("model", "=", record._name),
                ("res_id", "=", record.id),
                ("subject", "ilike", subject_part),
            ]
        )

    def _sms(self, record, text):
        self._run_jobs()
        return (
            self.env["sms.sms"]
            .sudo()
            .search([("body", "ilike", text), ("body", "ilike", record.name)])
        )

    def _log(self, record, event):
        return (
            self.env["service.customer.notification"]
            .sudo()
            .search(
                [
                    ("res_model", "=", record._name),
                    ("res_id", "=", record.id),
                    ("event", "=", event),
                ]
            )
        )

    def test_request_received_by_email_and_sms_once(self):
        order = self._create_order()
        # the click only claims the messages: the job renders and queues them
        log = self._log(order, "received")
        self.assertEqual(set(log.mapped("state")), {"pending"})
        self.assertFalse(
            self.env["mail.mail"].search(
                [
                    ("model", "=", order._name),
                    ("res_id", "=", order.id),
                    ("subject", "ilike", "is received"),
                ]
            )
        )
        self.assertEqual(len(self._mails(order, "is received")), 1)
        sms = self._sms(order, "received")
        self.assertEqual(len(sms), 1)
        self.assertEqual(sms.state, "outgoing")
        self.assertEqual(sms.number.replace(" ", ""), "+862155550101")
        self.assertIn(order.name, sms.body)
        self.assertEqual(set(self._log(order, "received").mapped("channel")), {"email", "sms"})
        self.assertEqual(set(log.mapped("state")), {"queued"})
        order._customer_notify("received")
        self.assertEqual(len(self._mails(order, "is received")), 1)
        self.assertEqual(len(self._sms(order, "received")), 1)

    def test_dispatcher_reads_the_log_technician_does_not(self):
        order = self._create_order()
        self._run_jobs()
        Log = self.env["service.customer.notification"]
        logs = Log.with_user(self.dispatcher).search([("res_id", "=", order.id)])
        self.assertEqual(set(logs.mapped("channel")), {"email", "sms"})
        self.assertEqual(logs.mapped("document_ref"), [order, order])
        self.assertIn("service.order", dict(Log._selection_document_model()))
        self.assertIn("service.complaint", dict(Log._selection_document_model()))
        with self.assertRaises(AccessError):
            Log.with_user(self.technician).search([("res_id", "=", order.id)])
        with self.assertRaises(AccessError):
            logs.with_user(self.dispatcher).write({"state": "pending"})

    def test_company_setting_and_customer_opt_outs(self):
        self.customer.service_sms_opt_out = True
        order = self._create_order()
        self.assertEqual(len(self._mails(order, "is received")), 1)
        self.assertFalse(self._sms(order, "received"))
        self.customer.service_sms_opt_out = False
        self.customer.service_email_opt_out = True
        order = self._create_order()
        self.assertFalse(self._mails(order, "is received"))
        self.assertEqual(len(self._sms(order, "received")), 1)
        self.customer.service_email_opt_out = False
        self.company.service_notify_sms = False
        self.company.service_notify_email = False
        order = self._create_order()
        self.assertFalse(self._mails(order, "is received"))
        self.assertFalse(self._sms(order, "received"))
        self.assertFalse(self._log(order, "received"))

    def test_appointment_in_the_customers_time_zone_and_moves(self):
        order = self._walk_to(self._create_order(), "scheduled")
        # 09:00-11:00 UTC is 17:00-19:00 in Shanghai
        mail = self._mails(order, "your appointment")
        self.assertEqual(len(mail), 1)
        self.assertIn("Tess Technician", mail.body_html)
        self.assertIn("17:00", mail.body_html)
        self.assertIn("19:00", mail.body_html)
        sms = self._sms(order, "visits you")
        self.assertEqual(len(sms), 1)
        self.assertIn("17:00", sms.body)
        order.with_user(self.dispatcher).write(
            {
                "appointment_start": datetime(2030, 3, 5, 1, 0),
                "appointment_end": datetime(2030, 3, 5, 3, 0),
            }
        )
        self.assertEqual(len(self._mails(order, "your appointment")), 2)
        self.assertEqual(len(self._sms(order, "visits you")), 2)
        # the same appointment written again is not a move
        order.with_user(self.dispatcher).write({"appointment_start": datetime(2030, 3, 5, 1, 0)})
        self.assertEqual(len(self._sms(order, "visits you")), 2)

    def test_technician_on_the_way_once_per_appointment(self):
        order = self._walk_to(self._create_order(), "scheduled")
        order.with_user(self.technician).action_on_the_way()
        self.assertEqual(len(self._mails(order, "on the way")), 1)
        self.assertEqual(len(self._sms(order, "on the way")), 1)
        with self.assertRaisesRegex(UserError, "already told"):
            order.with_user(self.technician).action_on_the_way()
        new = self._create_order()
        with self.assertRaisesRegex(UserError, "no appointment under way"):
            new.with_user(self.technician).action_on_the_way()

    def test_work_done_sms_with_rating_link_and_one_completion_email(self):
        order = self._walk_to(self._create_order(), "done")
        self.assertEqual(len(self._mails(order, "completed")), 1)
        sms = self._sms(order, "/service/rate/")
        self.assertEqual(len(sms), 1)
        self.assertIn(f"/service/rate/{order.id}/", sms.body)

    def test_complaint_received_and_resolved(self):
        order = self._create_order()
        complaint = (
            self.env["service.complaint"]
            .with_user(self.dispatcher)
            .create(
                {
                    "partner_id": self.customer.id,
                    "service_order_id": order.id,
                    "description": "<p>Technician was late</p>",
                }
            )
        )
        self.assertEqual(len(self._mails(complaint, "is received")), 1)
        self.assertEqual(len(self._sms(complaint, "registered")), 1)
        complaint.with_user(self.inspector).action_acknowledge()
        complaint.with_user(self.inspector).action_investigate()
        complaint.with_user(self.inspector).write(
            {"handling_plan": "<p>Call back</p>", "resolution": "<p>Apology and discount</p>"}
        )
        complaint.with_user(self.inspector).action_approve_plan()
        complaint.with_user(self.inspector).action_resolve()
        mail = self._mails(complaint, "is resolved")
        self.assertEqual(len(mail), 1)
        self.assertIn("Apology and discount", mail.body_html)
        self.assertEqual(len(self._sms(complaint, "is resolved")), 1)

    def test_job_stops_rendering_when_its_time_is_used(self):
        """A call renders chunks of a group until its time is used (one chunk
        at least) and leaves the rest of its batch pending for the next
        call: a batch slow to render under load never runs the cron worker
        past its time limit."""
        Notification = self.env["service.customer.notification"]
        self._run_jobs()  # what was pending before: sent
        orders = self.env["service.order"].browse()
        for _index in range(3):
            orders |= self._create_order()
        pending = Notification.sudo().search(
            [("res_model", "=", "service.order"), ("res_id", "in", orders.ids)]
        )
        # three email and three SMS claims, in chunks of two, no time left
        # after the first chunk: two queued, four pending
        with patch.object(service_customer_notification, "SEND_CHUNK", 2):
            self.assertEqual(Notification._cron_send_pending(seconds=0), 2)
        self.assertEqual(sorted(pending.mapped("state")), ["pending"] * 4 + ["queued"] * 2)
        self.env.ref("service_quality.ir_cron_customer_notifications").method_direct_trigger()
        self.assertEqual(set(pending.mapped("state")), {"queued"})
        self.assertEqual(len(self._mails(orders[0], "is received")), 1)


@tagged("post_install", "-at_install")
class TestNotificationConcurrency(ServiceOrderCommon):
    """Two transactions tell the same event at once, on two real database
    connections: the second waits for the first and sends nothing."""

    # the second claim's serialization failure is expected and retried
    @mute_logger("odoo.sql_db")
    def test_concurrent_claims_send_once(self):
        registry = self.env.registry
        partner_id = self.env.ref("base.partner_admin").id
        key = uuid.uuid4().hex
        Log = "service.customer.notification"
        try:
            with registry.cursor() as cr_a, registry.cursor() as cr_b:
                env_a = api.Environment(cr_a, SUPERUSER_ID, {})
                env_b = api.Environment(cr_b, SUPERUSER_ID, {})
                won_a = env_a[Log]._claim(
                    env_a["res.partner"].browse(partner_id), "done", "sms", {partner_id: key}
                )
                self.assertEqual(won_a.ids, [partner_id])
                cr_b.execute("SELECT pg_backend_pid()")
                pid_b = cr_b.fetchone()[0]
                result = {}

                def claim_b():
                    result["b"] = (
                        env_b[Log]
                        ._claim(
                            env_b["res.partner"].browse(partner_id),
                            "done",
                            "sms",
                            {partner_id: key},
                        )
                        .ids
                    )

                thread = threading.Thread(target=claim_b)
                thread.start()
                waiting = threading.Event()
                with registry.cursor() as watcher:
                    for _i in range(600):
                        watcher.execute(
                            "SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s",
                            [pid_b],
                        )
                        if watcher.fetchone()[0] == "Lock":
                            break
                        watcher.rollback()
                        waiting.wait(0.05)
                    else:
                        self.fail("the second claim never waited for the first")
                cr_a.commit()
                thread.join(30)
                self.assertEqual(result["b"], [])
                cr_b.commit()
                again = env_b[Log]._claim(
                    env_b["res.partner"].browse(partner_id), "done", "sms", {partner_id: key}
                )
                self.assertFalse(again)
        finally:
            with registry.cursor() as cr:
                cr.execute(
                    "DELETE FROM service_customer_notification WHERE event_key = %s",
                    [f"done:{key}"],
                )
                cr.commit()
