from datetime import date

from odoo.tests import tagged

from ..hooks import OWN_MODELS, uninstall_hook
from .common import TrainingCommon


@tagged("post_install", "-at_install")
class TestUninstallHook(TrainingCommon):
    def test_every_model_of_the_module_is_cleared(self):
        own = {
            name
            for name, model in self.env.registry.items()
            if model._original_module == "service_training"
            and not model._abstract
            and not model._transient
            and model._auto
        }
        self.assertEqual(own, set(OWN_MODELS))

    def test_run_time_records_go_shipped_ones_stay(self):
        shipped_type = self.env.ref("service_training.certification_type_refrigerant")
        shipped_course = self.env.ref("service_training.course_induction")
        granted = self._cert(self.tech, shipped_type, date(2025, 6, 1), date(2027, 6, 1))
        session = self._session(course_id=shipped_course.id)
        self.env.flush_all()

        uninstall_hook(self.env)

        self.assertFalse(granted.exists(), "a certificate of a shipped type blocks its deletion")
        self.assertFalse(session.exists(), "a session of a shipped course blocks its deletion")
        self.assertTrue(shipped_type.exists())
        self.assertTrue(shipped_course.exists())
        for model in OWN_MODELS:
            left = self.env[model].with_context(active_test=False).search([])
            xmlids = self.env["ir.model.data"].search(
                [("module", "=", "service_training"), ("model", "=", model)]
            )
            self.assertEqual(set(left.ids), set(xmlids.mapped("res_id")), model)
