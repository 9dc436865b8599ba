from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .order_common import ServiceOrderCommon


@tagged("post_install", "-at_install")
class TestSlaCron(ServiceOrderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy = cls.env["service.sla.policy"].create(
            {
                "name": "Two hours",
                "use_24x7": True,
                "response_hours": 2,
                "resolve_hours": 4,
                "warning_percent": 50,
                "escalation_user_ids": [Command.set(cls.manager.ids)],
            }
        )
        cls.cron = cls.env.ref("service_quality.ir_cron_service_order_sla")

    def _sla_notifications(self, order, text):
        """SLA notifications naming ``order`` and containing ``text``."""
        return self.env["mail.message"].search(
            [
                ("message_type", "=", "user_notification"),
                ("subject", "=", "SLA watch"),
                ("body", "ilike", order.name),
                ("body", "ilike", text),
            ]
        )

    def test_sweep_marks_posts_and_escalates_once(self):
        with freeze_time("2026-01-05 08:00:00"):
            order = self._create_order()
        self.assertEqual(order.sla_status, "on_track")
        with freeze_time("2026-01-05 09:05:00"):
            self.cron.method_direct_trigger()
            self.cron.method_direct_trigger()
        self.assertEqual(order.sla_status, "at_risk")
        at_risk = self._sla_notifications(order, "at risk")
        self.assertEqual(len(at_risk), 1)
        # the escalation users and the team leader, in their inbox
        self.assertEqual(at_risk.partner_ids, (self.manager | self.leader).partner_id)
        self.assertEqual(
            set(at_risk.notification_ids.mapped("res_partner_id")),
            {self.manager.partner_id, self.leader.partner_id},
        )
        self.assertEqual(at_risk.author_id, self.env.ref("base.partner_root"))
        self.assertIn("/mail/view?model=service.order&amp;res_id=%s" % order.id, at_risk.body)
        self.assertFalse(order.message_ids.filtered(lambda m: "SLA" in (m.body or "")))
        with freeze_time("2026-01-05 10:05:00"):
            self.cron.method_direct_trigger()
            self.cron.method_direct_trigger()
        self.assertEqual(order.sla_status, "breached")
        self.assertTrue(order.sla_breached)
        self.assertEqual(order.response_breached_at.strftime("%H:%M"), "10:05")
        self.assertEqual(len(self._sla_notifications(order, "no response by")), 1)
        with freeze_time("2026-01-05 12:05:00"):
            self.env["service.order"]._cron_sla_sweep()
            self.env["service.order"]._cron_sla_sweep()
        self.assertEqual(len(self._sla_notifications(order, "not resolved by")), 1)
        self.assertEqual(order.resolve_breached_at.strftime("%H:%M"), "12:05")
        # The breach stays recorded once the work is finished
        with freeze_time("2026-01-05 13:00:00"):
            self._walk_to(order, "done")
        self.assertEqual(order.sla_status, "breached")
        self.assertTrue(order.sla_breached)
        self.assertTrue(order.response_breached_at)

    def test_waiting_orders_are_not_swept(self):
        with freeze_time("2026-01-05 08:00:00"):
            order = self._create_order()
            order.action_wait_customer()
        with freeze_time("2026-01-05 11:00:00"):
            self.env["service.order"]._cron_sla_sweep()
        self.assertEqual(order.sla_status, "on_track")
        self.assertFalse(order.sla_breached)

    def test_sweep_in_small_batches_covers_everything(self):
        with freeze_time("2026-01-05 08:00:00"):
            orders = self.env["service.order"].create(
                [{"partner_id": self.customer.id, "team_id": self.team.id} for _i in range(7)]
            )
        # one batch per call; the cron runner calls again while some remain
        IrCron = type(self.env["ir.cron"])
        with (
            freeze_time("2026-01-05 13:00:00"),
            patch.object(IrCron, "_notify_progress") as progress,
        ):
            counts = [self.env["service.order"]._cron_sla_sweep(batch_size=3) for _i in range(3)]
        self.assertEqual(counts, [3, 3, 1])
        self.assertEqual(
            [call.kwargs for call in progress.call_args_list],
            [{"done": 3, "remaining": 4}, {"done": 3, "remaining": 1}, {"done": 1, "remaining": 0}],
        )
        self.assertEqual(set(orders.mapped("sla_status")), {"breached"})
        self.assertTrue(all(orders.mapped("response_breached_at")))
        self.assertTrue(all(orders.mapped("resolve_breached_at")))
        # one notification per call, each naming the orders of its batch
        for order in orders:
            self.assertEqual(len(self._sla_notifications(order, "SLA breaches")), 1)

    def test_sweep_query_count_does_not_grow(self):
        Order = self.env["service.order"]

        def make(count):
            with freeze_time("2026-01-05 08:00:00"):
                return Order.create(
                    [
                        {"partner_id": self.customer.id, "team_id": self.team.id}
                        for _i in range(count)
                    ]
                )

        # warm the caches (xml ids, model ids) with a first batch
        make(2)
        with freeze_time("2026-01-05 13:00:00"):
            Order._cron_sla_sweep()
        self.env.invalidate_all()
        make(3)
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.env.cr.sql_log_count
        with freeze_time("2026-01-05 13:00:00"):
            Order._cron_sla_sweep()
            self.env.flush_all()
        small = self.env.cr.sql_log_count - start
        # 20 orders -> still one notification for the batch
        large_orders = make(20)
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(small), freeze_time("2026-01-05 13:00:00"):
            Order._cron_sla_sweep()
            self.env.flush_all()
        self.assertEqual(set(large_orders.mapped("sla_status")), {"breached"})


@tagged("post_install", "-at_install")
class TestOrderCreateQueries(ServiceOrderCommon):
    def test_batch_create_query_count_does_not_grow(self):
        """Numbers, policies and deadlines are computed per batch: creating 25
        orders costs the same queries as creating 3."""
        Order = self.env["service.order"]

        def vals(count):
            return [
                {"partner_id": self.customer.id, "team_id": self.team.id, "priority": str(i % 3)}
                for i in range(count)
            ]

        Order.create(vals(2))  # warm the caches
        # cr.flush() runs the pre-commit hooks too (the notification job's
        # wake-up, once per transaction), as assertQueryCount does
        self.env.flush_all()
        self.env.cr.flush()
        self.env.invalidate_all()
        start = self.env.cr.sql_log_count
        Order.create(vals(3))
        self.env.flush_all()
        self.env.cr.flush()
        small = self.env.cr.sql_log_count - start
        self.env.invalidate_all()
        with self.assertQueryCount(small):
            orders = Order.create(vals(25))
            self.env.flush_all()
        self.assertEqual(len(set(orders.mapped("name"))), 25)
        self.assertTrue(all(orders.mapped("resolve_deadline")))
