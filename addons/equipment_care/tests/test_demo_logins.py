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

    def test_equipment_file_prints_in_the_readers_language(self):
        keeper = self.env.ref("equipment_care.user_deng_demo")
        tool = self.env.ref("equipment_care.equipment_multimeter_demo")
        self.env.company.partner_id.lang = "en_US"
        report = self.env["ir.actions.report"].with_user(keeper)
        for lang, title in (("zh_CN", "设备档案"), ("en_US", "Equipment File:")):
            keeper.lang = lang
            html = report._render_qweb_html(
                "equipment_care.action_report_equipment_file", tool.ids
            )[0].decode()
            self.assertIn(title, html, lang)
