from odoo import Command, api
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .quality_common import QualityCommon


def rpc(records, method, *args, context=None):
    """Call ``method`` the way the RPC layer does: JSON arguments, the
    caller's context applied by ``call_kw``."""
    return api.call_kw(records.browse(), method, [records.ids, *args], {"context": context or {}})


@tagged("post_install", "-at_install")
class TestWorkflowGuard(QualityCommon):
    def _inspection(self, answered=0):
        return self.env["service.inspection"].create(
            {
                "subject_type": "employee",
                "employee_id": self.responsible.id,
                "inspector_id": self.inspector.id,
                "line_ids": [
                    Command.create({"name": name, "result": "pass" if index < answered else False})
                    for index, name in enumerate(("Uniform worn", "Floor protected"))
                ],
            }
        )

    def test_complaint_state_moves_through_the_actions_only(self):
        complaint = self._complaint().with_user(self.dispatcher)
        complaint.action_acknowledge()
        self.assertEqual(complaint.state, "acknowledged")
        self.assertTrue(complaint.acknowledged_at)
        with self.assertRaises(UserError) as refused:
            complaint.write({"state": "closed"})
        message = str(refused.exception)
        self.assertIn(complaint.name, message)
        self.assertIn(complaint._fields["state"]._description_string(self.env), message)
        self.assertIn("Close", message)
        with self.assertRaisesRegex(UserError, complaint.name):
            complaint.write({"closed_at": "2026-03-05 10:00:00", "hours_to_close": 12})
        self.assertEqual(complaint.state, "acknowledged")
        self.assertFalse(complaint.closed_at)
        # Other fields stay editable by hand.
        complaint.write({"findings": "<p>Hose clamp loose</p>"})
        # The superuser (data files, jobs, sudo in our code) is trusted.
        complaint.sudo().write({"state": "investigating"})
        self.assertEqual(complaint.state, "investigating")

    def test_forged_pass_over_rpc_is_refused(self):
        complaint = self._complaint().with_user(self.dispatcher)
        for context in (
            {"service_workflow_pass": ["service.complaint"]},
            {"service_workflow_pass": True},
            # the context keys the order and the retention requests used before
            {"service_order_transition": True, "retention_transition": True},
        ):
            with self.assertRaisesRegex(UserError, complaint.name):
                rpc(complaint, "write", {"state": "closed"}, context=context)
        order = self.order.with_user(self.dispatcher)
        with self.assertRaisesRegex(UserError, "use the workflow buttons"):
            rpc(order, "write", {"state": "done"}, context={"service_order_transition": True})
        with self.assertRaisesRegex(UserError, "set by the system"):
            rpc(order, "write", {"sla_status": "met"}, context={"service_sla_update": True})
        self.assertEqual(complaint.state, "new")
        self.assertEqual(order.state, "new")
        # The same write through an action goes through.
        rpc(complaint, "action_acknowledge")
        self.assertEqual(complaint.state, "acknowledged")

    def test_pass_of_one_model_does_not_open_another(self):
        inspection = self._inspection().with_user(self.inspector)
        complaint = self._complaint().with_user(self.inspector)
        passed = complaint._with_workflow_pass()
        with self.assertRaisesRegex(UserError, inspection.name):
            inspection.with_context(passed.env.context).write({"state": "cancelled"})
        self.assertEqual(inspection.state, "draft")

    def test_create_starts_at_the_beginning_of_the_workflow(self):
        Complaint = self.env["service.complaint"].with_user(self.dispatcher)
        values = {
            "partner_id": self.customer.id,
            "description": "<p>Zebra-striped scratches on the door</p>",
        }
        with self.assertRaisesRegex(UserError, "cannot be edited directly"):
            Complaint.create(dict(values, state="closed"))
        with self.assertRaisesRegex(UserError, "cannot be edited directly"):
            Complaint.with_context(default_state="closed").create(values)
        with self.assertRaisesRegex(UserError, "cannot be edited directly"):
            Complaint.create(dict(values, reopen_count=3))
        self.assertFalse(
            self.env["service.complaint"].search([("description", "ilike", "Zebra-striped")])
        )
        # A form sends the initial state with the other fields: accepted.
        complaint = Complaint.create(dict(values, state="new"))
        self.assertEqual(complaint.state, "new")
        with Form(Complaint) as form:
            form.partner_id = self.customer
        self.assertEqual(form.record.state, "new")

    def test_inspection_done_only_with_every_item_answered(self):
        inspection = self._inspection(answered=1).with_user(self.inspector)
        inspection.action_start()
        with self.assertRaisesRegex(UserError, inspection.name):
            inspection.write({"state": "done"})
        # Even the superuser cannot store a done inspection with open items.
        with self.assertRaisesRegex(ValidationError, "Floor protected"), self.env.cr.savepoint():
            inspection.sudo().write({"state": "done"})
        inspection.invalidate_recordset()
        self.assertEqual(inspection.state, "in_progress")
        inspection.line_ids.write({"result": "pass"})
        inspection.action_done()
        self.assertEqual(inspection.state, "done")
        self.assertTrue(inspection.done_at)
        # a finished inspection's checklist is locked, for the superuser too
        with self.assertRaisesRegex(UserError, "can no longer be changed"), self.env.cr.savepoint():
            inspection.line_ids[0].sudo().write({"result": False})

    def test_order_engine_fields_stay_guarded_on_create(self):
        Order = self.env["service.order"].with_user(self.dispatcher)
        with self.assertRaisesRegex(UserError, "use the workflow buttons"):
            Order.create({"partner_id": self.customer.id, "state": "done"})
        with self.assertRaisesRegex(UserError, "set by the system"):
            Order.create({"partner_id": self.customer.id, "approved_by_id": self.manager.id})
        order = Order.create({"partner_id": self.customer.id, "state": "new"})
        self.assertEqual(order.state, "new")
        self.assertTrue(order.resolve_deadline, "the SLA engine still writes its fields")
