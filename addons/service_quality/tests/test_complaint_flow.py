from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .quality_common import QualityCommon


@tagged("post_install", "-at_install")
class TestComplaintFlow(QualityCommon):
    def test_full_life_cycle_with_reopen(self):
        with freeze_time("2026-03-02 09:00:00"):
            form = Form(self.env["service.complaint"].with_user(self.dispatcher))
            form.partner_id = self.customer
            form.service_order_id = self.order
            form.category_id = self.complaint_category
            form.severity = "general"
            complaint = form.save()
        self.assertTrue(complaint.name.startswith("CMP"))
        self.assertEqual(complaint.technician_id, self.technician)
        self.assertEqual(complaint.response_deadline, datetime(2026, 3, 3, 9, 0))

        complaint = complaint.with_user(self.inspector)
        with freeze_time("2026-03-02 15:00:00"):
            complaint.action_acknowledge()
        self.assertEqual(complaint.state, "acknowledged")
        self.assertEqual(complaint.deadline_status, "met")
        self.assertAlmostEqual(complaint.hours_to_acknowledge, 6.0)

        complaint.action_investigate()
        with self.assertRaisesRegex(UserError, "no handling plan"):
            complaint.action_approve_plan()
        complaint.handling_plan = "<p>Replace the bearing at no cost.</p>"
        complaint.action_approve_plan()
        self.assertEqual(complaint.state, "action")
        with self.assertRaisesRegex(UserError, "result given to the customer"):
            complaint.action_resolve()
        complaint.resolution = "<p>Bearing replaced, tested for 2 cycles.</p>"
        complaint.action_resolve()

        # The customer is not satisfied: reopened, back to investigating.
        complaint.customer_answer = "not_satisfied"
        complaint.action_reopen()
        self.assertEqual(complaint.state, "investigating")
        self.assertEqual(complaint.reopen_count, 1)
        self.assertFalse(complaint.customer_answer)

        action = self._fill_for_closing(complaint)
        complaint.action_approve_plan()
        complaint.action_resolve()
        action.with_user(self.technician).action_done()
        complaint.customer_answer = "satisfied"
        with freeze_time("2026-03-05 09:00:00"):
            complaint.action_close()
        self.assertEqual(complaint.state, "closed")
        self.assertEqual(complaint.reopen_count, 1)
        self.assertAlmostEqual(complaint.hours_to_close, 72.0)

    def test_close_refused_names_missing_items(self):
        complaint = self._complaint()
        complaint.action_acknowledge()
        complaint.action_investigate()
        complaint.handling_plan = "<p>Plan</p>"
        complaint.action_approve_plan()
        complaint.resolution = "<p>Done</p>"
        complaint.action_resolve()
        with self.assertRaises(UserError) as caught:
            complaint.action_close()
        message = str(caught.exception)
        for item in (
            complaint.name,
            "root cause",
            "responsible department",
            "responsible person",
            "corrective actions",
            "the customer's answer",
        ):
            self.assertIn(item, message)
        self.assertEqual(complaint.state, "resolved")

        action = self._fill_for_closing(complaint)
        complaint.customer_answer = "satisfied"
        with self.assertRaisesRegex(UserError, "still open: Replace the drum bearing"):
            complaint.action_close()
        self.assertEqual(complaint.state, "resolved")
        action.action_done()
        complaint.action_close()
        self.assertEqual(complaint.state, "closed")

    def test_skipped_step_refused(self):
        complaint = self._complaint()
        with self.assertRaisesRegex(UserError, "cannot move to Closed from New"):
            complaint.action_close()
        with self.assertRaisesRegex(UserError, "must be Acknowledged first"):
            complaint.action_investigate()
        self.assertEqual(complaint.state, "new")

    def test_order_of_another_customer_refused(self):
        with self.assertRaises(ValidationError) as caught:
            self._complaint(service_order_id=self.order_2.id)
        self.assertRegex(str(caught.exception), f"{self.order_2.name} belongs to Li Na, not to ")
        complaint = self._complaint()
        with self.assertRaises(ValidationError):
            complaint.service_order_id = self.order_2
        self.env.invalidate_all()
        self.assertEqual(complaint.service_order_id, self.order)
        self.assertEqual(
            self.env["service.complaint"].search_count(
                [("service_order_id", "=", self.order_2.id)]
            ),
            0,
        )

    def test_repeat_complaint_flag(self):
        first = self._complaint(received_at=datetime(2026, 1, 5, 10, 0))
        second = self._complaint(received_at=datetime(2026, 3, 5, 10, 0))
        other = self._complaint(partner_id=self.other_customer.id, service_order_id=self.order_2.id)
        self.assertFalse(first.is_repeat)
        self.assertTrue(second.is_repeat)
        self.assertFalse(other.is_repeat)

    def test_intake_from_low_feedback(self):
        Complaint = self.env["service.complaint"]
        Feedback = self.env["service.feedback"]
        automation = self.env.ref("service_quality.base_automation_low_score_complaint")
        self.assertEqual(automation.model_id.model, "service.feedback")
        self.assertFalse(
            self.env.ref(
                "service_quality.service_feedback_automation_low_score", raise_if_not_found=False
            ),
            "the duplicate low-score rule is gone",
        )
        # Only accepted work can be rated: the work flow itself is covered by
        # the order tests, here the order is simply marked done.
        self.order.sudo().state = "done"
        good = Feedback.create({"service_order_id": self.order.id, "score": 4})
        self.assertEqual(self.order.state, "closed", "feedback closes the done order")
        self.assertFalse(good.complaint_id)
        self.assertFalse(Complaint.search([("feedback_id", "=", good.id)]))
        # The automation rule opens the complaint as soon as the low score is
        # saved, its description translated (no "no translation language" warning).
        with self.assertNoLogs("odoo.tools.translate", "WARNING"):
            feedback = Feedback.create(
                {
                    "service_order_id": self.order.id,
                    "round": 2,
                    "score": 1,
                    "comment": "Still broken",
                }
            )
        complaint = Complaint.search([("feedback_id", "=", feedback.id)])
        self.assertEqual(len(complaint), 1, "exactly one complaint per low feedback")
        self.assertEqual(feedback.complaint_id, complaint, "linked both ways")
        self.assertEqual(complaint.feedback_id, feedback)
        self.assertEqual(complaint.partner_id, self.customer)
        self.assertEqual(complaint.service_order_id, self.order)
        self.assertEqual(complaint.channel, "feedback")
        self.assertEqual(
            str(complaint.description), f"<p>Score 1/5 on {self.order.name}: Still broken</p>"
        )
        # Running the rule (or the ledger) again creates nothing.
        self.assertFalse(feedback._create_low_score_complaint(), "no second complaint")
        self.assertFalse(Complaint._create_from_feedback(feedback), "no second complaint")
        # What the customer said is not rewritten afterwards, whoever asks: a
        # changed opinion is a new round, which opens its own complaint, once.
        for user in (self.env.user, self.manager):
            with self.assertRaisesRegex(UserError, "are what the customer said"):
                feedback.with_user(user).write({"comment": "Fine after all", "score": 5})
            with self.assertRaisesRegex(UserError, "part of the order's records"):
                good.with_user(user).unlink()
        self.assertEqual((feedback.score, feedback.comment), (1, "Still broken"))
        self.assertEqual(feedback.complaint_id, complaint)
        third = Feedback.create({"service_order_id": self.order.id, "round": 3, "score": 2})
        third_complaint = Complaint.search([("feedback_id", "=", third.id)])
        self.assertEqual(len(third_complaint), 1)
        self.assertEqual(third.complaint_id, third_complaint)
        self.assertEqual(Complaint.search_count([("service_order_id", "=", self.order.id)]), 2)

    def test_intake_from_email(self):
        complaint = self.env["service.complaint"].message_new(
            {
                "email_from": "Zhao Lei <zhao.lei@example.com>",
                "subject": "Rude technician",
                "body": "<p>He left without cleaning.</p>",
            }
        )
        self.assertEqual(complaint.channel, "email")
        self.assertEqual(complaint.partner_id.email, "zhao.lei@example.com")
        alias = self.env.ref("service_quality.mail_alias_service_complaint")
        self.assertEqual(alias.alias_model_id.model, "service.complaint")

    def test_order_form_shows_complaints_and_rework(self):
        complaint = self._complaint()
        rework = self.env["service.order"].create(
            {"partner_id": self.customer.id, "category_id": self.category.id}
        )
        with Form(rework.with_user(self.dispatcher)) as form:
            form.rework_of_id = self.order
        self.assertEqual(self.order.rework_ids, rework)
        self.assertEqual(self.order.complaint_count, 1)
        action = self.order.action_view_complaints()
        self.assertEqual(self.env[action["res_model"]].search(action["domain"]), complaint)
