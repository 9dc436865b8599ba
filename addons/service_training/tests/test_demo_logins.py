"""Demo logins of the training roles, and demo technicians whose employees
hold the certificates the demo categories require."""

from odoo import fields
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestTrainingDemoLogins(HttpCase):
    def test_training_officer_logs_in(self):
        officer = self.env.ref("service_training.user_wu_demo")
        self.assertTrue(officer.has_group("service_training.group_training_officer"))
        self.authenticate(officer.login, "demo")
        self.assertEqual(self.session.uid, officer.id)

    def test_demo_technicians_are_certified_employees(self):
        category = self.env.ref("service_training.service_category_air_conditioner_demo")
        required = category.required_certification_type_ids
        self.assertTrue(required)
        zhang = self.env.ref("service_training.user_zhang_wei_demo")
        liu = self.env.ref("service_quality.user_liu_demo")
        self.assertEqual(
            zhang.employee_ids, self.env.ref("service_training.employee_zhang_wei_demo")
        )
        self.assertEqual(liu.employee_ids, self.env.ref("service_training.employee_liu_yang_demo"))
        self.authenticate(zhang.login, "demo")
        self.assertEqual(self.session.uid, zhang.id)
        # the certified-to-work rule at work: Zhang Wei qualifies, Liu Yang does not
        missing = self.env["training.certification"]._get_missing_certifications(
            (zhang | liu).ids, required.ids, fields.Date.today()
        )
        self.assertFalse(missing[zhang.id])
        self.assertTrue(missing[liu.id])
        order = self.env["service.order"].new(
            {"category_id": category.id, "company_id": self.env.company.id}
        )
        self.assertIn(zhang, order.allowed_technician_ids._origin)
        self.assertNotIn(liu, order.allowed_technician_ids._origin)


@tagged("post_install", "-at_install")
class TestTrainingFileLanguage(HttpCase):
    def test_training_file_prints_in_the_readers_language(self):
        employee = self.env.ref("service_training.employee_zhang_wei_demo")
        employee.work_contact_id.lang = "en_US"
        reader = self.env.ref("service_training.user_wu_demo")
        report = self.env["ir.actions.report"].with_user(reader)
        for lang, title in (("zh_CN", "培训档案"), ("en_US", "Training File:")):
            reader.lang = lang
            html = report._render_qweb_html(
                "service_training.action_report_training_file", employee.ids
            )[0].decode()
            self.assertIn(title, html, lang)
