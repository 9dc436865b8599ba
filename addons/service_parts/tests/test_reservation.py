from datetime import datetime, timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import ServicePartsCommon

# Queries to reserve the parts of a batch of three orders with two parts each,
# and what each more order adds: the transfer's sequence number and, per
# move, Odoo's own work in ``stock.move._action_assign`` (quants gathered
# four times and locked, one move line inserted, the move's quantity summed)
# and purchase_stock's search of the transfer's purchase orders when the
# move's state changes (twice); the batch itself (groups, transfers, moves,
# links) costs the same queries whatever the number of orders
# (bench/profile_parts_reserve.py lists them).
RESERVE_QUERIES = 102
ODOO_QUERIES_PER_ORDER = 21


@tagged("post_install", "-at_install")
class TestReservation(ServicePartsCommon):
    def test_schedule_reserves_parts_in_a_transfer(self):
        order = self._order_with_parts((self.relay, 2), (self.board, 1, self.lot_2))
        forecast_before = self.relay.with_context(warehouse_id=self.warehouse.id).virtual_available
        self._move_order_to(order, "assessed")
        self.assertFalse(order.part_ids.reservation_move_id, "assessed orders reserve nothing")
        self._schedule(order, datetime(2030, 3, 4, 9, 0))

        picking = order.sudo().parts_picking_ids
        self.assertEqual(len(picking), 1)
        self.assertEqual(picking.picking_type_id, self.warehouse.service_parts_type_id)
        self.assertEqual(picking.location_id, self.stock)
        self.assertEqual(picking.location_dest_id, self.consumption)
        self.assertEqual(picking.group_id, order.parts_group_id)
        self.assertEqual(picking.group_id.name, order.name)
        self.assertEqual(picking.origin, order.name)
        self.assertEqual(picking.scheduled_date, datetime(2030, 3, 4, 9, 0))
        self.assertEqual(picking.state, "assigned")
        board_move = order.part_ids.filtered(
            lambda p: p.product_id == self.board
        ).reservation_move_id
        self.assertEqual(board_move.move_line_ids.lot_id, self.lot_2, "the chosen lot is reserved")
        self.assertEqual(self._free_qty(self.relay), 8)
        self.assertEqual(self._free_qty(self.board, lot=self.lot_2), 2)
        # visible in Inventory: the product's forecast and the transfers list
        self.relay.invalidate_recordset()
        forecast_after = self.relay.with_context(warehouse_id=self.warehouse.id).virtual_available
        self.assertEqual(forecast_before - forecast_after, 2)
        found = (
            self.env["stock.picking"]
            .with_user(self.storekeeper)
            .search([("service_order_id", "=", order.id)])
        )
        self.assertEqual(found, picking)
        self.assertEqual(set(order.part_ids.mapped("reservation_state")), {"reserved"})
        self.assertIn("2 × Start relay (reserved)", order.with_user(self.technician).parts_summary)

    def test_shortage_is_missing_and_replenished_by_purchase(self):
        order = self._order_with_parts((self.relay, 14))
        self._move_order_to(order, "assessed")
        # within the reordering rule's horizon
        self._schedule(order, fields.Datetime.now().replace(microsecond=0) + timedelta(days=1))
        part = order.part_ids
        self.assertEqual(part.reservation_state, "missing")
        self.assertTrue(part.shortage)
        self.assertTrue(order.part_shortage)
        self.assertIn("(missing)", order.with_user(self.technician).parts_summary)

        orderpoint = self.env["stock.warehouse.orderpoint"].create(
            {
                "product_id": self.relay.id,
                "location_id": self.stock.id,
                "product_min_qty": 0,
                "product_max_qty": 0,
            }
        )
        orderpoint.action_replenish()
        line = self.env["purchase.order.line"].search([("product_id", "=", self.relay.id)])
        self.assertEqual(line.order_id.partner_id, self.supplier)
        self.assertEqual(line.product_qty, 4, "the 4 missing relays are bought")

        purchase = line.order_id
        purchase.with_user(self.buyer).button_confirm()
        receipt = purchase.picking_ids
        receipt.move_ids.quantity = 4
        receipt.move_ids.picked = True
        receipt.with_user(self.storekeeper).button_validate()
        part.reservation_move_id.picking_id.with_user(self.storekeeper).action_assign()
        self.assertEqual(part.reservation_state, "reserved")
        self.assertFalse(part.shortage)

    def test_reschedule_moves_the_transfer_and_cancel_releases_it(self):
        order = self._order_with_parts((self.relay, 3))
        self._move_order_to(order, "scheduled")
        picking = order.part_ids.reservation_move_id.picking_id
        order.with_user(self.dispatcher).write(
            {
                "appointment_start": datetime(2030, 3, 6, 14, 0),
                "appointment_end": datetime(2030, 3, 6, 16, 0),
            }
        )
        self.assertEqual(picking.scheduled_date, datetime(2030, 3, 6, 14, 0))
        self.assertEqual(picking.move_ids.date, datetime(2030, 3, 6, 14, 0))

        order.with_user(self.dispatcher).action_cancel(reason="Customer bought a new fridge")
        self.assertEqual(picking.state, "cancel")
        self.assertFalse(order.part_ids.reservation_move_id)
        self.assertEqual(order.part_ids.reservation_state, "none")
        self.assertEqual(self._free_qty(self.relay), 10)

    def test_line_changes_follow_the_reservation(self):
        order = self._order_with_parts((self.relay, 3))
        self._move_order_to(order, "scheduled")
        part = order.part_ids
        first_move = part.reservation_move_id
        with Form(order.with_user(self.dispatcher)) as form:
            with form.part_ids.edit(0) as line:
                line.quantity = 5
        self.assertEqual(part.reservation_move_id, first_move, "the same move, reserved again")
        self.assertEqual(first_move.product_uom_qty, 5)
        self.assertEqual(first_move.quantity, 5)
        self.assertEqual(first_move.state, "assigned")
        self.assertEqual(self._free_qty(self.relay), 5)

        added = (
            self.env["service.order.part"]
            .with_user(self.dispatcher)
            .create({"service_order_id": order.id, "product_id": self.board.id, "quantity": 1})
        )
        self.assertEqual(added.reservation_state, "reserved")
        self.assertEqual(added.reservation_move_id.picking_id, first_move.picking_id)

        move = added.sudo().reservation_move_id
        added.with_user(self.dispatcher).unlink()
        self.assertEqual(move.state, "cancel")
        self.assertEqual(self._free_qty(self.board), 5)

    def test_consume_uses_the_reserved_lot(self):
        order = self._order_with_parts((self.board, 1))
        self._move_order_to(order, "in_progress")
        part = order.part_ids
        reserved_lot = part.reservation_move_id.move_line_ids.lot_id
        self.assertEqual(reserved_lot, self.lot_1, "the oldest lot is reserved first")

        order.with_user(self.technician).action_consume_parts()
        self.assertEqual(part.state, "consumed")
        self.assertEqual(part.lot_id, self.lot_1)
        self.assertEqual(part.move_id, part.reservation_move_id)
        self.assertEqual(part.move_id.state, "done")
        self.assertEqual(part.move_id.location_dest_id, self.consumption)
        self.assertEqual(part.move_id.picking_id.state, "done")
        self.assertEqual(self._on_hand(self.board), 4)
        self.assertEqual(self._on_hand(self.board, self.consumption), 1)
        self.assertEqual(part.reservation_state, "used")

    def test_consume_refuses_what_is_not_reserved(self):
        order = self._order_with_parts((self.relay, 12))
        self._move_order_to(order, "in_progress")
        part = order.part_ids
        with self.assertRaisesRegex(
            UserError, "Not enough Start relay reserved at WH/Stock for .*: 10.0 of 12.0"
        ):
            order.with_user(self.technician).action_consume_parts()
        self.assertEqual(part.state, "draft")
        self.assertEqual(part.reservation_move_id.state, "partially_available")

        part.with_user(self.storekeeper).allow_negative = True
        order.with_user(self.technician).action_consume_parts()
        self.assertEqual(part.state, "consumed")
        self.assertEqual(self._on_hand(self.relay), -2)

    def test_order_without_warehouse_location_is_refused(self):
        shelf = self.env["stock.location"].create(
            {"name": "Loose shelf", "usage": "internal", "location_id": False}
        )
        self.env["stock.quant"]._update_available_quantity(self.relay, shelf, 1)
        order = self._order_with_parts((self.relay, 1))
        order.part_ids.location_id = shelf
        self._move_order_to(order, "assessed")
        with self.assertRaisesRegex(UserError, "Loose shelf"):
            self._schedule(order, datetime(2030, 3, 4, 9, 0))
        self.assertEqual(order.state, "assessed")
        self.assertFalse(self.env["stock.picking"].search([("service_order_id", "=", order.id)]))

    def _orders_to_reserve(self, count):
        """``count`` new orders with a filter and a hose each, their parts
        not reserved yet."""
        orders = self.env["service.order"]
        for _index in range(count):
            orders |= self._order_with_parts((self.filter, 1), (self.hose, 1))
        self.assertFalse(orders.part_ids.reservation_move_id)
        self.env.flush_all()
        self.env.invalidate_all()
        return orders

    def test_reservation_batch_query_count(self):
        Product = self.env["product.product"]
        self.filter = Product.create({"name": "Water filter", "is_storable": True})
        self.hose = Product.create({"name": "Inlet hose", "is_storable": True})
        for product in self.filter | self.hose:
            self.env["stock.quant"]._update_available_quantity(product, self.stock, 20)
        warm, few, many = (self._orders_to_reserve(count) for count in (1, 3, 9))
        warm.part_ids._parts_reserve()  # caches warmed by a first batch
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(RESERVE_QUERIES):
            few.part_ids._parts_reserve()
            self.env.flush_all()
        self.env.invalidate_all()
        # six more orders (twelve more moves) cost only Odoo's per-move
        # reservation work, nothing of ours
        with self.assertQueryCount(RESERVE_QUERIES + 6 * ODOO_QUERIES_PER_ORDER):
            many.part_ids._parts_reserve()
            self.env.flush_all()
        self.assertEqual(set((few | many).part_ids.mapped("reservation_state")), {"reserved"})
        self.assertEqual(len((few | many).sudo().parts_picking_ids), 12)
