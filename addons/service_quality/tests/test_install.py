from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ServiceQualityCommon


@tagged("post_install", "-at_install")
class TestInstall(ServiceQualityCommon):
    def _visible_menu_xmlids(self, user):
        menus = self.env["ir.ui.menu"].with_user(user).load_menus(debug=False)
        ids = {m["id"] for m in menus.values() if isinstance(m, dict) and m.get("id")}
        data = (
            self.env["ir.model.data"]
            .sudo()
            .search([("model", "=", "ir.ui.menu"), ("res_id", "in", list(ids))])
        )
        return {f"{d.module}.{d.name}" for d in data}

    def test_groups_exist_and_imply(self):
        ref = self.env.ref
        user = ref("service_quality.group_service_user")
        dispatcher = ref("service_quality.group_service_dispatcher")
        manager = ref("service_quality.group_service_manager")
        inspector = ref("service_quality.group_quality_inspector")
        archivist = ref("service_quality.group_archivist")
        category = ref("service_quality.module_category_service_quality")
        for group in (user, dispatcher, manager, inspector, archivist):
            self.assertEqual(group.category_id.parent_id, category)
        self.assertIn(user, dispatcher.trans_implied_ids)
        self.assertIn(dispatcher, manager.trans_implied_ids)
        self.assertIn(inspector, manager.trans_implied_ids)
        self.assertIn(ref("base.group_user"), user.trans_implied_ids)

    def test_menus_per_role(self):
        root = "service_quality.service_quality_menu_root"
        config = "service_quality.service_quality_menu_config"
        orders = "service_quality.service_order_menu"
        tech_menus = self._visible_menu_xmlids(self.technician)
        self.assertIn(root, tech_menus)
        self.assertIn(orders, tech_menus)
        self.assertNotIn(config, tech_menus)
        manager_menus = self._visible_menu_xmlids(self.manager)
        self.assertIn(config, manager_menus)
        employee_menus = self._visible_menu_xmlids(self.employee)
        self.assertNotIn(root, employee_menus)

    def test_main_action_opens_for_technician_not_for_plain_employee(self):
        Order = self.env["service.order"]
        self.assertEqual(Order.with_user(self.technician).search_count([]), 0)
        with self.assertRaises(AccessError):
            Order.with_user(self.employee).search_count([])
