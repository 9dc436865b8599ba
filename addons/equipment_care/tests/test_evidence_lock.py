import base64
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.service_quality.tests.evidence_common import EvidenceLockMixin

from .common import EquipmentCareCommon


@tagged("post_install", "-at_install")
class TestEquipmentEvidenceLock(EvidenceLockMixin, EquipmentCareCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stock = (
            cls.env["stock.warehouse"]
            .search([("company_id", "=", cls.company.id)], limit=1)
            .lot_stock_id
        )
        cls.belt = cls.env["product.product"].create(
            {"name": "Drum belt 1270 J5", "type": "consu", "is_storable": True}
        )
        cls.env["stock.quant"]._update_available_quantity(cls.belt, cls.stock, 3.0)
        cls.roles = (
            cls.keeper,
            cls.keeper_2,
            cls.technician,
            cls.technician_2,
            cls.dispatcher,
            cls.inspector,
            cls.stock_user,
        )

    def _on_hand(self):
        return self.env["stock.quant"]._get_available_quantity(self.belt, self.stock)

    def _consumed_part(self):
        part = self.env["service.order.part"].create(
            {"service_order_id": self.order.id, "product_id": self.belt.id, "quantity": 2}
        )
        part.with_user(self.technician).action_consume()
        return part

    def test_walk_every_final_record(self):
        covered = {"service.order.part/consumed": (self._consumed_part(), self.technician)}
        with freeze_time(self.now):
            checkout = self._checkout()
            checkout.with_user(self.keeper).action_check_in()
        covered["equipment.checkout/returned"] = (checkout, self.keeper)
        retirement = self.env["equipment.retirement"].create(
            {
                "equipment_id": self.tool_2.id,
                "reason": "worn_out",
                "disposal_method": "recycle",
                "assessment": "<p>Display cracked.</p>",
            }
        )
        retirement._workflow_write(
            {"state": "done", "approved_by_id": self.keeper_2.id, "done_at": fields.Datetime.now()}
        )
        covered["equipment.retirement/done"] = (retirement, self.keeper)
        for record, writer in covered.values():
            self.assertEvidenceLocked(record, self.roles, writer)
        expected = {
            f"{model}/{state}"
            for model in self._final_state_models("equipment_care")
            for state in self.env[model]._workflow_final_states
        }
        self.assertEqual(set(covered), expected)

    def test_part_state_cannot_be_forged(self):
        part = self.env["service.order.part"].create(
            {"service_order_id": self.order.id, "product_id": self.belt.id, "quantity": 2}
        )
        # consumed without a stock move
        with self.assertRaisesRegex(UserError, "cannot be edited"):
            part.with_user(self.technician).write({"state": "consumed"})
        self.assertEqual(part.state, "draft")
        part.with_user(self.technician).action_consume()
        self.assertEqual(self._on_hand(), 1)
        move = part.move_id
        # back to draft and consumed again: a second stock move
        with self.assertRaisesRegex(UserError, "cannot be edited directly; use Consume Parts"):
            part.with_user(self.technician).write({"state": "draft"})
        with self.assertRaisesRegex(UserError, "stock move is done"):
            part.with_user(self.stock_user).write({"move_id": False})
        with self.assertRaisesRegex(UserError, "already consumed"):
            part.with_user(self.technician).action_consume()
        self.assertEqual(part.state, "consumed")
        self.assertEqual(part.move_id, move)
        self.assertEqual(self._on_hand(), 1)

    def test_calibration_due_after_calibration_date(self):
        with freeze_time(self.now):
            calibration = self.env["equipment.calibration"].create(
                {
                    "equipment_id": self.tool.id,
                    "date": self.today,
                    "performed_by": "Shanghai Metrology Institute",
                    "certificate_number": "SMI-2026-0301",
                    "result": "pass",
                }
            )
            self.assertEqual(calibration.next_due_date, self.today + timedelta(days=365))
            for due in (self.today - timedelta(days=1), self.today):
                with (
                    self.assertRaisesRegex(ValidationError, "must come after the calibration date"),
                    self.env.cr.savepoint(),
                ):
                    self.env["equipment.calibration"].create(
                        {
                            "equipment_id": self.tool.id,
                            "date": self.today,
                            "performed_by": "Shanghai Metrology Institute",
                            "certificate_number": "SMI-2026-0302",
                            "result": "pass",
                            "next_due_date": due,
                        }
                    )
            # recorded, the due date and the certificate are evidence: the
            # certificate may be completed (the file comes later), not changed
            with self.assertRaisesRegex(UserError, "calibration record is evidence"):
                calibration.write({"next_due_date": self.today + timedelta(days=3650)})
            with self.assertRaisesRegex(UserError, "Certificate Number is already recorded"):
                calibration.write({"certificate_number": "FORGED"})
            calibration.write({"certificate_file": base64.b64encode(b"%PDF-1.4 lab")})
            with self.assertRaisesRegex(UserError, "part of the tool's records"):
                calibration.unlink()
            calibration.invalidate_recordset()
            self.assertEqual(calibration.next_due_date, self.today + timedelta(days=365))
            self.assertEqual(calibration.certificate_number, "SMI-2026-0301")
