from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import EquipmentCareCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02 09:00:00")
class TestToolRoomByCode(EquipmentCareCommon):
    """Tools are found and shown by their code; other equipment stays out of
    the register; the tool form carries the keeper's actions."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # HR equipment as Odoo's demo has it: a category without a code prefix
        cls.laptops = cls.env["maintenance.equipment.category"].create({"name": "Test Laptops"})
        cls.laptop = cls.env["maintenance.equipment"].create(
            {"name": "Acer laptop", "category_id": cls.laptops.id, "serial_no": "AC-77"}
        )

    def test_tools_displayed_and_searched_by_code(self):
        self.assertTrue(self.category.is_tool, "a category with a code prefix is a tool category")
        self.assertEqual(self.tool.tool_code, "TMM-00001")
        self.assertEqual(self.tool.display_name, "TMM-00001 Fluke 117 multimeter")
        Tool = self.env["maintenance.equipment"].with_user(self.technician)
        # the code finds the tool in any picker (name_search) and search
        self.assertEqual(
            [tool_id for tool_id, _name in Tool.name_search("TMM-00002")], self.tool_2.ids
        )
        self.assertEqual(Tool.name_search("tmm-00001")[0], (self.tool.id, self.tool.display_name))
        self.assertIn(self.tool, Tool.search([("display_name", "ilike", "TMM-0000")]))
        # the code search reaches every field pointing at tools, e.g. check-outs
        checkout = self._checkout()
        Checkout = self.env["equipment.checkout"].with_user(self.keeper)
        self.assertEqual(Checkout.search([("equipment_id", "ilike", "TMM-00001")]), checkout)
        self.assertEqual(checkout.equipment_id.display_name, "TMM-00001 Fluke 117 multimeter")

    def test_other_equipment_stays_out_of_the_register(self):
        self.assertFalse(self.laptops.is_tool)
        self.assertFalse(self.laptop.is_tool)
        self.assertEqual(self.laptop.display_name, "Acer laptop/AC-77", "Odoo's own display")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "equipment_care.maintenance_equipment_action_tool"
        )
        self.assertIn("'search_default_filter_tools': 1", action["context"])
        tools_filter = [("is_tool", "=", True)]
        register = self.env["maintenance.equipment"].search(tools_filter)
        self.assertIn(self.tool, register)
        self.assertNotIn(self.laptop, register)
        # the keeper flags a category as tools: its equipment joins the register
        self.laptops.with_user(self.keeper).is_tool = True
        self.assertTrue(self.laptop.is_tool)
        self.assertIn(self.laptop, self.env["maintenance.equipment"].search(tools_filter))
        # categories created in the tool room are tool categories
        category = (
            self.env["maintenance.equipment.category"]
            .with_user(self.keeper)
            .with_context(default_is_tool=True)
            .create({"name": "Torque wrenches"})
        )
        self.assertTrue(category.is_tool)

    def test_open_by_scanned_code(self):
        Tool = self.env["maintenance.equipment"].with_user(self.technician)
        action = Tool.action_open_by_code("TMM-00002")
        self.assertEqual(
            (action["res_model"], action["res_id"]), (self.tool_2._name, self.tool_2.id)
        )
        self.assertEqual(action["views"], [(False, "form")])
        self.assertEqual(Tool.action_open_by_code(" tmm-00001\n")["res_id"], self.tool.id)
        # a serial number printed by the vendor opens the tool too
        self.tool.serial_no = "FL-40221"
        self.assertEqual(Tool.action_open_by_code("FL-40221")["res_id"], self.tool.id)
        unknown = Tool.action_open_by_code("XX-99999")
        self.assertEqual(unknown["tag"], "display_notification")
        self.assertIn("XX-99999", unknown["params"]["message"])
        self.assertFalse(Tool.action_open_by_code(""))

    def test_header_actions(self):
        tool = self.tool.with_user(self.keeper)
        # check out, then check in through the dialog of the open check-out
        with self.assertRaises(UserError):
            tool.action_check_in()
        checkout = self._checkout(user=self.keeper)
        action = tool.action_check_in()
        self.assertEqual(
            (action["res_model"], action["res_id"]), ("equipment.checkout", checkout.id)
        )
        self.assertEqual(action["target"], "new")
        dialog = Form(checkout.with_user(self.keeper), view=action["views"][0][0])
        dialog.return_condition = "ok"
        dialog.return_note = "Leads checked"
        dialog.save()
        checkout.with_user(self.keeper).action_check_in()
        self.assertEqual(checkout.state, "returned")
        self.assertEqual(self.tool.care_status, "available")
        # record a calibration from the tool
        action = tool.action_record_calibration()
        self.assertEqual(action["res_model"], "equipment.calibration")
        with Form(
            self.env["equipment.calibration"].with_user(self.keeper).with_context(action["context"])
        ) as calibration:
            calibration.performed_by = "Shanghai Metrology Lab"
            calibration.certificate_number = "SML-9001"
            calibration.result = "pass"
        self.assertEqual(self.tool.calibration_ids.certificate_number, "SML-9001")
        self.assertEqual(self.tool.last_calibration_date, self.today)
        # report a fault: a corrective request on the tool, which goes to repair
        action = tool.with_user(self.technician).action_report_fault()
        with Form(
            self.env["maintenance.request"]
            .with_user(self.technician)
            .with_context(action["context"])
        ) as fault:
            self.assertEqual(fault.name, "Fault: TMM-00001 Fluke 117 multimeter")
        request = self.env["maintenance.request"].search([("equipment_id", "=", self.tool.id)])
        self.assertEqual(request.maintenance_type, "corrective")
        self.assertEqual(self.tool.care_status, "in_repair")
        # propose the retirement, once
        action = tool.action_propose_retirement()
        with Form(
            self.env["equipment.retirement"].with_user(self.keeper).with_context(action["context"])
        ) as retirement:
            retirement.reason = "damaged"
            retirement.disposal_method = "scrap"
        self.assertEqual(self.tool.retirement_ids.state, "draft")
        with self.assertRaisesRegex(UserError, "TMM-00001 Fluke 117 multimeter"):
            tool.action_propose_retirement()

    def test_header_actions_are_the_keepers(self):
        view = self.env.ref("equipment_care.maintenance_equipment_view_form_tool")
        arch = view.arch
        for button in ("action_record_calibration", "action_propose_retirement"):
            self.assertRegex(
                arch, rf'name="{button}"[^>]*groups="equipment_care.group_equipment_keeper"'
            )
        # and the models refuse them to a technician all the same
        with self.assertRaises(AccessError):
            self.env["equipment.calibration"].with_user(self.technician).create(
                {
                    "equipment_id": self.tool.id,
                    "performed_by": "Me",
                    "certificate_number": "X",
                    "result": "pass",
                }
            )
        with self.assertRaises(AccessError):
            self.env["equipment.retirement"].with_user(self.technician).create(
                {"equipment_id": self.tool.id, "reason": "worn_out", "disposal_method": "scrap"}
            )

    def test_tool_labels(self):
        tools = self.tool | self.tool_2
        action = tools.with_context(discard_logo_check=True).action_print_labels()
        self.assertEqual(action["report_name"], "equipment_care.report_tool_label")
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("equipment_care.report_tool_label", tools.ids)[0]
            .decode()
        )
        for tool in tools:
            self.assertIn(tool.tool_code, html)
            self.assertIn(tool.name, html)
        # per tool: a QR code and a Code 128 barcode of the code, as images
        self.assertEqual(html.count('src="data:image/png;base64,'), 4)
        self.assertIn('alt="Barcode TMM-00001"', html)
        self.assertIn("page-break-inside: avoid", html)


@tagged("post_install", "-at_install")
@freeze_time("2026-03-02 09:00:00")
class TestKeeperLinksCheckoutsToOrders(EquipmentCareCommon):
    def test_keeper_links_any_open_order(self):
        # an open order of another technician, without spare parts
        other = self.env["service.order"].create(
            {"partner_id": self.customer.id, "user_id": self.technician_2.id}
        )
        done = self._move_order_to(
            self.env["service.order"].create(
                {"partner_id": self.customer.id, "user_id": self.technician_2.id}
            ),
            "done",
        )
        Order = self.env["service.order"].with_user(self.keeper)
        visible = Order.search([("id", "in", (other | done | self.order).ids)])
        self.assertEqual(visible, other | self.order, "every open order, no finished one")
        form = Form(self.env["equipment.checkout"].with_user(self.keeper))
        form.equipment_id = self.tool
        form.employee_id = self.emp_tech_2
        form.service_order_id = other
        form.expected_return_at = "2026-03-02 17:00:00"
        checkout = form.save()
        self.assertEqual(checkout.service_order_id, other)
        # the order of a check-out stays readable once finished; never writable
        self.assertTrue(Order.browse(other.id).name)
        with self.assertRaises(AccessError):
            Order.browse(other.id).write({"description": "changed by the keeper"})
        # a technician still sees only his own orders
        self.assertFalse(
            self.env["service.order"].with_user(self.technician).search([("id", "=", other.id)])
        )
