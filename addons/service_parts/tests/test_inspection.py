from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import ServicePartsCommon


@tagged("post_install", "-at_install")
class TestIncomingInspection(ServicePartsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.categ.write({"incoming_inspection": True})
        cls.board.categ_id = cls.categ
        cls.quarantine = cls.warehouse.quarantine_location_id

    def _receive(self, product, qty, lot_name=None):
        """Buy ``qty`` of ``product`` from the supplier and receive it."""
        purchase_form = Form(self.env["purchase.order"].with_user(self.buyer))
        purchase_form.partner_id = self.supplier
        with purchase_form.order_line.new() as line:
            line.product_id = product
            line.product_qty = qty
        purchase = purchase_form.save()
        purchase.button_confirm()
        receipt = purchase.picking_ids
        move = receipt.move_ids
        if lot_name:
            move.move_line_ids.write({"lot_name": lot_name, "quantity": qty})
        else:
            move.quantity = qty
        move.picked = True
        receipt.with_user(self.storekeeper).button_validate()
        self.assertEqual(receipt.state, "done")
        return purchase.with_env(self.env), receipt.with_env(self.env)

    def test_receipt_opens_inspection_with_checklist_and_pass(self):
        purchase, receipt = self._receive(self.relay, 20)
        inspection = receipt.parts_inspection_ids
        self.assertEqual(len(inspection), 1)
        self.assertEqual(receipt.parts_inspection_count, 1)
        self.assertEqual(inspection.partner_id, self.supplier)
        self.assertEqual(inspection.quantity, 20)
        self.assertEqual(
            inspection.line_ids.mapped("name"), ["Packaging intact", "Coil resistance within spec"]
        )
        self.assertTrue(inspection.name.startswith("IQC/"))
        with self.assertRaisesRegex(UserError, "without a result: Packaging intact"):
            inspection.with_user(self.inspector).action_pass()
        inspection.line_ids.with_user(self.storekeeper).write({"result": "pass"})
        inspection.with_user(self.storekeeper).action_pass()
        self.assertEqual(inspection.state, "passed")
        self.assertEqual(inspection.inspector_id, self.storekeeper)
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            inspection.with_user(self.storekeeper).failed_qty = 1

    def test_no_inspection_for_other_categories(self):
        self.categ.incoming_inspection = False
        _purchase, receipt = self._receive(self.relay, 5)
        self.assertFalse(receipt.parts_inspection_ids)

    def test_failed_parts_go_to_quarantine_and_back_to_the_supplier(self):
        purchase, receipt = self._receive(self.board, 4, lot_name="CB-BAD-7")
        inspection = receipt.parts_inspection_ids
        lot = inspection.lot_ids
        self.assertEqual(lot.name, "CB-BAD-7")
        inspection.line_ids[0].result = "pass"
        inspection.line_ids[1].result = "fail"
        with self.assertRaisesRegex(UserError, "enter the failed quantity"):
            inspection.with_user(self.inspector).action_fail()
        inspection.failed_qty = 3
        with self.assertRaisesRegex(UserError, "choose the failed lot"):
            inspection.with_user(self.inspector).action_fail()
        inspection.failed_lot_id = lot
        with self.assertRaisesRegex(UserError, "record it as failed"):
            inspection.with_user(self.inspector).action_pass()
        inspection.with_user(self.inspector).action_fail()
        self.assertEqual(inspection.state, "failed")
        self.assertEqual(self._on_hand(self.board, self.quarantine), 3)
        self.assertEqual(self._free_qty(self.board, lot=lot), 1)

        inspection.with_user(self.inspector).action_return_to_supplier()
        back = inspection.return_picking_id
        self.assertEqual(back.return_id, receipt)
        self.assertEqual(back.location_id, self.quarantine)
        self.assertEqual(back.location_dest_id, self.supplier.property_stock_supplier)
        self.assertEqual(back.state, "assigned")
        self.assertEqual(back.move_ids.move_line_ids.lot_id, lot)
        back.with_user(self.storekeeper).button_validate()
        self.assertEqual(self._on_hand(self.board, self.quarantine), 0)
        self.assertEqual(purchase.order_line.qty_received, 1, "the return lowers the received qty")
        with self.assertRaisesRegex(UserError, "only a failed inspection without a return"):
            inspection.with_user(self.inspector).action_return_to_supplier()

    def test_warehouse_opens_inspection_without_complaint_rights(self):
        _purchase, receipt = self._receive(self.relay, 2)
        inspection = receipt.parts_inspection_ids.with_user(self.storekeeper)
        with self.assertRaises(AccessError):
            self.env["service.complaint"].with_user(self.storekeeper).search([])
        values = inspection.read(["state", "complaint_count", "complaint_ids"])[0]
        self.assertEqual(values["state"], "todo")
        self.assertEqual(values["complaint_count"], 0)
        self.assertEqual(values["complaint_ids"], [])

    def test_complaint_names_the_faulty_lot_and_its_supplier(self):
        _purchase, receipt = self._receive(self.board, 2, lot_name="CB-FIELD-1")
        inspection = receipt.parts_inspection_ids
        complaint = (
            self.env["service.complaint"]
            .with_user(self.dispatcher)
            .create(
                {
                    "partner_id": self.customer.id,
                    "description": "The new control board burnt out after two days",
                }
            )
        )
        complaint.faulty_lot_id = inspection.lot_ids
        self.assertEqual(complaint.faulty_product_id, self.board)
        self.assertEqual(complaint.faulty_supplier_id, self.supplier)
        inspection.invalidate_recordset(["complaint_ids", "complaint_count"])
        self.assertEqual(inspection.complaint_ids, complaint)
        self.assertEqual(inspection.complaint_count, 1)

    def test_inspection_access(self):
        _purchase, receipt = self._receive(self.relay, 2)
        inspection = receipt.parts_inspection_ids
        with self.assertRaises(AccessError):
            inspection.with_user(self.technician).read(["state"])
        with self.assertRaises(AccessError):
            inspection.with_user(self.buyer).write({"failed_qty": 1})
        self.assertEqual(inspection.with_user(self.buyer).state, "todo")
        with self.assertRaises(AccessError):
            self.env["service.parts.inspection.check"].with_user(self.storekeeper).create(
                {"name": "Colour", "categ_id": self.categ.id}
            )
