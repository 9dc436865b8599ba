from freezegun import freeze_time

from odoo.tests import tagged

from .common import EquipmentCareCommon


@tagged("post_install", "-at_install")
class TestEquipmentFile(EquipmentCareCommon):
    @freeze_time("2026-03-02 09:00:00")
    def test_equipment_file_sections(self):
        self.env["equipment.calibration"].create(
            {
                "equipment_id": self.tool.id,
                "date": self.today,
                "performed_by": "Shanghai Metrology Lab",
                "certificate_number": "SML-778",
                "result": "pass",
            }
        )
        checkout = self._checkout(order=self.order)
        checkout.action_check_in(condition="damaged", note="Cracked display")
        fault = self.env["maintenance.request"].search([("equipment_id", "=", self.tool.id)])
        fault.fault_cause = "Dropped from a ladder"
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("equipment_care.action_report_equipment_file", self.tool.ids)[0]
            .decode()
        )
        for expected in (
            "TMM-00001",
            "SML-778",
            "Dropped from a ladder",
            "Tess Technician",
            self.order.name,
        ):
            self.assertIn(expected, html)
        action = self.tool.with_context(discard_logo_check=True).action_print_file()
        self.assertEqual(action["report_name"], "equipment_care.report_equipment_file")
