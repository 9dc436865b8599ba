from datetime import date

from freezegun import freeze_time

from odoo.tests import new_test_user, tagged

from odoo.addons.service_quality.models.service_retention_mixin import retention_fingerprints
from odoo.addons.service_quality.tests.retention_common import run_job_to_end

from .common import EquipmentCareCommon


@tagged("post_install", "-at_install")
class TestRetentionFiles(EquipmentCareCommon):
    """A retained record is destroyed with its whole file: a tool with its
    retirement, check-outs, maintenance requests, calibrations and care plans;
    a service order with its feedback and spare part lines (stock untouched)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Register = cls.env["service.retention.register"]
        cls.tool_policy = cls.env.ref("equipment_care.retention_policy_equipment")
        cls.order_policy = cls.env.ref("service_quality.retention_policy_service_order")
        cls.env["service.retention.policy"].search(
            [("id", "not in", (cls.tool_policy | cls.order_policy).ids)]
        ).action_archive()
        group = "service_quality.group_archivist"
        cls.archivist = new_test_user(cls.env, "ecr_archivist", groups=group, name="Ari Archivist")
        cls.archivist_2 = new_test_user(
            cls.env, "ecr_archivist2", groups=group, name="Bo Archivist"
        )

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _tool_with_history(self, tool):
        """Check-out and return, a fault, a calibration and an own care plan
        with its generated request, then retirement through the approval flow.
        Returns the file's dependents by model."""
        with freeze_time("2026-03-02 09:00:00"):
            checkout = self._checkout(tool=tool, order=self.order)
            checkout.action_check_in("ok")
            fault = self.env["maintenance.request"].create(
                {
                    "name": "Display flickers",
                    "equipment_id": tool.id,
                    "maintenance_type": "corrective",
                }
            )
            calibration = self.env["equipment.calibration"].create(
                {
                    "equipment_id": tool.id,
                    "date": date(2026, 3, 2),
                    "performed_by": "Shanghai Metrology Lab",
                    "certificate_number": f"CAL-{tool.id}",
                    "result": "pass",
                }
            )
            plan = self.env["equipment.care.plan"].create(
                {
                    "name": f"Quarterly check of {tool.name}",
                    "plan_type": "quarterly",
                    "equipment_id": tool.id,
                    "start_date": date(2026, 3, 20),
                }
            )
        with freeze_time("2026-03-10 07:00:00"):
            self.env.ref("equipment_care.ir_cron_equipment_care_plan").method_direct_trigger()
        care_request = self.env["maintenance.request"].search([("care_plan_id", "=", plan.id)])
        self.assertEqual(len(care_request), 1)
        with freeze_time("2026-04-01 09:00:00"):
            retirement = (
                self.env["equipment.retirement"]
                .with_user(self.keeper)
                .create(
                    {
                        "equipment_id": tool.id,
                        "reason": "worn_out",
                        "disposal_method": "recycle",
                        "assessment": "<p>Display cracked, repair costs more than a new one.</p>",
                    }
                )
            )
            retirement.with_user(self.keeper).action_submit()
            retirement.with_user(self.keeper_2).action_approve()
            retirement.with_user(self.keeper).action_done()
        self.assertFalse(tool.active)
        self.assertEqual(tool.scrap_date, date(2026, 4, 1))
        return {
            "equipment.retirement": retirement,
            "equipment.checkout": checkout,
            "maintenance.request": fault | care_request,
            "equipment.calibration": calibration,
            "equipment.care.plan": plan,
        }

    def _propose_and_approve(self, policy, day):
        with freeze_time(day):
            policy.with_user(self.archivist).action_run()
            run_job_to_end(self.env.ref("service_quality.ir_cron_retention_apply_policies"))
        request = policy.request_ids.filtered(lambda r: r.state == "proposed")
        request.with_user(self.archivist_2).action_approve()
        return request

    def _fingerprints(self, records_by_model):
        return {
            (model, record_id): fingerprint
            for model, records in records_by_model.items()
            for record_id, fingerprint in retention_fingerprints(records).items()
        }

    def _rows(self, keys):
        rows = self.Register.search(
            [
                ("model", "in", list({model for model, _id in keys})),
                ("res_id", "in", list({record_id for _model, record_id in keys})),
            ]
        )
        return {(row.model, row.res_id): row for row in rows if (row.model, row.res_id) in keys}

    # ------------------------------------------------------------------
    # Tests
    # ------------------------------------------------------------------
    def test_retired_tool_destroyed_with_its_file(self):
        dependents = self._tool_with_history(self.tool)
        expected = self._fingerprints({"maintenance.equipment": self.tool, **dependents})
        names = {
            (records._name, record.id): record.display_name
            for records in (self.tool, *dependents.values())
            for record in records
        }
        self.assertEqual(len(expected), 7)
        # Not before five years after retirement.
        with freeze_time("2031-03-31"):
            self.tool_policy.with_user(self.archivist).action_run()
            run_job_to_end(self.env.ref("service_quality.ir_cron_retention_apply_policies"))
        self.assertFalse(self.tool_policy.request_ids)
        request = self._propose_and_approve(self.tool_policy, "2031-04-01")
        self.assertEqual(request.line_ids.mapped("res_id"), self.tool.ids)
        with freeze_time("2031-04-02 10:00:00"):
            request.with_user(self.archivist_2).action_destroy()
            run_job_to_end(self.env.ref("service_quality.ir_cron_retention_destroy_approved"))
        self.assertEqual(request.line_ids.state, "destroyed")
        self.assertFalse(self.tool.exists())
        for records in dependents.values():
            self.assertFalse(records.exists(), records._name)
        rows = self._rows(set(expected))
        self.assertEqual(set(rows), set(expected), "one register row per destroyed record")
        for key, row in rows.items():
            self.assertEqual(row.fingerprint, expected[key])
            self.assertEqual(row.display_name, names[key])
            self.assertEqual(row.request_id, request)
            self.assertEqual(row.policy_id, self.tool_policy)
            self.assertEqual(row.approved_by, self.archivist_2)
            self.assertEqual(str(row.destroyed_at), "2031-04-02 10:00:00")
        # The service order the tool was checked out for is another file: kept.
        self.assertTrue(self.order.exists())

    def test_closed_order_destroyed_with_feedback_and_parts_stock_untouched(self):
        stock = (
            self.env["stock.warehouse"]
            .search([("company_id", "=", self.company.id)], limit=1)
            .lot_stock_id
        )
        belt = self.env["product.product"].create(
            {"name": "Drum belt 1270 J5", "type": "consu", "is_storable": True}
        )
        self.env["stock.quant"]._update_available_quantity(belt, stock, 5.0)
        with freeze_time("2026-03-02 09:00:00"):
            self._move_order_to(self.order, "in_progress")
            part = self.env["service.order.part"].create(
                {"service_order_id": self.order.id, "product_id": belt.id, "quantity": 2}
            )
            self.order.action_consume_parts()
            self.order.with_user(self.technician).write({"resolution": "Belt replaced"})
            self.order.with_user(self.technician).action_finish()
            self._sign(self.order)
            self.order.with_user(self.inspector).action_accept()
            feedback = (
                self.env["service.feedback"]
                .with_user(self.dispatcher)
                .create({"service_order_id": self.order.id, "score": 5, "channel": "phone"})
            )
        self.assertEqual(self.order.state, "closed")
        move = part.move_id
        self.assertEqual(move.state, "done")
        on_hand = self.env["stock.quant"]._get_available_quantity(belt, stock)
        self.assertEqual(on_hand, 3)
        order_name = self.order.name
        moves_before = self.env["stock.move"].search([("product_id", "=", belt.id)])
        expected = self._fingerprints(
            {
                "service.order": self.order,
                "service.feedback": feedback,
                "service.order.part": part,
            }
        )
        request = self._propose_and_approve(self.order_policy, "2029-03-03")
        self.assertEqual(request.line_ids.mapped("res_id"), self.order.ids)
        with freeze_time("2029-03-04"):
            request.with_user(self.archivist_2).action_destroy()
            run_job_to_end(self.env.ref("service_quality.ir_cron_retention_destroy_approved"))
        self.assertEqual(request.line_ids.state, "destroyed")
        for record in (self.order, feedback, part):
            self.assertFalse(record.exists(), record._name)
        rows = self._rows(set(expected))
        self.assertEqual(set(rows), set(expected))
        for key, row in rows.items():
            self.assertEqual(row.fingerprint, expected[key])
        # The stock ledger is not part of the order's file.
        self.assertEqual(
            self.env["stock.move"].search([("product_id", "=", belt.id)]), moves_before
        )
        self.assertEqual(move.state, "done")
        self.assertEqual(move.origin, order_name)
        self.assertEqual(self.env["stock.quant"]._get_available_quantity(belt, stock), 3)

    def test_nothing_destroyed_when_a_dependent_cannot_go(self):
        blocked = self._tool_with_history(self.tool)
        destroyable = self._tool_with_history(self.tool_2)
        # Data left inconsistent (e.g. by an import): the check-out is open again.
        checkout = blocked["equipment.checkout"]
        self.env.cr.execute(
            "UPDATE equipment_checkout SET state = 'out', returned_at = NULL WHERE id = %s",
            [checkout.id],
        )
        checkout.invalidate_recordset()
        request = self._propose_and_approve(self.tool_policy, "2031-04-01")
        self.assertEqual(set(request.line_ids.mapped("res_id")), {self.tool.id, self.tool_2.id})
        with freeze_time("2031-04-02"), self.assertLogs("odoo.addons.service_quality", "WARNING"):
            request.with_user(self.archivist_2).action_destroy()
            run_job_to_end(self.env.ref("service_quality.ir_cron_retention_destroy_approved"))
        line = request.line_ids.filtered(lambda line: line.res_id == self.tool.id)
        self.assertEqual(line.state, "error")
        self.assertIn(checkout.name, line.message)
        self.assertIn("still open", line.message)
        self.assertTrue(self.tool.exists())
        for records in blocked.values():
            self.assertEqual(records.exists(), records, records._name)
        self.assertFalse(
            self.Register.search(
                [
                    "|",
                    "&",
                    ("model", "=", "maintenance.equipment"),
                    ("res_id", "=", self.tool.id),
                    "&",
                    ("model", "=", "equipment.checkout"),
                    ("res_id", "=", checkout.id),
                ]
            )
        )
        # The other tool of the request goes, with its file.
        self.assertFalse(self.tool_2.exists())
        for records in destroyable.values():
            self.assertFalse(records.exists(), records._name)
        self.assertEqual(
            self.Register.search_count([("request_id", "=", request.id)]),
            1 + sum(len(records) for records in destroyable.values()),
        )
        self.assertEqual(
            request.line_ids.filtered(lambda line: line.res_id == self.tool_2.id).state,
            "destroyed",
        )

    def test_destroying_files_costs_no_query_per_file(self):
        tools = self.tool | self.tool_2
        tools |= self._create_tool("Fluke 117 multimeter #3")
        tools |= self._create_tool("Fluke 117 multimeter #4")
        for tool in tools:
            self._tool_with_history(tool)
        request = self._propose_and_approve(self.tool_policy, "2031-04-01")
        self.assertEqual(len(request.line_ids), 4)
        Line = self.env["service.retention.request.line"].sudo()
        counts = []
        with freeze_time("2031-04-02"):
            for batch_size in (1, 1, 2):  # the first one warms the caches
                self.env.flush_all()
                self.env.invalidate_all()
                before = self.env.cr.sql_log_count
                processed = Line._destroy_batch(batch_size, request.ids)
                self.env.flush_all()
                counts.append(self.env.cr.sql_log_count - before)
                self.assertEqual(processed, batch_size)
        self.assertEqual(set(request.line_ids.mapped("state")), {"destroyed"})
        _warm, one, two = counts
        self.assertLessEqual(two, one, "two files cost no more queries than one")
