from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ServicePartsCommon


@tagged("post_install", "-at_install")
class TestVan(ServicePartsCommon):
    def test_parts_go_to_the_van_and_are_consumed_from_it(self):
        van = self._van_for(self.technician)
        self.assertEqual(van.warehouse_id, self.warehouse)
        order = self._order_with_parts((self.relay, 2), (self.board, 1))
        self._move_order_to(order, "scheduled")
        picking = order.part_ids.reservation_move_id.picking_id
        self.assertEqual(picking.location_dest_id, van)
        self.assertIn("(reserved)", order.with_user(self.technician).parts_summary)

        # the morning's load, validated by the warehouse
        loads = (
            self.env["stock.picking"]
            .with_user(self.storekeeper)
            .search(
                [("service_order_id", "!=", False), ("location_dest_id.van_user_id", "!=", False)]
            )
        )
        self.assertIn(picking, loads)
        picking.with_user(self.storekeeper).button_validate()
        self.assertEqual(picking.state, "done")
        self.assertEqual(self._on_hand(self.relay, van), 2)
        self.assertEqual(set(order.part_ids.mapped("reservation_state")), {"in_van"})
        summary = order.with_user(self.technician).parts_summary
        self.assertIn("2 × Start relay (in van)", summary)

        order.with_user(self.technician).action_start()
        order.with_user(self.technician).action_consume_parts()
        relay_part = order.part_ids.filtered(lambda p: p.product_id == self.relay)
        board_part = order.part_ids - relay_part
        self.assertEqual(relay_part.move_id.location_id, van)
        self.assertEqual(relay_part.move_id.location_dest_id, self.consumption)
        self.assertEqual(board_part.lot_id, self.lot_1, "the lot loaded into the van")
        self.assertEqual(self._on_hand(self.relay, van), 0)
        self.assertEqual(self._on_hand(self.board, van), 0)

    def test_unloaded_parts_are_taken_at_consumption(self):
        van = self._van_for(self.technician)
        order = self._order_with_parts((self.relay, 1))
        self._move_order_to(order, "in_progress")
        part = order.part_ids
        order.with_user(self.technician).action_consume_parts()
        self.assertEqual(part.reservation_move_id.state, "done")
        self.assertEqual(part.reservation_move_id.location_dest_id, van)
        self.assertEqual(part.move_id.location_id, van)
        self.assertEqual(self._on_hand(self.relay), 9)

    def test_reassigned_order_goes_to_the_new_van(self):
        van_1 = self._van_for(self.technician)
        van_2 = self._van_for(self.technician_2)
        order = self._order_with_parts((self.relay, 1))
        self._move_order_to(order, "scheduled")
        first = order.part_ids.reservation_move_id
        self.assertEqual(first.location_dest_id, van_1)
        order.with_user(self.dispatcher).user_id = self.technician_2
        self.assertEqual(first.state, "cancel")
        self.assertEqual(order.part_ids.reservation_move_id.location_dest_id, van_2)

    def test_returns_and_count_of_the_van(self):
        van = self._van_for(self.technician)
        self.env["stock.quant"]._update_available_quantity(self.relay, van, 3)
        action = van.with_user(self.storekeeper).action_return_van_stock()
        back = self.env["stock.picking"].browse(action["domain"][0][2])
        self.assertEqual(back.location_id, van)
        self.assertEqual(back.location_dest_id, self.stock)
        self.assertEqual(back.move_ids.product_uom_qty, 3)
        self.assertEqual(back.state, "assigned")
        back.with_user(self.storekeeper).button_validate()
        self.assertEqual(self._on_hand(self.relay, van), 0)
        self.assertEqual(self._on_hand(self.relay), 13)
        with self.assertRaisesRegex(UserError, "nothing to return"):
            van.with_user(self.storekeeper).action_return_van_stock()

        count = van.with_user(self.storekeeper).action_count_van_stock()
        self.assertEqual(count["res_model"], "stock.quant")
        self.assertIn(("location_id", "child_of", van.id), count["domain"])

    def test_van_access(self):
        with self.assertRaises(AccessError):
            self.env["stock.location"].with_user(self.technician).create(
                {"name": "My van", "usage": "internal", "van_user_id": self.technician.id}
            )
        van = (
            self.env["stock.location"]
            .with_user(self.storekeeper)
            .create(
                {
                    "name": "Van Tom",
                    "usage": "internal",
                    "location_id": self.warehouse.van_parent_location_id.id,
                    "van_user_id": self.technician_2.id,
                }
            )
        )
        self.assertEqual(van.van_user_id, self.technician_2)
