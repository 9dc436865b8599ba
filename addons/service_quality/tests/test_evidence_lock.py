import base64
from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .evidence_common import EvidenceLockMixin
from .quality_common import QualityCommon

SIGNATURE = base64.b64encode(b"signature of Chen Wei")


@tagged("post_install", "-at_install")
class TestEvidenceLock(EvidenceLockMixin, QualityCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.roles = (
            cls.technician,
            cls.technician_2,
            cls.dispatcher,
            cls.inspector,
            cls.manager,
            cls.archivist,
            cls.employee,
            cls.portal_user,
        )

    def _done_order(self, **vals):
        order = self.env["service.order"].create(
            {
                "partner_id": self.customer.id,
                "category_id": self.category.id,
                "user_id": self.technician.id,
                "team_id": self.team.id,
                "diagnosis": "Drum bearing worn",
                "plan": "Replace the bearing",
            }
        )
        order._workflow_write(
            dict(
                {
                    "state": "done",
                    "resolution": "Bearing replaced, tested for 2 cycles.",
                    "customer_signature": SIGNATURE,
                    "signed_by": "Chen Wei",
                    "accepted_by_id": self.inspector.id,
                    "accepted_on": fields.Datetime.now(),
                },
                **vals,
            )
        )
        return order

    # ------------------------------------------------------------------
    # Every model, every final state, every evidence field, every role
    # ------------------------------------------------------------------
    def test_walk_every_final_record(self):
        covered = {}
        covered["service.order/done"] = (self._done_order(), self.technician)
        covered["service.order/closed"] = (
            self._done_order(state="closed", closed_at=fields.Datetime.now()),
            self.technician,
        )
        complaint = self._complaint()
        action = self._fill_for_closing(complaint)
        action._workflow_write(
            {
                "state": "verified",
                "effectiveness": "effective",
                "verified_by_id": self.inspector.id,
                "verified_on": date(2026, 3, 9),
            }
        )
        complaint._workflow_write({"state": "closed", "closed_at": fields.Datetime.now()})
        covered["service.complaint/closed"] = (complaint, self.inspector)
        covered["service.corrective.action/verified"] = (action, self.inspector)
        inspection = self.env["service.inspection"].create(
            {
                "subject_type": "order",
                "service_order_id": self.order.id,
                "inspector_id": self.inspector.id,
                "line_ids": [Command.create({"name": "Site clean", "result": "pass"})],
            }
        )
        inspection._workflow_write({"state": "done", "done_at": fields.Datetime.now()})
        covered["service.inspection/done"] = (inspection, self.inspector)
        policy = self.env["service.retention.policy"].create(
            {
                "name": "Complaints 3 years",
                "model_id": self.env["ir.model"]._get_id("service.complaint"),
                "date_field": "closed_at",
                "years": 3,
                "action": "destroy",
            }
        )
        for state in ("done", "rejected"):
            request = self.env["service.retention.request"].create(
                {"policy_id": policy.id, "requested_by_id": self.archivist.id}
            )
            request._workflow_write({"state": state})
            covered[f"service.retention.request/{state}"] = (request, self.archivist)

        plan = self.env["service.emergency.plan"].create(
            {"name": "Gas leak", "risk": "Explosion", "steps": "<p>Evacuate</p>"}
        )
        plan._workflow_write(
            {
                "state": "approved",
                "submitted_by_id": self.dispatcher.id,
                "approved_by_id": self.manager.id,
                "approved_on": date(2026, 3, 9),
            }
        )
        covered["service.emergency.plan/approved"] = (plan, self.dispatcher)
        drill = self.env["service.emergency.drill"].create(
            {
                "plan_id": plan.id,
                "date": date(2026, 3, 10),
                "participant_ids": [Command.set(self.technician.ids)],
                "findings": "<p>Cordon in 12 minutes.</p>",
            }
        )
        drill.action_done()
        covered["service.emergency.drill/done"] = (drill, self.dispatcher)

        for record, writer in covered.values():
            self.assertEvidenceLocked(record, self.roles, writer)
        # every model of the addon that declares final states is walked, in
        # each of its final states
        expected = {
            f"{model}/{state}"
            for model in self._final_state_models("service_quality")
            for state in self.env[model]._workflow_final_states
        }
        self.assertEqual(set(covered), expected)

    # ------------------------------------------------------------------
    # Orders
    # ------------------------------------------------------------------
    def test_technician_cannot_rewrite_his_closed_order(self):
        order = self._done_order(state="closed", closed_at=datetime(2026, 3, 1, 10, 0))
        with self.assertRaisesRegex(UserError, "can no longer be changed"):
            order.with_user(self.technician).write({"resolution": "Nothing was done."})
        with self.assertRaisesRegex(UserError, "can no longer be changed"):
            order.with_user(self.technician).write({"partner_id": self.other_customer.id})
        # the retention clock cannot be moved, in any state, by anyone
        with self.assertRaisesRegex(UserError, "can no longer be changed"):
            order.with_user(self.manager).write({"closed_at": datetime(2010, 1, 1)})
        with self.assertRaisesRegex(UserError, "set by the system"):
            self.order.with_user(self.technician).write({"closed_at": datetime(2010, 1, 1)})
        self.assertEqual(order.closed_at, datetime(2026, 3, 1, 10, 0))
        self.assertEqual(order.partner_id, self.customer)

    def test_files_of_a_done_order_are_kept(self):
        order = self._done_order()
        Attachment = self.env["ir.attachment"]
        signature = Attachment.sudo().search(
            [
                ("res_model", "=", "service.order"),
                ("res_id", "=", order.id),
                ("res_field", "=", "customer_signature"),
            ]
        )
        self.assertEqual(len(signature), 1)
        forged = base64.b64encode(b"forged signature")
        for user in (self.technician, self.dispatcher, self.manager):
            with self.assertRaisesRegex(UserError, "its files are part of its record"):
                signature.with_user(user).write({"datas": forged})
            with self.assertRaisesRegex(UserError, "its files are part of its record"):
                signature.with_user(user).unlink()
        # a second file for the signature field would shadow the first
        with self.assertRaisesRegex(UserError, "its files are part of its record"):
            Attachment.with_user(self.technician).create(
                {
                    "name": "customer_signature",
                    "res_model": "service.order",
                    "res_id": order.id,
                    "res_field": "customer_signature",
                    "datas": forged,
                }
            )
        self.assertEqual(order.customer_signature, SIGNATURE)
        # the stored signed report: kept, and a look-alike attached later is
        # not taken for it
        report = self.env.ref("service_quality.report_service_order")
        order._attach_signed_report(report)
        stored = report.retrieve_attachment(order)
        self.assertTrue(stored)
        with self.assertRaisesRegex(UserError, "its files are part of its record"):
            stored.with_user(self.dispatcher).unlink()
        with self.assertRaisesRegex(UserError, "its files are part of its record"):
            stored.with_user(self.manager).write({"res_id": self.order.id})
        look_alike = Attachment.with_user(self.dispatcher).create(
            {
                "name": stored.name,
                "res_model": "service.order",
                "res_id": order.id,
                "datas": base64.b64encode(b"%PDF-1.4 forged"),
            }
        )
        self.assertGreater(look_alike.id, stored.id)
        self.assertEqual(report.retrieve_attachment(order), stored)
        # new files may still be attached (a photo after the job)
        photo = Attachment.with_user(self.technician).create(
            {"name": "after.jpg", "res_model": "service.order", "res_id": order.id, "raw": b"x"}
        )
        self.assertTrue(photo)
        # the reopening (the workflow) clears the signature and its file
        order.with_user(self.manager)._workflow_reopen("Signature of the wrong person")
        self.assertFalse(order.customer_signature)
        self.assertFalse(signature.exists())

    def test_chatter_of_a_closed_order_is_kept(self):
        order = self._done_order(state="closed", closed_at=datetime(2026, 3, 1, 10, 0))
        note = order.message_post(body="Customer signed on site.", message_type="comment")
        for user in (self.dispatcher, self.manager):
            with self.assertRaisesRegex(UserError, "its messages are part of its record"):
                note.with_user(user).write({"body": "<p>edited</p>"})
            with self.assertRaisesRegex(UserError, "its messages are part of its record"):
                note.with_user(user).unlink()
        self.assertIn("Customer signed on site.", note.body)
        # posting goes on, with files uploaded the way the chatter does
        photo = (
            self.env["ir.attachment"]
            .with_user(self.dispatcher)
            .create(
                {"name": "site.jpg", "res_model": "service.order", "res_id": order.id, "raw": b"x"}
            )
        )
        message = order.with_user(self.dispatcher).message_post(
            body="Photo of the site after the job.", attachment_ids=photo.ids
        )
        self.assertEqual(message.attachment_ids, photo)
        # starring is not editing
        note.with_user(self.dispatcher).toggle_message_starred()

    def test_final_records_are_deleted_only_by_the_retention_destruction(self):
        order = self._done_order(state="closed", closed_at=datetime(2026, 3, 1, 10, 0))
        with self.assertRaisesRegex(UserError, "is Closed: it is part of the records"):
            order.with_user(self.manager).unlink()
        # a context sent over RPC is not the destruction's pass
        with self.assertRaisesRegex(UserError, "is Closed: it is part of the records"):
            order.with_context(retention_destroy=True).unlink()
        self.assertTrue(order.exists())
        # archiving a final record is the archivists' job
        with self.assertRaisesRegex(UserError, "only an archivist can archive or restore it"):
            order.with_user(self.dispatcher).action_archive()
        self.assertTrue(order.active)
        # (archivists archive through the retention policies, run by the system)
        order.sudo().action_archive()
        self.assertFalse(order.active)
        # open orders are archived and deleted as before
        draft = self.env["service.order"].create(
            {"partner_id": self.customer.id, "category_id": self.category.id}
        )
        draft.with_user(self.manager).unlink()
        self.assertFalse(draft.exists())

    def test_verified_action_is_not_deleted_through_its_complaint(self):
        complaint = self._complaint()
        action = self._fill_for_closing(complaint)
        action._workflow_write(
            {
                "state": "verified",
                "effectiveness": "effective",
                "verified_by_id": self.inspector.id,
                "verified_on": date(2026, 3, 9),
            }
        )
        with self.assertRaisesRegex(UserError, "is Verified: it is part of the records"):
            complaint.with_user(self.inspector).write(
                {"corrective_action_ids": [Command.delete(action.id)]}
            )
        with self.assertRaisesRegex(UserError, "is Verified: it is part of the records"):
            action.with_user(self.manager).unlink()
        self.assertTrue(action.exists())

    def test_signature_is_tracked(self):
        self.order._workflow_write({"state": "in_progress"})
        order = self.order.with_context(tracking_disable=False)
        # as in a later transaction than the order's creation (not tracked)
        self.env.cr.precommit.clear()
        with freeze_time("2026-03-02 09:30:00"):
            order.with_user(self.technician).write(
                {"customer_signature": SIGNATURE, "signed_by": "Chen Wei"}
            )
        self.assertEqual(order.signed_on, datetime(2026, 3, 2, 9, 30))
        self.env.cr.precommit.run()  # tracking values are written before the commit
        order.invalidate_recordset(["message_ids"])
        bodies = order.message_ids.mapped("body")
        self.assertTrue(any("Customer signature recorded" in body for body in bodies), bodies)
        self.assertIn("signed_by", order.message_ids.tracking_value_ids.field_id.mapped("name"))

    def test_manager_reopens_done_order_with_reason(self):
        order = self._done_order()
        # a technician may not reopen; no reason, no reopening
        with self.assertRaises(AccessError):
            order.with_user(self.technician)._workflow_reopen("Typo in work done")
        with self.assertRaisesRegex(UserError, "give the reason"):
            order.with_user(self.manager)._workflow_reopen("  ")
        self.assertEqual(order.state, "done")
        action = order.with_user(self.manager).action_open_reopen_wizard()
        wizard = Form(
            self.env[action["res_model"]].with_user(self.manager).with_context(action["context"])
        )
        wizard.reason = "Customer disputes the work done"
        wizard.save().action_confirm()
        self.assertEqual(order.state, "to_accept")
        self.assertFalse(order.customer_signature)
        self.assertFalse(order.accepted_by_id)
        log = order.message_ids[0]
        self.assertIn("Customer disputes the work done", log.body)
        self.assertIn(self.manager.name, log.body)
        self.assertIn("Quality Accepted By", log.body)
        # open again: the technician corrects the work done
        order.with_user(self.technician).write({"resolution": "Bearing and seal replaced."})
        self.assertEqual(order.resolution, "Bearing and seal replaced.")

    def test_reopen_refuses_open_records(self):
        with self.assertRaisesRegex(UserError, "can be reopened"):
            self.order.with_user(self.manager)._workflow_reopen("No reason")
        wizard = self.env["service.workflow.reopen"].with_user(self.manager)
        with self.assertRaises(ValidationError):
            wizard.create({"res_model": "res.partner", "res_ids": "[1]", "reason": "x"})

    def test_reception_date_in_the_future_refused(self):
        with self.assertRaisesRegex(ValidationError, "in the future"):
            self.env["service.order"].create(
                {"partner_id": self.customer.id, "received_at": datetime(2999, 1, 1)}
            )
        with self.assertRaisesRegex(ValidationError, "in the future"):
            self.order.write({"received_at": datetime(2999, 1, 1)})
        with self.assertRaisesRegex(ValidationError, "in the future"):
            self._complaint(received_at=datetime(2999, 1, 1))

    # ------------------------------------------------------------------
    # Corrective actions
    # ------------------------------------------------------------------
    def test_inspector_cannot_verify_his_own_action(self):
        complaint = self._complaint()
        action = self._fill_for_closing(complaint, owner=self.inspector)
        action.with_user(self.inspector).action_done()
        with self.assertRaisesRegex(UserError, "cannot be edited"):
            action.with_user(self.inspector).write(
                {"state": "verified", "verified_by_id": self.manager.id}
            )
        action.with_user(self.inspector).effectiveness = "effective"
        with self.assertRaisesRegex(UserError, "someone else must check"):
            action.with_user(self.inspector).action_verify()
        # the owner reports done; only an inspector checks the effectiveness
        other = self._fill_for_closing(complaint)
        other.with_user(self.technician).action_done()
        other.effectiveness = "effective"
        with self.assertRaises(AccessError):
            other.with_user(self.technician_2).action_verify()
        self.assertEqual((action | other).mapped("state"), ["done", "done"])
        self.assertFalse((action | other).verified_by_id)

    def test_corrective_action_moves_from_the_table(self):
        complaint = self._complaint()
        action = self._fill_for_closing(complaint)
        with self.assertRaisesRegex(UserError, "must be done before"):
            action.with_user(self.inspector).action_verify()
        action.with_user(self.technician).action_done()
        with self.assertRaisesRegex(UserError, "it must be Open first"):
            action.with_user(self.technician).action_done()
        action.effectiveness = "effective"
        action.with_user(self.inspector).action_verify()
        self.assertEqual(action.state, "verified")
        self.assertEqual(action.verified_by_id, self.inspector)
        action.with_user(self.manager)._workflow_reopen("Same leak again a week later")
        self.assertEqual(action.state, "done")
        self.assertFalse(action.verified_by_id)
        self.assertFalse(action.effectiveness)
