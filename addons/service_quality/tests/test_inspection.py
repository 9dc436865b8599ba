from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .quality_common import QualityCommon


@tagged("post_install", "-at_install")
class TestInspection(QualityCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.template = cls.env["service.inspection.template"].create(
            {
                "name": "Monthly team inspection",
                "frequency": "monthly",
                "next_date": date(2026, 3, 1),
                "inspector_id": cls.inspector.id,
                "subject_type": "team",
                "team_id": cls.team.id,
                "line_ids": [
                    Command.create({"name": "Uniform and ID badge", "sequence": 1}),
                    Command.create({"name": "Floor protected before work", "sequence": 2}),
                    Command.create({"name": "Site cleaned after work", "sequence": 3}),
                ],
            }
        )
        cls.quarterly = cls.env["service.inspection.template"].create(
            {
                "name": "Quarterly technician audit",
                "frequency": "quarterly",
                "next_date": date(2026, 1, 15),
                "inspector_id": cls.inspector.id,
                "subject_type": "employee",
                "employee_id": cls.responsible.id,
                "line_ids": [Command.create({"name": "Tools calibrated"})],
            }
        )

    def _order_inspection(self, user=None):
        form = Form(self.env["service.inspection"].with_user(user or self.inspector))
        form.subject_type = "order"
        form.service_order_id = self.order
        with form.line_ids.new() as line:
            line.name = "Leak test done"
        with form.line_ids.new() as line:
            line.name = "Customer shown the repair"
        with form.line_ids.new() as line:
            line.name = "Old parts returned"
        return form.save()

    def test_generation_from_templates(self):
        cron = self.env.ref("service_quality.ir_cron_inspection_generation")
        Inspection = self.env["service.inspection"]
        with freeze_time("2026-03-05 07:00:00"):
            cron.method_direct_trigger()
            cron.method_direct_trigger()
        monthly = Inspection.search([("template_id", "=", self.template.id)])
        self.assertEqual(len(monthly), 1, "run twice, generated once")
        self.assertEqual(monthly.scheduled_date, date(2026, 3, 1))
        self.assertEqual(monthly.kind, "scheduled")
        self.assertEqual(monthly.owner_id, self.manager, "team leader answers for the team")
        self.assertEqual(monthly.line_ids.mapped("name"), self.template.line_ids.mapped("name"))
        self.assertEqual(self.template.next_date, date(2026, 4, 1))
        quarterly = Inspection.search([("template_id", "=", self.quarterly.id)])
        self.assertEqual(quarterly.scheduled_date, date(2026, 1, 15))
        self.assertEqual(self.quarterly.next_date, date(2026, 4, 15), "moved past today")
        with freeze_time("2026-04-02 07:00:00"):
            cron.method_direct_trigger()
        self.assertEqual(Inspection.search_count([("template_id", "=", self.template.id)]), 2)
        self.assertEqual(Inspection.search_count([("template_id", "=", self.quarterly.id)]), 1)

    def test_close_needs_every_line_answered_and_failures_create_actions(self):
        inspection = self._order_inspection()
        self.assertTrue(inspection.name.startswith("INS"))
        self.assertEqual(inspection.owner_id, self.technician)
        inspection.action_start()
        first, second, third = inspection.line_ids
        first.result = "pass"
        second.result = "fail"
        second.note = "Customer not shown the result"
        with self.assertRaises(UserError) as caught:
            inspection.action_done()
        self.assertIn(inspection.name, str(caught.exception))
        self.assertIn("Old parts returned", str(caught.exception))
        self.assertNotIn("Leak test done", str(caught.exception))
        self.assertEqual(inspection.state, "in_progress")
        self.assertFalse(inspection.corrective_action_ids)
        third.result = "na"
        with freeze_time("2026-03-10 10:00:00"):
            inspection.action_done()
        self.assertEqual(inspection.state, "done")
        self.assertAlmostEqual(inspection.pass_rate, 50.0)
        action = inspection.corrective_action_ids
        self.assertEqual(len(action), 1)
        self.assertEqual(action.inspection_line_id, second)
        self.assertEqual(action.owner_id, self.technician)
        self.assertEqual(action.deadline, date(2026, 3, 24))

    def test_start_needs_lines_and_subject(self):
        with self.assertRaises(ValidationError):
            self.env["service.inspection"].create({"subject_type": "team"})
        inspection = self.env["service.inspection"].create(
            {"subject_type": "team", "team_id": self.team.id}
        )
        with self.assertRaisesRegex(UserError, "has no checklist item"):
            inspection.action_start()

    def test_access_per_role(self):
        mine = self._order_inspection()
        other = self.env["service.inspection"].create(
            {
                "subject_type": "order",
                "service_order_id": self.order_2.id,
                "line_ids": [Command.create({"name": "x"})],
            }
        )
        Inspection = self.env["service.inspection"].with_user(self.technician)
        self.assertEqual(Inspection.search([("id", "in", (mine | other).ids)]), mine)
        self.assertEqual(len(mine.with_user(self.technician).line_ids), 3)
        with self.assertRaises(AccessError):
            other.with_user(self.technician).read(["name"])
        with self.assertRaises(AccessError):
            mine.with_user(self.technician).write({"note": "<p>fine</p>"})
        with self.assertRaises(AccessError):
            self._order_inspection(user=self.technician)
        with self.assertRaises(AccessError):
            self.env["service.inspection.template"].with_user(self.technician).search([])
        # The inspector manages them.
        other.with_user(self.inspector).action_start()
        self.assertEqual(other.state, "in_progress")
