"""A low rating is followed up by a person: the complaint it opens has a
responsible person, followers and a to-do due by its response deadline; the
order stays open until that complaint is closed; nothing is recorded as a
return visit that did not happen."""

import re

import pytz

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from .order_common import ServiceOrderCommon


@tagged("post_install", "-at_install")
class TestLowScoreFollowUp(ServiceOrderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.visit_type = cls.env.ref("service_quality.mail_activity_type_return_visit")
        cls.leader_employee = cls.env["hr.employee"].create(
            {"name": "Mia Manager", "user_id": cls.leader.id}
        )

    def _rate(self, order, score):
        return (
            self.env["service.feedback"]
            .with_user(self.dispatcher)
            .create({"service_order_id": order.id, "score": score, "comment": "Came late"})
        )

    def test_low_score_complaint_has_handler_followers_and_activity(self):
        self.leader.tz = "Asia/Shanghai"
        order = self._walk_to(self._create_order(), "done")
        feedback = self._rate(order, 2)
        complaint = feedback.complaint_id
        # the team leader handles it
        self.assertEqual(complaint.responsible_id, self.leader_employee)
        self.assertIn(self.leader.partner_id, complaint.message_partner_ids)
        self.assertIn(order.intake_user_id.partner_id, complaint.message_partner_ids)
        activity = complaint.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.leader)
        # due on the day of the deadline where the leader works
        shanghai = pytz.timezone("Asia/Shanghai")
        local_deadline = pytz.utc.localize(complaint.response_deadline).astimezone(shanghai)
        self.assertEqual(activity.date_deadline, local_deadline.date())
        self.assertIn(order.name, activity.summary)
        # the order waits for the complaint; the return visit is not faked
        self.assertEqual(order.state, "done")
        visit = order.activity_ids.filtered(lambda a: a.activity_type_id == self.visit_type)
        self.assertTrue(visit, "the return visit is still to do")
        self.assertFalse(
            order.message_ids.filtered(lambda m: "feedback received" in (m.body or ""))
        )

    def test_without_team_leader_the_least_busy_inspector_handles_it(self):
        inspector_2 = new_test_user(
            self.env, "sq_inspect_b", groups="service_quality.group_quality_inspector"
        )
        employees = self.env["hr.employee"].create(
            [
                {"name": "Quinn Inspector", "user_id": self.inspector.id},
                {"name": "Second Inspector", "user_id": inspector_2.id},
            ]
        )
        # the first inspector already handles an open complaint
        self.env["service.complaint"].create(
            {"partner_id": self.customer.id, "responsible_id": employees[0].id}
        )
        self.team.leader_id = False
        order = self._walk_to(self._create_order(), "done")
        complaint = self._rate(order, 1).complaint_id
        handler = complaint.activity_ids.user_id
        self.assertEqual(len(handler), 1)
        inspectors = self.env.ref("service_quality.group_quality_inspector").users
        self.assertIn(handler, inspectors)
        # not the inspector who already handles an open complaint
        self.assertNotEqual(handler, self.inspector)
        if handler.employee_ids:
            self.assertEqual(complaint.responsible_id.user_id, handler)
        else:
            self.assertFalse(complaint.responsible_id)
        self.assertIn(handler.partner_id, complaint.message_partner_ids)

    def test_good_score_closes_without_faking_the_return_visit(self):
        order = self._walk_to(self._create_order(), "done")
        self._rate(order, 5)
        self.assertEqual(order.state, "closed")
        self.assertFalse(order.return_visit_done_on)
        self.assertFalse(
            order.activity_ids.filtered(lambda a: a.activity_type_id == self.visit_type)
        )
        done_visits = self.env["mail.message"].search(
            [("model", "=", "service.order"), ("res_id", "=", order.id),
             ("mail_activity_type_id", "=", self.visit_type.id)]
        )  # fmt: skip
        self.assertFalse(done_visits, "no return visit was marked done")
        note = order.message_ids.filtered(lambda m: "no return visit is needed" in (m.body or ""))
        self.assertEqual(note.author_id, self.dispatcher.partner_id, "who recorded the feedback")

    def _resolve(self, complaint):
        """The complaint handled up to *resolved* with what closing needs."""
        complaint.sudo()._with_workflow_pass().write(
            {
                "state": "resolved",
                "cause_id": self.env["service.complaint.cause"].create({"name": "Late"}).id,
                "department_id": self.env["hr.department"].create({"name": "Field"}).id,
                "customer_answer": "satisfied",
                "corrective_action_ids": [
                    Command.create(
                        {
                            "name": "Call before leaving",
                            "owner_id": self.leader.id,
                            "deadline": "2030-01-01",
                            "state": "done",
                        }
                    )
                ],
            }
        )

    def test_order_closes_when_its_complaint_is_closed(self):
        order = self._walk_to(self._create_order(), "done")
        complaint = self._rate(order, 1).complaint_id
        self.assertEqual(order.state, "done")
        self._resolve(complaint)
        complaint.with_user(self.inspector).action_close()
        self.assertEqual(complaint.state, "closed")
        self.assertEqual(order.state, "closed")
        self.assertIn(
            complaint.name,
            order.message_ids.filtered(lambda m: "was handled" in (m.body or ""))[:1].body,
        )

    def test_order_with_another_open_complaint_stays_open(self):
        order = self._walk_to(self._create_order(), "done")
        complaint = self._rate(order, 1).complaint_id
        self.env["service.complaint"].create(
            {"partner_id": self.customer.id, "service_order_id": order.id}
        )
        self._resolve(complaint)
        complaint.with_user(self.inspector).action_close()
        self.assertEqual(order.state, "done")


@tagged("post_install", "-at_install")
class TestLowScoreRatingPage(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.leader = new_test_user(
            cls.env, "sq_rate_leader", groups="service_quality.group_service_manager",
            name="Lei Leader",
        )  # fmt: skip
        cls.env["hr.employee"].create({"name": "Lei Leader", "user_id": cls.leader.id})
        team = cls.env["service.team"].create({"name": "Rating team", "leader_id": cls.leader.id})
        cls.customer = cls.env["res.partner"].create(
            {"name": "Hu Jing", "email": "hu.jing@example.com", "tz": "Asia/Shanghai"}
        )
        cls.order = cls.env["service.order"].create(
            {"partner_id": cls.customer.id, "appliance": "Haier fridge", "team_id": team.id}
        )
        cls.order.sudo()._with_workflow_pass().write(
            {"state": "done", "resolved_at": "2026-03-02 10:00:00"}
        )
        cls.order._portal_ensure_token()

    def test_link_rating_low_score(self):
        token = self.order._rating_access_token()
        self.assertNotEqual(token, self.order.access_token)
        rating = self.env["rating.rating"].search([("access_token", "=", token)])
        self.assertEqual((rating.res_model, rating.res_id), ("service.order", self.order.id))
        url = f"/service/rate/{self.order.id}/{token}"
        page = self.url_open(url)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        answer = self.url_open(url, data={"csrf_token": csrf, "score": "2", "comment": "Late"})
        complaint = self.order.feedback_ids.complaint_id
        self.assertTrue(complaint)
        # what happens next: who calls, by when (customer's time), the order stays open
        self.assertIn("Lei Leader", answer.text)
        deadline = self.env["service.local.time"]._format_local_datetime(
            complaint.response_deadline, reader=self.customer
        )
        self.assertIn(deadline, answer.text)
        self.assertIn(
            f"Your service order <strong>{self.order.name}</strong> stays open", answer.text
        )
        self.assertEqual(self.order.state, "done")
        # nothing is written as the anonymous Public user
        public = self.env.ref("base.public_partner")
        self.assertFalse(self.order.message_ids.filtered(lambda m: m.author_id == public))
        self.assertFalse(complaint.message_ids.filtered(lambda m: m.author_id == public))
        # the rating token is spent and the rating recorded the score
        self.assertTrue(rating.consumed)
        self.assertEqual(rating.rating, 2)
        again = self.url_open(url)
        self.assertIn("already been rated", again.text)
        # the portal token of the order does not open the rating page
        self.assertEqual(
            self.url_open(f"/service/rate/{self.order.id}/{self.order.access_token}").status_code,
            404,
        )
