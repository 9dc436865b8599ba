from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools.safe_eval import safe_eval

from .common import EquipmentCareCommon


@tagged("post_install", "-at_install")
class TestViews(EquipmentCareCommon):
    """The web client's calls for every action of the addon, as each role."""

    ACTIONS = {
        "equipment_care.maintenance_equipment_action_tool": ("keeper", "technician"),
        "equipment_care.equipment_checkout_action": ("keeper", "technician"),
        "equipment_care.equipment_checkout_action_overdue": ("keeper",),
        "equipment_care.equipment_calibration_action": ("keeper", "technician"),
        "equipment_care.equipment_care_plan_action": ("keeper",),
        "equipment_care.maintenance_request_action_fault": ("keeper", "technician"),
        "equipment_care.equipment_retirement_action": ("keeper",),
        "equipment_care.service_order_part_action": ("keeper", "technician", "stock_user"),
    }

    @freeze_time("2026-03-02 09:00:00")
    def test_actions_load_per_role(self):
        self._checkout(user=self.technician)
        for xmlid, roles in self.ACTIONS.items():
            action = self.env.ref(xmlid)
            for role in roles:
                user = getattr(self, role)
                with self.subTest(action=xmlid, role=role):
                    model = self.env[action.res_model].with_user(user)
                    views = [(False, mode) for mode in action.view_mode.split(",")]
                    result = model.get_views(views, {"load_filters": True})
                    self.assertIn("views", result)
                    list_fields = result["views"]["list"]["arch"]
                    self.assertTrue(list_fields)
                    domain = safe_eval(
                        action.domain or "[]", {"uid": user.id}
                    )  # our own action domains
                    fields_spec = {
                        name: {} for name in model._fields if not model._fields[name].relational
                    }
                    model.web_search_read(domain, fields_spec, limit=20)

    def test_part_shortage_filter_as_warehouse(self):
        product = self.env["product.product"].create(
            {"name": "Door gasket", "type": "consu", "is_storable": True}
        )
        part = self.env["service.order.part"].create(
            {"service_order_id": self.order.id, "product_id": product.id, "quantity": 2}
        )
        Part = self.env["service.order.part"].with_user(self.stock_user)
        result = Part.web_search_read(
            [("shortage", "=", True)],
            {
                "product_id": {"fields": {"display_name": {}}},
                "available_qty": {},
                "shortage": {},
                "service_order_id": {"fields": {"display_name": {}}},
            },
        )
        records = {r["id"]: r for r in result["records"]}
        self.assertIn(part.id, records)
        self.assertEqual(records[part.id]["service_order_id"]["display_name"], self.order.name)
        self.assertNotIn(
            part.id,
            [r["id"] for r in Part.web_search_read([("shortage", "=", False)], {})["records"]],
        )

    def test_warehouse_reads_orders_with_parts_only(self):
        """Warehouse staff see which order a part is for and when, read-only;
        orders without parts demand stay hidden from them."""
        self.order.with_user(self.dispatcher).write(
            {
                "appointment_start": datetime(2030, 3, 4, 9, 0),
                "appointment_end": datetime(2030, 3, 4, 11, 0),
            }
        )
        product = self.env["product.product"].create({"name": "Door gasket", "type": "consu"})
        part = self.env["service.order.part"].create(
            {"service_order_id": self.order.id, "product_id": product.id, "quantity": 1}
        )
        other = self.env["service.order"].create({"partner_id": self.customer.id})
        # the parts demand list, as the warehouse opens it
        [record] = (
            self.env["service.order.part"]
            .with_user(self.stock_user)
            .web_search_read(
                [("id", "=", part.id)],
                {
                    "appointment_start": {},
                    "service_order_id": {"fields": {"display_name": {}}},
                    "technician_id": {"fields": {"display_name": {}}},
                },
            )["records"]
        )
        self.assertEqual(record["service_order_id"]["display_name"], self.order.name)
        self.assertEqual(record["appointment_start"], datetime(2030, 3, 4, 9, 0))
        order = self.order.with_user(self.stock_user)
        [values] = order.read(["appointment_start"])
        self.assertEqual(values["appointment_start"], datetime(2030, 3, 4, 9, 0))
        Order = self.env["service.order"].with_user(self.stock_user)
        self.assertEqual(Order.search([("id", "in", (self.order | other).ids)]), self.order)
        with self.assertRaises(AccessError):
            other.with_user(self.stock_user).read(["name"])
        with self.assertRaises(AccessError):
            order.write({"diagnosis": "Seen by the warehouse"})
        with self.assertRaises(AccessError):
            Order.create({"partner_id": self.customer.id})
        self.assertFalse(self.order.diagnosis)

    @freeze_time("2026-03-02 09:00:00")
    def test_smart_buttons_open_the_records_of_the_tool(self):
        checkout = self._checkout()
        calibration = self.env["equipment.calibration"].create(
            {
                "equipment_id": self.tool.id,
                "date": self.today,
                "performed_by": "Shanghai Metrology Lab",
                "certificate_number": "SB-1",
                "result": "pass",
            }
        )
        Request = self.env["maintenance.request"]
        fault = Request.create(
            {
                "name": "Display flickers",
                "equipment_id": self.tool.id,
                "maintenance_type": "corrective",
            }
        )
        Request.create(
            {"name": "Check", "equipment_id": self.tool.id, "maintenance_type": "preventive"}
        )
        self._checkout(tool=self.tool_2, employee=self.emp_tech_2)  # another tool's record
        tool = self.tool.with_user(self.keeper)
        expected = {
            "action_view_checkouts": ("equipment.checkout", checkout, {}),
            "action_view_calibrations": ("equipment.calibration", calibration, {}),
            "action_view_faults": (
                "maintenance.request",
                fault,
                {"default_maintenance_type": "corrective"},
            ),
        }
        for method, (model, records, defaults) in expected.items():
            action = getattr(tool, method)()
            self.assertEqual(action["res_model"], model, method)
            self.assertEqual(self.env[model].search(action["domain"]), records, method)
            self.assertEqual(
                action["context"], {"default_equipment_id": self.tool.id, **defaults}, method
            )
