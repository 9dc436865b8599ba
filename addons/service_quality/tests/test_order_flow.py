from datetime import datetime

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .order_common import ServiceOrderCommon


@tagged("post_install", "-at_install")
class TestOrderFlow(ServiceOrderCommon):
    def test_intake_sets_first_responder_and_number(self):
        order = self._create_order()
        self.assertEqual(order.intake_user_id, self.dispatcher)
        self.assertTrue(order.name.startswith("SO"))
        self.assertEqual(order.state, "new")
        self.assertEqual(order.contact_email, self.customer.email)

    def test_intake_with_form(self):
        with Form(self.env["service.order"].with_user(self.dispatcher)) as form:
            form.partner_id = self.customer
            form.category_id = self.category
            form.team_id = self.team
            form.appliance = "Haier EG8012"
        order = form.save()
        self.assertEqual(order.contact_phone, self.customer.phone)
        self.assertTrue(order.response_deadline)

    def test_full_flow_right_roles(self):
        order = self._walk_to(self._create_order(category_id=self.category_approval.id), "closed")
        self.assertEqual(order.state, "closed")
        self.assertEqual(order.plan_author_id, self.dispatcher)
        self.assertEqual(order.approved_by_id, self.manager)
        self.assertEqual(order.accepted_by_id, self.inspector)
        self.assertTrue(order.responded_at)
        self.assertTrue(order.resolved_at)
        self.assertEqual(order.sla_status, "met")

    def test_wrong_roles_refused(self):
        order = self._create_order(category_id=self.category_approval.id)
        order.write({"diagnosis": "Broken heater", "plan": "New heater"})
        with self.assertRaises(AccessError):  # plain employee has no access at all
            order.with_user(self.employee).action_assess()
        order.with_user(self.dispatcher).action_assess()
        with self.assertRaisesRegex(UserError, "can approve the plan"):
            order.with_user(self.dispatcher).action_approve()
        order.with_user(self.manager).action_approve()
        order.write(
            {
                "user_id": self.technician.id,
                "appointment_start": datetime(2030, 3, 4, 9, 0),
                "appointment_end": datetime(2030, 3, 4, 11, 0),
            }
        )
        with self.assertRaisesRegex(UserError, "not allowed"):
            order.with_user(self.technician).action_schedule()
        order.with_user(self.dispatcher).action_schedule()
        with self.assertRaises(AccessError):
            order.with_user(self.technician_2).action_start()
        order.with_user(self.technician).action_start()
        order.with_user(self.technician).write({"resolution": "Done"})
        order.with_user(self.technician).action_finish()
        order.with_user(self.technician).write(
            {"customer_signature": self.signature, "signed_by": "Chen"}
        )
        with self.assertRaisesRegex(UserError, "not allowed"):
            order.with_user(self.technician).action_accept()
        order.with_user(self.inspector).action_accept()
        self.assertEqual(order.state, "done")
        with self.assertRaisesRegex(UserError, "customer feedback or a return visit"):
            order.with_user(self.dispatcher).action_close()
        with self.assertRaisesRegex(UserError, "not allowed"):
            order.with_user(self.technician).action_record_return_visit()
        order.with_user(self.dispatcher).action_record_return_visit()
        self.assertEqual(order.state, "closed")

    def test_skipped_and_backward_moves_name_the_missing_step(self):
        order = self._create_order(category_id=self.category_approval.id)
        with self.assertRaisesRegex(UserError, "it must be Scheduled first"):
            order.action_start()
        with self.assertRaisesRegex(UserError, "missing a diagnosis, a plan"):
            order.action_assess()
        order.write({"diagnosis": "x", "plan": "y"})
        order.with_user(self.dispatcher).action_assess()
        with self.assertRaisesRegex(UserError, "it must be Approved first"):
            order.with_user(self.dispatcher).action_schedule()
        with self.assertRaisesRegex(UserError, "it must be New first"):
            order.action_assess()
        self.assertEqual(order.state, "assessed")

    def test_no_approval_needed_schedules_from_assessed(self):
        order = self._walk_to(self._create_order(), "scheduled")
        self.assertFalse(order.approved_by_id)
        self.assertEqual(order.state, "scheduled")

    def test_approving_own_plan_refused(self):
        order = self._create_order(category_id=self.category_approval.id)
        order.write({"diagnosis": "x", "plan": "y"})
        order.with_user(self.manager).action_assess()
        with self.assertRaisesRegex(UserError, "you wrote this plan"):
            order.with_user(self.manager).action_approve()
        self.assertEqual(order.state, "assessed")
        order.with_user(self.manager_2).action_approve()
        self.assertEqual(order.state, "approved")

    def test_plan_change_during_work_needs_reapproval(self):
        order = self._walk_to(
            self._create_order(category_id=self.category_approval.id), "in_progress"
        )
        order.with_user(self.technician).write({"plan": "Replace the whole heating element"})
        self.assertEqual(order.state, "assessed")
        self.assertFalse(order.approved_by_id)
        self.assertEqual(order.plan_author_id, self.technician)
        with self.assertRaisesRegex(UserError, "it must be Approved first"):
            order.with_user(self.dispatcher).action_schedule()
        order.with_user(self.manager).action_approve()
        self.assertEqual(order.state, "approved")

    def test_cancel_needs_reason_and_locks_the_order(self):
        order = self._create_order()
        with self.assertRaisesRegex(UserError, "cancellation reason"):
            order.with_user(self.dispatcher).action_cancel()
        order.with_user(self.dispatcher).write({"user_id": self.technician.id})
        with self.assertRaisesRegex(UserError, "not allowed"):
            order.with_user(self.technician).action_cancel(reason="Customer changed mind")
        self.assertFalse(order.cancel_reason)
        wizard = (
            self.env["service.order.cancel"]
            .with_user(self.dispatcher)
            .create({"order_ids": [(6, 0, order.ids)], "reason": "Customer bought a new machine"})
        )
        wizard.action_confirm()
        self.assertEqual(order.state, "cancelled")
        self.assertEqual(order.cancel_reason, "Customer bought a new machine")
        with self.assertRaisesRegex(UserError, "is cancelled"):
            order.with_user(self.dispatcher).action_assess()
        with self.assertRaisesRegex(UserError, "is cancelled"):
            order.with_user(self.dispatcher).write({"priority": "2"})
        self.assertEqual(order.priority, "0")

    def test_done_order_cannot_be_cancelled(self):
        order = self._walk_to(self._create_order(), "done")
        with self.assertRaisesRegex(UserError, "can no longer be cancelled"):
            order.with_user(self.dispatcher).action_cancel(reason="late")
        self.assertEqual(order.state, "done")

    def test_first_responder_transfer_only_by_manager(self):
        order = self._create_order()
        with self.assertRaisesRegex(UserError, "only a service manager"):
            order.with_user(self.dispatcher).write({"intake_user_id": self.technician.id})
        self.assertEqual(order.intake_user_id, self.dispatcher)
        order.with_user(self.manager).write({"intake_user_id": self.technician.id})
        self.assertEqual(order.intake_user_id, self.technician)

    def test_overlapping_appointment_refused_naming_the_other_order(self):
        first = self._create_order(
            user_id=self.technician.id,
            appointment_start=datetime(2030, 3, 4, 9, 0),
            appointment_end=datetime(2030, 3, 4, 11, 0),
        )
        with self.assertRaises(ValidationError) as error:
            self._create_order(
                user_id=self.technician.id,
                appointment_start=datetime(2030, 3, 4, 10, 0),
                appointment_end=datetime(2030, 3, 4, 12, 0),
            )
        self.assertIn(first.name, str(error.exception))
        # back to back and another technician are fine
        self._create_order(
            user_id=self.technician.id,
            appointment_start=datetime(2030, 3, 4, 11, 0),
            appointment_end=datetime(2030, 3, 4, 12, 0),
        )
        self._create_order(
            user_id=self.technician_2.id,
            appointment_start=datetime(2030, 3, 4, 10, 0),
            appointment_end=datetime(2030, 3, 4, 12, 0),
        )

    def test_appointment_end_before_start_refused(self):
        with self.assertRaises(ValidationError) as error:
            self._create_order(
                appointment_start=datetime(2030, 3, 4, 11, 0),
                appointment_end=datetime(2030, 3, 4, 9, 0),
            )
        self.assertIn("must end after it starts", str(error.exception))

    def test_technician_sees_only_own_orders(self):
        mine = self._create_order(user_id=self.technician.id)
        other = self._create_order(user_id=self.technician_2.id)
        visible = self.env["service.order"].with_user(self.technician).search([])
        self.assertIn(mine, visible)
        self.assertNotIn(other, visible)
        with self.assertRaises(AccessError):
            other.with_user(self.technician).read(["name"])
        with self.assertRaises(AccessError):
            self.env["service.order"].with_user(self.technician).create(
                {"partner_id": self.customer.id}
            )

    def test_return_visit_activity_after_done(self):
        order = self._walk_to(self._create_order(category_id=self.category_approval.id), "done")
        activity = order.activity_ids.filtered(
            lambda a: a.activity_type_id
            == self.env.ref("service_quality.mail_activity_type_return_visit")
        )
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.dispatcher)
        self.assertEqual((activity.date_deadline - order.accepted_on.date()).days, 5)

    def test_completion_email_queued_with_report(self):
        order = self._walk_to(self._create_order(), "done")
        # the acceptance leaves the report and the email to their job
        self.env.ref("service_quality.ir_cron_service_order_completion").method_direct_trigger()
        mail = (
            self.env["mail.mail"]
            .sudo()
            .search(
                [
                    ("model", "=", "service.order"),
                    ("res_id", "=", order.id),
                    ("recipient_ids", "in", self.customer.ids),
                    # the customer was also told that the request was received
                    ("subject", "ilike", "completed"),
                ]
            )
        )
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.state, "outgoing")
        self.assertIn(self.customer, mail.recipient_ids)
        self.assertIn(f"/service/rate/{order.id}/{order._rating_access_token()}", mail.body_html)
        self.assertEqual(len(mail.attachment_ids), 1)
        self.assertIn(order.name, mail.attachment_ids.name)

    def test_report_renders_with_extension_hook(self):
        order = self._walk_to(self._create_order(), "done")
        html, _fmt = self.env["ir.actions.report"]._render_qweb_html(
            "service_quality.report_service_order", order.ids
        )
        html = html.decode()
        self.assertIn('name="service_order_extra"', html)
        self.assertIn("Belt replaced", html)
        self.assertIn("Chen Wei", html)

    def test_state_and_sla_fields_cannot_be_written_by_hand(self):
        order = self._create_order()
        with self.assertRaisesRegex(UserError, "use the workflow buttons"):
            order.with_user(self.dispatcher).write({"state": "done"})
        with self.assertRaisesRegex(UserError, "set by the system"):
            order.with_user(self.manager).write({"sla_breached": False, "sla_status": "met"})
        self.assertEqual(order.state, "new")
        self.assertEqual(order.sla_status, "on_track")

    def test_company_isolation(self):
        other_company = self.env["res.company"].create({"name": "Repair Co. Beijing"})
        foreign = (
            self.env["service.order"]
            .with_company(other_company)
            .create({"partner_id": self.customer.id, "company_id": other_company.id})
        )
        self.assertTrue(foreign.resolve_deadline)
        mine = self._create_order()
        visible = self.env["service.order"].with_user(self.dispatcher).search([])
        self.assertIn(mine, visible)
        self.assertNotIn(foreign, visible)
        with self.assertRaises(AccessError):
            foreign.with_user(self.dispatcher).read(["name"])
