from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged

from .order_common import ServiceOrderCommon


@tagged("post_install", "-at_install")
class TestOrderCompletionJob(ServiceOrderCommon):
    """Customer Accepted leaves the signed report and the completion email
    to a job: the click stays short, the evidence is there once it ran."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cron = cls.env.ref("service_quality.ir_cron_service_order_completion")
        cls.report = cls.env.ref("service_quality.report_service_order")

    def _completion_mails(self, order):
        return (
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", "service.order"), ("res_id", "=", order.id)])
            .filtered(lambda m: "/service/rate/" in (m.body_html or ""))
        )

    def _stored_reports(self, order):
        return (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "service.order"),
                    ("res_id", "=", order.id),
                    ("name", "=like", f"Service Report - {order.name} - signed %"),
                ]
            )
        )

    def _sign_and_accept(self, order):
        order.with_user(self.technician).write(
            {"customer_signature": self.signature, "signed_by": "Chen Wei"}
        )
        order.with_user(self.inspector).action_accept()

    def test_accept_queues_the_job_instead_of_rendering(self):
        order = self._walk_to(self._create_order(), "to_accept")
        runners = self.cron | self.env.ref("service_quality.ir_cron_service_order_completion_2")
        Trigger = self.env["ir.cron.trigger"].sudo()
        triggers = Trigger.search([("cron_id", "in", runners.ids)])
        self._sign_and_accept(order)
        self.assertEqual(order.state, "done")
        self.assertTrue(order.completion_pending)
        self.assertFalse(self._completion_mails(order))
        self.assertFalse(self._stored_reports(order))
        new_triggers = Trigger.search([("cron_id", "in", runners.ids)]) - triggers
        self.assertEqual(
            sorted(new_triggers.cron_id.ids),
            sorted(runners.ids),
            "both runners of the job are woken up by the acceptance",
        )

    def test_second_runner_does_the_same_job(self):
        """Odoo runs a scheduled action in one cron worker at a time: the
        second runner lets two workers render at once. Either one completes
        an order, and an order done by one is not done again by the other.
        (Both at once, on two nodes, each on its own locked batch: the
        scale-out check, which counts one completion email per order.)"""
        runner = self.env.ref("service_quality.ir_cron_service_order_completion_2")
        self.assertEqual(runner.code, self.cron.code)
        self.assertTrue(runner.active)
        order = self._walk_to(self._create_order(), "done")
        runner.method_direct_trigger()
        self.assertFalse(order.completion_pending)
        self.cron.method_direct_trigger()
        self.assertEqual(len(self._stored_reports(order)), 1)
        self.assertEqual(len(self._completion_mails(order)), 1)

    def test_job_attaches_the_signed_report_and_queues_the_email(self):
        order = self._walk_to(self._create_order(), "done")
        self.cron.method_direct_trigger()
        self.assertFalse(order.completion_pending)
        stored = self._stored_reports(order)
        self.assertEqual(len(stored), 1)
        self.assertEqual(self.report.retrieve_attachment(order), stored)
        # what the customer signed: his name and the work done are in it
        content = stored.raw.decode()
        self.assertIn("Chen Wei", content)
        self.assertIn("Belt replaced", content)
        mail = self._completion_mails(order)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.state, "outgoing")
        self.assertEqual(len(mail.attachment_ids), 1)
        self.assertIn(order.name, mail.attachment_ids.name)
        note = order.message_ids.filtered(lambda m: "Completion email" in (m.body or ""))
        self.assertEqual(len(note), 1)
        # in the name of whoever accepted the work, not of the job
        self.assertEqual(note.author_id, self.inspector.partner_id)

    def test_job_runs_once_per_acceptance(self):
        orders = self._create_order() | self._create_order(
            user_id=self.technician.id,
            appointment_start=datetime(2030, 3, 5, 9, 0),
            appointment_end=datetime(2030, 3, 5, 11, 0),
        )
        for order in orders:
            self._walk_to(order, "done")
        self.cron.method_direct_trigger()
        self.cron.method_direct_trigger()
        for order in orders:
            self.assertEqual(len(self._stored_reports(order)), 1)
            self.assertEqual(len(self._completion_mails(order)), 1)

    def test_job_stops_rendering_when_its_time_is_used(self):
        orders = self._create_order() | self._create_order(
            user_id=self.technician.id,
            appointment_start=datetime(2030, 3, 5, 9, 0),
            appointment_end=datetime(2030, 3, 5, 11, 0),
        )
        for order in orders:
            self._walk_to(order, "done")
        # no time left after the first report: one order done, one pending
        self.env["service.order"]._cron_complete_orders(seconds=0)
        first, second = orders.sorted("id")
        self.assertFalse(first.completion_pending)
        self.assertEqual(len(self._stored_reports(first)), 1)
        self.assertEqual(len(self._completion_mails(first)), 1)
        self.assertTrue(second.completion_pending)
        self.assertFalse(self._stored_reports(second))
        self.assertFalse(self._completion_mails(second))
        self.cron.method_direct_trigger()
        for order in orders:
            self.assertFalse(order.completion_pending)
            self.assertEqual(len(self._stored_reports(order)), 1)
            self.assertEqual(len(self._completion_mails(order)), 1)

    def test_report_of_a_new_signature_is_kept_beside_the_first(self):
        order = self._walk_to(self._create_order(), "done")
        self.cron.method_direct_trigger()
        first = self._stored_reports(order)
        order.with_user(self.manager)._workflow_reopen("Customer signed the wrong copy")
        self.assertEqual(order.state, "to_accept")
        self.assertFalse(self.report.retrieve_attachment(order))
        with freeze_time(fields.Datetime.now() + timedelta(minutes=5)):
            self._sign_and_accept(order)
        self.cron.method_direct_trigger()
        stored = self._stored_reports(order)
        self.assertEqual(len(stored), 2)
        self.assertIn(first, stored)
        self.assertEqual(self.report.retrieve_attachment(order), stored - first)


@tagged("post_install", "-at_install", "is_query_count")
class TestOrderStepQueries(ServiceOrderCommon):
    """Queries of each step of the order flow, as one request each (cache
    dropped before, flush and tracking after), on a warm registry."""

    def _steps(self):
        return [
            ("assess", self.dispatcher, lambda o: o.action_assess()),
            ("approve", self.manager, lambda o: o.action_approve()),
            ("schedule", self.dispatcher, lambda o: o.action_schedule()),
            ("start", self.technician, lambda o: o.action_start()),
            ("work", self.technician, lambda o: o.write({"resolution": "Belt replaced"})),
            ("finish", self.technician, lambda o: o.action_finish()),
            (
                "sign",
                self.technician,
                lambda o: o.write({"customer_signature": self.signature, "signed_by": "Chen Wei"}),
            ),
            ("accept", self.inspector, lambda o: o.action_accept()),
            (
                "feedback",
                self.dispatcher,
                lambda o: self.env["service.feedback"]
                .with_user(self.dispatcher)
                .create({"service_order_id": o.id, "score": 5, "channel": "phone"}),
            ),
        ]

    def _new_order(self, k):
        return self._create_order(
            category_id=self.category_approval.id,
            diagnosis="Worn belt",
            plan="Replace belt",
            user_id=self.technician.id,
            appointment_start=f"2030-03-0{k} 09:00:00",
            appointment_end=f"2030-03-0{k} 11:00:00",
        )

    def _run(self, order, budgets=None):
        for label, user, step in self._steps():
            self.env.invalidate_all()
            if budgets is None:
                step(order.with_user(user))
                self.env.flush_all()
                self.env.cr.precommit.run()
                continue
            with self.assertQueryCount(budgets[label]):
                step(order.with_user(user))
                self.env.flush_all()
                self.env.cr.precommit.run()

    def test_order_steps_query_counts(self):
        # the company's time zone is known (as in the demo data): the notes
        # written in the company's time need not read its working calendar
        self.env.company.partner_id.tz = "Asia/Shanghai"
        self._run(self._new_order(4))  # warm caches
        # Customer Accepted no longer renders the service report nor sends the
        # email in the request (the completion job does): see
        # bench/profile_order_steps.py for the figures before and after.
        self._run(
            self._new_order(5),
            {
                # the borrowing read rule of the archived records is cached
                # per reader and day; scheduling claims the customer's
                # appointment email and SMS in one insert and wakes their job
                # once when the request commits
                "assess": 8,
                "approve": 8,
                "schedule": 17,
                "start": 13,
                "work": 5,
                "finish": 9,
                "sign": 10,
                # acceptance wakes both runners of the completion job (one
                # trigger row each); since the evidence guards, the contract
                # visits of the order are read once more on the way
                "accept": 52,
                "feedback": 37,
            },
        )
