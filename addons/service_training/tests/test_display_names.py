"""Records read by their names everywhere (breadcrumbs, chatter, pickers),
never as "training.plan.line,3"."""

from datetime import datetime

from odoo.tests import tagged

from .common import TrainingCommon


@tagged("post_install", "-at_install")
class TestDisplayNames(TrainingCommon):
    def test_plan_line_reads_plan_and_course(self):
        plan = self.env["training.plan"].create({"name": "2030 Plan", "year": 2030})
        line = self.env["training.plan.line"].create(
            {
                "plan_id": plan.id,
                "course_id": self.course.id,
                "date_start": datetime(2030, 5, 6, 1, 0),
                "date_end": datetime(2030, 5, 8, 9, 0),
            }
        )
        self.assertEqual(line.display_name, f"2030 Plan: {self.course.name}")
        self.assertNotIn("training.plan.line", line.display_name)
        zh = line.with_context(lang="zh_CN")
        self.assertTrue(zh.display_name.startswith("2030 Plan: "))

    def test_every_model_has_a_readable_display_name(self):
        """No model of the suite falls back on "model,id" for its records."""
        addons = ("service_quality", "service_training", "equipment_care")
        models = (
            self.env["ir.model"]
            .search([("transient", "=", False)])
            .filtered(
                lambda m: set(m.modules.split(", ")) & set(addons)
                and not m.model.startswith("report.")
            )
        )
        self.assertTrue(models)
        for model in models:
            Model = self.env[model.model]
            if Model._abstract or not Model._auto:
                continue
            record = Model.sudo().with_context(active_test=False).search([], limit=1)
            if not record:
                continue
            self.assertNotEqual(
                record.display_name, f"{model.model},{record.id}", f"{model.model} has no name"
            )


@tagged("post_install", "-at_install")
class TestTechnicianHint(TrainingCommon):
    def test_empty_picker_names_the_missing_certificates(self):
        rare = self.env["training.certification.type"].create(
            {"name": "Curtain wall (test)", "code": "T-CW", "validity_months": 12}
        )
        self.category.required_certification_type_ids = rare | self.type_refrigerant
        order = self._service_order()
        self.assertFalse(order.allowed_technician_ids)
        self.assertIn("Curtain wall (test)", order.technician_hint)
        self.assertIn("Refrigerant (test)", order.technician_hint)
        self.assertIn(self.category.name, order.technician_hint)
        # a category without requirements: anybody, no hint
        order.category_id = self.env["service.category"].create({"name": "Cleaning (test)"})
        self.assertTrue(order.allowed_technician_ids)
        self.assertFalse(order.technician_hint)
