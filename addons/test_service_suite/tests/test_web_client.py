"""Browser smoke test: every app's main menu opens without a JavaScript error,
which proves the assets compile with our views."""

from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestWebClient(HttpCase):
    def _open_menu(self, xmlid):
        menu = self.env.ref(xmlid)
        self.browser_js(
            f"/odoo?menu_id={menu.id}",
            "console.log('test successful')",
            "!!(odoo.isReady && document.querySelector('.o_action_manager .o_view_controller'))",
            login="admin",
            timeout=120,
        )

    def test_service_app_opens(self):
        self._open_menu("service_quality.service_quality_menu_root")

    def test_training_app_opens(self):
        self._open_menu("service_training.service_training_menu_root")

    def test_tool_room_app_opens(self):
        self._open_menu("equipment_care.equipment_care_menu_root")
