from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged
from odoo.tests.common import TransactionCase


@tagged("post_install", "-at_install")
class TestRetentionTraining(TransactionCase):
    """Default policy: training records are kept for the employment plus 3 years."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policy = cls.env.ref("service_training.retention_policy_training_certification")
        cls.env["service.retention.policy"].search([("id", "!=", cls.policy.id)]).action_archive()
        cls.archivist = new_test_user(
            cls.env, "st_archivist", groups="service_quality.group_archivist", name="Ari Archivist"
        )
        cls.archivist_2 = new_test_user(
            cls.env, "st_archivist2", groups="service_quality.group_archivist", name="Bo Archivist"
        )
        cls.cert_type = cls.env["training.certification.type"].create(
            {"name": "Refrigerant handling", "code": "F-GAS"}
        )
        cls.leaver = cls.env["hr.employee"].create(
            {"name": "Liu Yang", "departure_date": "2022-08-31"}
        )
        cls.stayer = cls.env["hr.employee"].create({"name": "Wang Fang"})
        cls.certs = cls.env["training.certification"].create(
            [
                {"employee_id": cls.leaver.id, "type_id": cls.cert_type.id, "number": "FG-001"},
                {"employee_id": cls.stayer.id, "type_id": cls.cert_type.id, "number": "FG-002"},
            ]
        )
        cls.leaver.action_archive()

    def test_default_policy_is_valid(self):
        self.assertEqual(self.policy.model_name, "training.certification")
        self.assertEqual(self.policy.years, 3)
        self.assertEqual(self.policy.action, "destroy")

    def test_kept_until_three_years_after_departure_then_destroyed(self):
        with freeze_time("2025-08-30"):
            self.policy.with_user(self.archivist).action_run()
        self.assertFalse(self.policy.request_ids)
        with freeze_time("2025-08-31"):
            self.policy.with_user(self.archivist).action_run()
        request = self.policy.request_ids
        self.assertEqual(request.line_ids.mapped("res_id"), self.certs[0].ids)
        request.with_user(self.archivist_2).action_approve()
        with freeze_time("2025-09-01"):
            request.with_user(self.archivist_2).action_destroy()
        self.assertFalse(self.certs[0].exists())
        self.assertTrue(self.certs[1].exists(), "Still employed: kept")
        row = self.env["service.retention.register"].search(
            [("model", "=", "training.certification"), ("res_id", "=", self.certs[0].id)]
        )
        self.assertEqual(row.display_name, "FG-001")
        self.assertEqual(len(row.fingerprint), 64)

    def test_archived_certification_is_read_only(self):
        officer = new_test_user(
            self.env,
            "st_officer",
            groups="service_training.group_training_officer,hr.group_hr_user",
            name="Olga Officer",
        )
        self.certs[1].action_archive()
        with self.assertRaisesRegex(UserError, "only an archivist"):
            self.certs[1].with_user(officer).write({"number": "FG-999"})
        self.assertEqual(self.certs[1].number, "FG-002")
