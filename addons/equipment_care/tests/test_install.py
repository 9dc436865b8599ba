from odoo.tests import new_test_user, tagged
from odoo.tests.common import TransactionCase


@tagged("post_install", "-at_install")
class TestInstall(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.keeper = new_test_user(
            cls.env, "ec_keeper", groups="equipment_care.group_equipment_keeper"
        )
        cls.technician = new_test_user(
            cls.env, "ec_tech", groups="service_quality.group_service_user"
        )
        cls.employee = new_test_user(cls.env, "ec_employee", groups="base.group_user")

    def _visible_menu_xmlids(self, user):
        menus = self.env["ir.ui.menu"].with_user(user).load_menus(debug=False)
        ids = [m["id"] for m in menus.values() if isinstance(m, dict) and m.get("id")]
        data = (
            self.env["ir.model.data"]
            .sudo()
            .search([("model", "=", "ir.ui.menu"), ("res_id", "in", ids)])
        )
        return {f"{d.module}.{d.name}" for d in data}

    def test_group(self):
        group = self.env.ref("equipment_care.group_equipment_keeper")
        self.assertEqual(
            group.category_id.parent_id,
            self.env.ref("service_quality.module_category_service_quality"),
        )
        self.assertIn(self.env.ref("maintenance.group_equipment_manager"), group.trans_implied_ids)

    def test_menus_per_role(self):
        root = "equipment_care.equipment_care_menu_root"
        self.assertIn(root, self._visible_menu_xmlids(self.keeper))
        self.assertIn(root, self._visible_menu_xmlids(self.technician))
        self.assertNotIn(root, self._visible_menu_xmlids(self.employee))
