from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .order_common import ServiceOrderCommon


@tagged("post_install", "-at_install")
class TestFeedback(ServiceOrderCommon):
    def test_scores_outside_range_refused(self):
        order = self._walk_to(self._create_order(), "done")
        Feedback = self.env["service.feedback"].with_user(self.dispatcher)
        for vals in (
            {"score": 0},
            {"score": 6},
            {"score": 4, "score_quality": 9},
            {"score": 3, "score_attitude": -1},
        ):
            with self.assertRaises(ValidationError):
                Feedback.create(dict(vals, service_order_id=order.id))
        self.assertFalse(order.feedback_ids)
        self.assertEqual(order.state, "done")

    def test_feedback_closes_order_and_return_visit_activity(self):
        order = self._walk_to(self._create_order(), "done")
        visit_type = self.env.ref("service_quality.mail_activity_type_return_visit")
        self.assertTrue(order.activity_ids.filtered(lambda a: a.activity_type_id == visit_type))
        with Form(self.env["service.feedback"].with_user(self.dispatcher)) as form:
            form.service_order_id = order
            form.score = 4
            form.score_timeliness = 5
            form.score_quality = 4
            form.score_attitude = 5
            form.score_transparency = 3
            form.comment = "Fast and clean"
        feedback = form.save()
        self.assertEqual(order.state, "closed")
        self.assertEqual(feedback.recorded_by_id, self.dispatcher)
        self.assertFalse(order.activity_ids.filtered(lambda a: a.activity_type_id == visit_type))
        self.assertFalse(feedback.complaint_id)

    def test_staff_record_feedback_in_their_own_name_and_channel(self):
        order = self._walk_to(self._create_order(), "done")
        Feedback = self.env["service.feedback"].with_user(self.technician)
        with self.assertRaisesRegex(UserError, "Portal channel is set by the customer"):
            Feedback.create({"service_order_id": order.id, "score": 5, "channel": "portal"})
        with self.assertRaisesRegex(UserError, "recorded in your own name"):
            Feedback.create(
                {"service_order_id": order.id, "score": 5, "recorded_by_id": self.dispatcher.id}
            )
        self.assertFalse(order.feedback_ids)
        feedback = Feedback.create({"service_order_id": order.id, "score": 5, "channel": "visit"})
        self.assertEqual((feedback.channel, feedback.recorded_by_id), ("visit", self.technician))
        # the customer's own submission (portal, signed link) runs as the system
        portal = (
            self.env["service.feedback"]
            .sudo()
            .create({"service_order_id": order.id, "round": 2, "score": 4, "channel": "portal"})
        )
        self.assertEqual(portal.channel, "portal")

    def test_low_score_opens_complaint_through_automation(self):
        automation = self.env.ref("service_quality.base_automation_low_score_complaint")
        self.assertTrue(automation.active)
        order = self._walk_to(self._create_order(), "done")
        feedback = (
            self.env["service.feedback"]
            .with_user(self.dispatcher)
            .create({"service_order_id": order.id, "score": 2, "comment": "Came two hours late"})
        )
        complaint = feedback.complaint_id
        self.assertTrue(complaint)
        self.assertEqual(complaint.service_order_id, order)
        self.assertEqual(complaint.partner_id, self.customer)
        self.assertEqual(complaint.channel, "feedback")
        self.assertIn("Came two hours late", complaint.description)
        # idempotent: the rule run again opens no second complaint
        feedback._create_low_score_complaint()
        self.assertEqual(
            self.env["service.complaint"].search_count([("service_order_id", "=", order.id)]), 1
        )

    def test_disabled_automation_opens_no_complaint(self):
        automation = self.env.ref("service_quality.base_automation_low_score_complaint")
        automation.active = False
        # deactivating patches the registry in place: re-activate before rollback
        self.addCleanup(automation.write, {"active": True})
        order = self._walk_to(self._create_order(), "done")
        feedback = self.env["service.feedback"].create({"service_order_id": order.id, "score": 1})
        self.assertFalse(feedback.complaint_id)

    def test_cannot_rate_unfinished_order_nor_twice_per_round(self):
        order = self._create_order()
        with self.assertRaises(ValidationError):
            self.env["service.feedback"].create({"service_order_id": order.id, "score": 5})
        self._walk_to(order, "closed")
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):  # unique (order, round)
            with self.cr.savepoint():
                self.env["service.feedback"].create({"service_order_id": order.id, "score": 5})
        self.assertEqual(len(order.feedback_ids), 1)

    def test_technician_sees_only_feedback_on_own_orders(self):
        order = self._walk_to(self._create_order(), "closed")
        feedback = order.feedback_ids
        self.assertEqual(
            self.env["service.feedback"].with_user(self.technician).search([]), feedback
        )
        self.assertFalse(self.env["service.feedback"].with_user(self.technician_2).search([]))
        with self.assertRaises(AccessError):
            feedback.with_user(self.technician_2).read(["score"])
