from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ServicePartsCommon


@tagged("post_install", "-at_install")
class TestSupplierEvaluation(ServicePartsCommon):
    def _receipt(self, qty, deadline, done_at, failed=0.0):
        """A purchase receipt of relays planned for ``deadline``, received at
        ``done_at``, whose inspection fails ``failed`` of them."""
        with freeze_time(deadline):
            purchase = self.env["purchase.order"].create(
                {
                    "partner_id": self.supplier.id,
                    "order_line": [
                        (
                            0,
                            0,
                            {
                                "product_id": self.relay.id,
                                "product_qty": qty,
                                "date_planned": deadline,
                            },
                        )
                    ],
                }
            )
            purchase.button_confirm()
        receipt = purchase.picking_ids
        receipt.scheduled_date = deadline
        with freeze_time(done_at):
            receipt.move_ids.quantity = qty
            receipt.move_ids.picked = True
            receipt.button_validate()
            inspection = receipt.parts_inspection_ids
            inspection.line_ids.result = "fail" if failed else "pass"
            if failed:
                inspection.failed_qty = failed
                inspection.with_user(self.inspector).action_fail()
            else:
                inspection.with_user(self.inspector).action_pass()
        return purchase

    def test_evaluation_scores_and_blocks_purchasing(self):
        self._receipt(10, datetime(2026, 3, 3, 10), datetime(2026, 3, 3, 9))
        self._receipt(10, datetime(2026, 3, 10, 10), datetime(2026, 3, 14, 9), failed=4)
        evaluation = (
            self.env["service.supplier.evaluation"]
            .with_user(self.buyer)
            .create(
                {
                    "partner_id": self.supplier.id,
                    "date_from": date(2026, 3, 1),
                    "date_to": date(2026, 3, 31),
                }
            )
        )
        evaluation.action_compute()
        self.assertEqual(evaluation.receipt_count, 2)
        self.assertEqual(evaluation.on_time_count, 1)
        self.assertEqual(evaluation.on_time_rate, 50.0)
        self.assertEqual(evaluation.inspected_qty, 20)
        self.assertEqual(evaluation.failed_qty, 4)
        self.assertEqual(evaluation.quality_rate, 80.0)
        self.assertAlmostEqual(evaluation.score, 68.0)
        self.assertEqual(evaluation.result, "conditional")
        evaluation.action_confirm()
        self.assertEqual(self.supplier.supplier_status, "conditional")
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            evaluation.score = 100

        rfq = self.env["purchase.order"].create(
            {"partner_id": self.supplier.id, "order_line": [(0, 0, {"product_id": self.relay.id})]}
        )
        with self.assertRaisesRegex(UserError, "a purchase manager must confirm"):
            rfq.with_user(self.buyer).button_confirm()
        self.assertEqual(rfq.state, "draft")
        rfq.with_user(self.purchase_manager).button_confirm()
        self.assertEqual(rfq.state, "purchase")

        self.supplier.supplier_status = "blocked"
        rfq_2 = self.env["purchase.order"].create(
            {"partner_id": self.supplier.id, "order_line": [(0, 0, {"product_id": self.relay.id})]}
        )
        with self.assertRaisesRegex(UserError, "Shenzhen Relay Co. is blocked"):
            rfq_2.with_user(self.purchase_manager).button_confirm()
        self.assertFalse(self.relay._select_seller(partner_id=False, quantity=1))

    def test_complaints_lower_the_score(self):
        self._receipt(5, datetime(2026, 3, 3, 10), datetime(2026, 3, 3, 9))
        with freeze_time("2026-03-20"):
            for _index in range(3):
                self.env["service.complaint"].create(
                    {
                        "partner_id": self.customer.id,
                        "description": "Relay failed",
                        "faulty_supplier_id": self.supplier.id,
                    }
                )
        evaluation = self.env["service.supplier.evaluation"].create(
            {
                "partner_id": self.supplier.id,
                "date_from": date(2026, 3, 1),
                "date_to": date(2026, 3, 31),
            }
        )
        evaluation.action_compute()
        self.assertEqual(evaluation.complaint_count, 3)
        self.assertAlmostEqual(evaluation.score, 70.0)

    def test_monthly_job_opens_one_evaluation_per_supplier(self):
        self._receipt(5, datetime(2026, 3, 3, 10), datetime(2026, 3, 3, 9))
        cron = self.env.ref("service_parts.ir_cron_supplier_evaluation")
        Evaluation = self.env["service.supplier.evaluation"]
        with freeze_time("2026-04-01 03:00"):
            cron.method_direct_trigger()
            cron.method_direct_trigger()
        evaluations = Evaluation.search([("partner_id", "=", self.supplier.id)])
        self.assertEqual(len(evaluations), 1)
        self.assertEqual(evaluations.date_from, date(2026, 3, 1))
        self.assertEqual(evaluations.date_to, date(2026, 3, 31))
        self.assertEqual(evaluations.result, "approved")
        self.assertEqual(evaluations.state, "draft")

    def test_evaluation_access(self):
        evaluation = (
            self.env["service.supplier.evaluation"]
            .with_user(self.buyer)
            .create(
                {
                    "partner_id": self.supplier.id,
                    "date_from": date(2026, 3, 1),
                    "date_to": date(2026, 3, 31),
                }
            )
        )
        self.assertEqual(evaluation.with_user(self.storekeeper).partner_id, self.supplier)
        with self.assertRaises(AccessError):
            evaluation.with_user(self.storekeeper).write({"note": "Good"})
        with self.assertRaises(AccessError):
            evaluation.with_user(self.technician).read(["score"])
        with self.assertRaises(AccessError):
            evaluation.with_user(self.buyer).unlink()
        evaluation.with_user(self.purchase_manager).unlink()
        self.assertFalse(evaluation.exists())

    def test_status_is_per_company(self):
        company_b = self.env["res.company"].create({"name": "Guangzhou Service Branch"})
        buyer_b = self.env["res.users"].create(
            {
                "name": "Bai Buyer",
                "login": "sp_buyer_b",
                "company_id": company_b.id,
                "company_ids": [(6, 0, company_b.ids)],
                "groups_id": [(6, 0, self.env.ref("purchase.group_purchase_user").ids)],
            }
        )
        Evaluation = self.env["service.supplier.evaluation"]
        evaluation = Evaluation.with_user(self.buyer).create(
            {
                "partner_id": self.supplier.id,
                "date_from": date(2026, 3, 1),
                "date_to": date(2026, 3, 31),
            }
        )
        evaluation.write({"result": "blocked", "score": 40.0})
        evaluation.action_confirm()
        self.assertEqual(self.supplier.with_company(self.company).supplier_status, "blocked")
        self.assertFalse(self.supplier.with_company(company_b).supplier_status)
        # the other company still buys from him, replenishment included
        rfq_b = (
            self.env["purchase.order"]
            .with_user(buyer_b)
            .with_company(company_b)
            .create(
                {
                    "partner_id": self.supplier.id,
                    "order_line": [(0, 0, {"product_id": self.relay.id})],
                }
            )
        )
        self.assertEqual(rfq_b.company_id, company_b)
        rfq_b.button_confirm()
        self.assertEqual(rfq_b.state, "purchase")
        self.assertTrue(
            self.relay.with_company(company_b)._select_seller(partner_id=False, quantity=1)
        )
        # the evaluating company does not
        self.assertFalse(
            self.relay.with_company(self.company)._select_seller(partner_id=False, quantity=1)
        )
        rfq_a = self.env["purchase.order"].create(
            {"partner_id": self.supplier.id, "order_line": [(0, 0, {"product_id": self.relay.id})]}
        )
        with self.assertRaisesRegex(UserError, "is blocked by the evaluation of"):
            rfq_a.with_user(self.purchase_manager).button_confirm()
        # the second company's own evaluation makes him conditional there only
        evaluation_b = Evaluation.with_user(buyer_b).create(
            {
                "partner_id": self.supplier.id,
                "date_from": date(2026, 3, 1),
                "date_to": date(2026, 3, 31),
            }
        )
        self.assertEqual(evaluation_b.company_id, company_b)
        evaluation_b.write({"result": "conditional", "score": 70.0})
        evaluation_b.action_confirm()
        self.assertEqual(self.supplier.with_company(company_b).supplier_status, "conditional")
        self.assertEqual(self.supplier.with_company(self.company).supplier_status, "blocked")
        rfq_b2 = (
            self.env["purchase.order"]
            .with_user(buyer_b)
            .with_company(company_b)
            .create(
                {
                    "partner_id": self.supplier.id,
                    "order_line": [(0, 0, {"product_id": self.relay.id})],
                }
            )
        )
        with self.assertRaisesRegex(UserError, "a purchase manager must confirm"):
            rfq_b2.button_confirm()
