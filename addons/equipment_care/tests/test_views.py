from freezegun import freeze_time

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
