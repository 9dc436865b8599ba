from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged
from odoo.tests.common import TransactionCase

from odoo.addons.service_quality.models.service_retention_mixin import retention_fingerprints
from odoo.addons.service_quality.tests.retention_common import run_job_to_end


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
            run_job_to_end(self.env.ref("service_quality.ir_cron_retention_apply_policies"))
        self.assertFalse(self.policy.request_ids)
        with freeze_time("2025-08-31"):
            self.policy.with_user(self.archivist).action_run()
            run_job_to_end(self.env.ref("service_quality.ir_cron_retention_apply_policies"))
        request = self.policy.request_ids
        self.assertEqual(request.line_ids.mapped("res_id"), self.certs[0].ids)
        request.with_user(self.archivist_2).action_approve()
        with freeze_time("2025-09-01"):
            request.with_user(self.archivist_2).action_destroy()
            run_job_to_end(self.env.ref("service_quality.ir_cron_retention_destroy_approved"))
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
            self.certs[1].with_user(officer).write({"active": True})
        self.assertFalse(self.certs[1].active)


@tagged("post_install", "-at_install")
class TestRetentionTrainingFile(TransactionCase):
    """Shipped policies for attendances (with their effectiveness reviews)
    and periodic assessments: employment plus 3 years, then destroyed with
    approval, a register row per record."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.policies = cls.env.ref(
            "service_training.retention_policy_training_attendance"
        ) | cls.env.ref("service_training.retention_policy_training_assessment")
        cls.env["service.retention.policy"].search(
            [("id", "not in", cls.policies.ids)]
        ).action_archive()
        cls.archivist = new_test_user(
            cls.env, "st_archivist", groups="service_quality.group_archivist", name="Ari Archivist"
        )
        cls.archivist_2 = new_test_user(
            cls.env, "st_archivist2", groups="service_quality.group_archivist", name="Bo Archivist"
        )
        cls.leaver = cls.env["hr.employee"].create(
            {"name": "Liu Yang", "departure_date": "2022-08-31"}
        )
        cls.stayer = cls.env["hr.employee"].create({"name": "Wang Fang"})
        course = cls.env["training.course"].create({"name": "Drum bearing replacement"})
        session = cls.env["training.session"].create(
            {
                "course_id": course.id,
                "date_start": "2022-03-01 01:00:00",
                "date_end": "2022-03-02 09:00:00",
            }
        )
        Attendance = cls.env["training.attendance"]
        cls.attendances = Attendance.create(
            [
                {"session_id": session.id, "employee_id": cls.leaver.id, "theory_score": 55},
                {"session_id": session.id, "employee_id": cls.stayer.id, "theory_score": 80},
            ]
        )
        cls.reviews = cls.env["training.evaluation"].create(
            [
                {"attendance_id": attendance.id, "milestone": milestone, "review_date": day}
                for attendance in cls.attendances
                for milestone, day in (("end", "2022-03-02"), ("3m", "2022-06-02"))
            ]
        )
        cls.assessments = cls.env["training.assessment"].create(
            [
                {
                    "employee_id": employee.id,
                    "period": "quarterly",
                    "date_from": "2022-01-01",
                    "date_to": "2022-03-31",
                    "technical_score": 70,
                }
                for employee in (cls.leaver, cls.stayer)
            ]
        )
        cls.leaver.action_archive()

    def test_kept_three_years_after_departure_then_destroyed_with_the_reviews(self):
        leaver_attendance, stayer_attendance = self.attendances
        leaver_reviews = self.reviews.filtered(lambda r: r.attendance_id == leaver_attendance)
        fingerprints = {
            **retention_fingerprints(leaver_attendance),
            **retention_fingerprints(leaver_reviews),
        }
        with freeze_time("2025-08-30"):
            self.policies.with_user(self.archivist).action_run()
            run_job_to_end(self.env.ref("service_quality.ir_cron_retention_apply_policies"))
        self.assertFalse(self.policies.request_ids, "nothing before the period ends")
        with freeze_time("2025-08-31"):
            self.policies.with_user(self.archivist).action_run()
            run_job_to_end(self.env.ref("service_quality.ir_cron_retention_apply_policies"))
        requests = self.policies.request_ids
        self.assertEqual(
            sorted(requests.line_ids.mapped(lambda line: (line.res_model, line.res_id))),
            sorted(
                [
                    ("training.assessment", self.assessments[0].id),
                    ("training.attendance", leaver_attendance.id),
                ]
            ),
        )
        requests.with_user(self.archivist_2).action_approve()
        with freeze_time("2025-09-01"):
            requests.with_user(self.archivist_2).action_destroy()
            run_job_to_end(self.env.ref("service_quality.ir_cron_retention_destroy_approved"))
        self.assertFalse(leaver_attendance.exists())
        self.assertFalse(leaver_reviews.exists())
        self.assertFalse(self.assessments[0].exists())
        self.assertEqual(self.reviews.exists(), self.reviews - leaver_reviews)
        self.assertTrue(stayer_attendance.exists() and self.assessments[1].exists())
        rows = self.env["service.retention.register"].search([("request_id", "in", requests.ids)])
        self.assertEqual(len(rows), 4, "attendance, its two reviews, assessment")
        for row in rows.filtered(lambda r: r.model != "training.assessment"):
            self.assertEqual(row.fingerprint, fingerprints[row.res_id])
        self.assertEqual(
            sorted(rows.mapped("model")),
            [
                "training.assessment",
                "training.attendance",
                "training.evaluation",
                "training.evaluation",
            ],
        )
