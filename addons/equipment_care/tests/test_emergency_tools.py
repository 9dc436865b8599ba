from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import EquipmentCareCommon


@tagged("post_install", "-at_install")
class TestEmergencyPlanTools(EquipmentCareCommon):
    """The tools an emergency plan holds come from the tool register; a tool
    that cannot be taken out puts the plan short."""

    def _plan(self, tools):
        form = Form(self.env["service.emergency.plan"].with_user(self.dispatcher))
        form.name = "Curtain-wall glass breakage"
        form.risk = "Falling glass on the pavement"
        form.date_start = date(2026, 1, 5)
        for tool in tools:
            form.tool_ids.add(tool)
        return form.save()

    def test_tool_in_repair_or_retired_puts_the_plan_short(self):
        plan = self._plan(self.tool | self.tool_2)
        Plan = self.env["service.emergency.plan"]
        self.assertEqual(plan.tool_ids, self.tool | self.tool_2)
        self.assertFalse(plan.resource_short)
        self.assertNotIn(plan, Plan.search([("resource_short", "=", True)]))
        self.assertIn(plan, Plan.search([("resource_short", "=", False)]))
        self.tool._set_care_status("in_repair")
        plan.invalidate_recordset()
        self.assertTrue(plan.resource_short)
        self.assertNotIn(self.tool_2.display_name, plan.resource_shortage)
        self.assertIn(self.tool.display_name, plan.resource_shortage)
        self.assertIn("In Repair", plan.resource_shortage)
        self.assertIn(plan, Plan.search([("resource_short", "=", True)]))
        self.assertNotIn(plan, Plan.search([("resource_short", "=", False)]))
        # a checked-out tool is still at hand
        self.tool._set_care_status("checked_out")
        plan.invalidate_recordset()
        self.assertFalse(plan.resource_short)
        # retired tools are archived: the plan keeps them and says so
        self.tool_2.sudo().with_context(care_status_internal=True).write(
            {"care_status": "retired", "active": False}
        )
        plan.invalidate_recordset()
        self.assertTrue(plan.resource_short)
        self.assertIn(self.tool_2, plan.sudo().with_context(active_test=False).tool_ids)
        self.assertIn(self.tool_2.display_name, plan.resource_shortage)
        self.assertIn(plan, Plan.search([("resource_short", "=", True)]))

    def test_tools_of_an_approved_plan_are_locked(self):
        plan = self._plan(self.tool)
        plan._workflow_write({"state": "approved"})
        self.assertIn("tool_ids", plan._workflow_locked_fields())
        with self.assertRaisesRegex(UserError, "Tools are part of its record"):
            plan.with_user(self.dispatcher).write({"tool_ids": [Command.link(self.tool_2.id)]})
        self.assertEqual(plan.tool_ids, self.tool)

    def test_technician_reads_the_tools_dispatcher_sets_them(self):
        plan = self._plan(self.tool)
        self.assertEqual(plan.with_user(self.technician).tool_ids, self.tool)
        with self.assertRaises(AccessError):
            plan.with_user(self.technician).write({"tool_ids": [Command.link(self.tool_2.id)]})
        plan.with_user(self.dispatcher).write({"tool_ids": [Command.link(self.tool_2.id)]})
        self.assertEqual(plan.tool_ids, self.tool | self.tool_2)
