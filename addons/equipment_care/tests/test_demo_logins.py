"""Demo login of the tool room."""

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestEquipmentDemoLogin(HttpCase):
    def test_equipment_keeper_logs_in(self):
        keeper = self.env.ref("equipment_care.user_deng_demo")
        self.assertTrue(keeper.has_group("equipment_care.group_equipment_keeper"))
        self.authenticate(keeper.login, "demo")
        self.assertEqual(self.session.uid, keeper.id)
        orders = self.env.ref("equipment_care.service_order_fridge_demo") | self.env.ref(
            "equipment_care.service_order_washer_demo"
        )
        self.assertNotIn(self.env.ref("base.user_admin"), orders.user_id)
