from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged
from odoo.tests.common import TransactionCase

from odoo.addons.service_quality.tests.retention_common import run_job_to_end


@tagged("post_install", "-at_install")
class TestRetentionEquipment(TransactionCase):
    """Default policy: equipment files are kept 5 years after retirement."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy = cls.env.ref("equipment_care.retention_policy_equipment")
        cls.env["service.retention.policy"].search([("id", "!=", cls.policy.id)]).action_archive()
        cls.archivist = new_test_user(
            cls.env, "ec_archivist", groups="service_quality.group_archivist", name="Ari Archivist"
        )
        cls.archivist_2 = new_test_user(
            cls.env, "ec_archivist2", groups="service_quality.group_archivist", name="Bo Archivist"
        )
        cls.scrapped = cls.env["maintenance.equipment"].create(
            {"name": "Insulation tester MIT-400", "scrap_date": "2020-04-15"}
        )
        cls.in_use = cls.env["maintenance.equipment"].create({"name": "Clamp meter 376 FC"})

    def test_kept_five_years_after_scrapping_then_destroyed(self):
        with freeze_time("2025-04-14"):
            self.policy.with_user(self.archivist).action_run()
            run_job_to_end(self.env.ref("service_quality.ir_cron_retention_apply_policies"))
        self.assertFalse(self.policy.request_ids)
        with freeze_time("2025-04-15"):
            self.policy.with_user(self.archivist).action_run()
            run_job_to_end(self.env.ref("service_quality.ir_cron_retention_apply_policies"))
        request = self.policy.request_ids
        self.assertEqual(request.line_ids.mapped("res_id"), self.scrapped.ids)
        with self.assertRaisesRegex(UserError, "another archivist"):
            request.with_user(self.archivist).action_approve()
        request.with_user(self.archivist_2).action_approve()
        request.with_user(self.archivist_2).action_destroy()
        run_job_to_end(self.env.ref("service_quality.ir_cron_retention_destroy_approved"))
        self.assertFalse(self.scrapped.exists())
        self.assertTrue(self.in_use.exists())
        self.assertEqual(
            self.env["service.retention.register"].search_count(
                [("model", "=", "maintenance.equipment"), ("res_id", "=", self.scrapped.id)]
            ),
            1,
        )

    def test_archived_equipment_is_read_only(self):
        keeper = new_test_user(
            self.env,
            "ec_keeper",
            groups="maintenance.group_equipment_manager,base.group_user",
            name="Kai Keeper",
        )
        self.in_use.action_archive()
        with self.assertRaisesRegex(UserError, "only an archivist"):
            self.in_use.with_user(keeper).write({"name": "Renamed"})
        self.assertEqual(self.in_use.name, "Clamp meter 376 FC")
