from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import ServicePartsCommon


@tagged("post_install", "-at_install")
class TestEmergencyPlanParts(ServicePartsCommon):
    """The parts an emergency plan holds, with a quantity at the plan's
    stock location: below it, the plan is short."""

    def _plan(self):
        form = Form(self.env["service.emergency.plan"].with_user(self.dispatcher))
        form.name = "Lift entrapment"
        form.risk = "Passengers trapped in a lift car"
        form.date_start = date(2026, 1, 5)
        self.assertEqual(form.parts_location_id, self.stock)
        with form.part_ids.new() as line:
            line.product_id = self.relay
            line.quantity = 8
        with form.part_ids.new() as line:
            line.product_id = self.board
            line.quantity = 5
        return form.save()

    def test_part_below_its_quantity_puts_the_plan_short(self):
        plan = self._plan()
        Plan = self.env["service.emergency.plan"]
        relay, board = plan.part_ids.sorted(lambda p: p.product_id != self.relay)
        self.assertEqual((relay.qty_on_hand, board.qty_on_hand), (10, 5))
        self.assertFalse(plan.resource_short)
        self.assertNotIn(plan, Plan.search([("resource_short", "=", True)]))
        # three relays go out: 7 left, 8 to hold
        self.env["stock.quant"]._update_available_quantity(self.relay, self.stock, -3)
        plan.invalidate_recordset()
        plan.part_ids.invalidate_recordset()
        self.assertTrue(relay.is_short)
        self.assertFalse(board.is_short)
        self.assertTrue(plan.resource_short)
        self.assertIn("Start relay", plan.resource_shortage)
        self.assertIn("8.00 to hold", plan.resource_shortage)
        self.assertIn(plan, Plan.search([("resource_short", "=", True)]))
        # held at another location: nothing there
        shelf = self.env["stock.location"].create(
            {"name": "Emergency shelf", "usage": "internal", "location_id": self.stock.id}
        )
        plan.with_user(self.dispatcher).parts_location_id = shelf
        plan.part_ids.invalidate_recordset()
        self.assertEqual(plan.part_ids.mapped("qty_on_hand"), [0.0, 0.0])
        self.env["stock.quant"]._update_available_quantity(self.relay, shelf, 8)
        self.env["stock.quant"]._update_available_quantity(self.board, shelf, 5, lot_id=self.lot_1)
        plan.invalidate_recordset()
        plan.part_ids.invalidate_recordset()
        self.assertFalse(plan.resource_short)

    def test_parts_of_an_approved_plan_are_locked(self):
        plan = self._plan()
        relay = plan.part_ids.filtered(lambda line: line.product_id == self.relay)
        plan._workflow_write({"state": "approved"})
        Part = self.env["service.emergency.plan.part"]
        # on the plan, and on its lines directly, whoever asks
        with self.assertRaisesRegex(UserError, "Parts are part of its record"):
            plan.with_user(self.dispatcher).write({"part_ids": [Command.delete(relay.id)]})
        with self.assertRaisesRegex(UserError, "Parts Held At are part of its record"):
            plan.with_user(self.dispatcher).write({"parts_location_id": False})
        with self.assertRaisesRegex(UserError, "Lift entrapment is Approved"):
            relay.sudo().write({"quantity": 1})
        with self.assertRaisesRegex(UserError, "Lift entrapment is Approved"):
            Part.with_user(self.dispatcher).create(
                {"plan_id": plan.id, "product_id": self.board.id, "quantity": 1}
            )
        with self.assertRaisesRegex(UserError, "Lift entrapment is Approved"):
            relay.with_user(self.dispatcher).unlink()
        self.assertEqual(relay.quantity, 8)
        self.assertEqual(len(plan.part_ids), 2)

    def test_quantity_must_be_positive(self):
        plan = self._plan()
        with self.assertRaisesRegex(ValidationError, "Lift entrapment.*must be positive"):
            plan.part_ids[0].with_user(self.dispatcher).quantity = 0

    def test_technician_reads_dispatcher_edits(self):
        plan = self._plan()
        self.assertEqual(len(plan.with_user(self.technician).part_ids), 2)
        self.assertEqual(plan.part_ids.with_user(self.technician).mapped("qty_on_hand"), [10, 5])
        with self.assertRaises(AccessError):
            plan.part_ids[0].with_user(self.technician).quantity = 2
        with self.assertRaises(AccessError):
            self.env["service.emergency.plan.part"].with_user(self.technician).create(
                {"plan_id": plan.id, "product_id": self.relay.id, "quantity": 1}
            )
        plan.with_user(self.dispatcher).write({"part_ids": [Command.delete(plan.part_ids[1].id)]})
        self.assertEqual(plan.part_ids.product_id, self.relay)
