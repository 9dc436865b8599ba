from odoo.tests import new_test_user, tagged
from odoo.tests.common import TransactionCase


@tagged("post_install", "-at_install")
class TestInstall(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.officer = new_test_user(
            cls.env, "st_officer", groups="service_training.group_training_officer"
        )
        cls.technician = new_test_user(
            cls.env, "st_tech", groups="service_quality.group_service_user"
        )

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
        group = self.env.ref("service_training.group_training_officer")
        self.assertEqual(
            group.category_id.parent_id,
            self.env.ref("service_quality.module_category_service_quality"),
        )
        self.assertIn(self.env.ref("service_quality.group_service_user"), group.trans_implied_ids)

    def test_menus_per_role(self):
        root = "service_training.service_training_menu_root"
        config = "service_training.service_training_menu_config"
        officer_menus = self._visible_menu_xmlids(self.officer)
        self.assertIn(root, officer_menus)
        self.assertIn(config, officer_menus)
        tech_menus = self._visible_menu_xmlids(self.technician)
        self.assertIn(root, tech_menus)
        self.assertNotIn(config, tech_menus)
