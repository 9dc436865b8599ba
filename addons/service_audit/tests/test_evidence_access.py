from datetime import date

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from odoo.addons.service_quality.tests.common import create_role_users

from .common import ServiceAuditCommon


@tagged("post_install", "-at_install")
class TestEvidenceAccess(ServiceAuditCommon):
    """The evidence pack counts and samples records with the rights of the
    person printing it: a manager with the rights gets the complete
    evidence, a reader without them a clear message, never the records."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        create_role_users(
            cls,
            {
                "hr_manager": (
                    "sa_hr_manager",
                    "service_quality.group_service_manager,hr.group_hr_user",
                    "Hana Manager",
                ),
            },
        )
        cls.orders = cls._orders(3, date(2022, 1, 15))
        cls.orders_team_2 = cls._orders(2, date(2022, 1, 16), team=cls.team_2)
        cls.employee_private = cls.env["hr.employee"].create(
            {"name": "Pei Private", "private_email": "pei.private@example.com"}
        )
        cls.standard = cls.env["service.standard"].create(
            {"name": "Privacy Audit", "code": "PA-1", "company_id": cls.company.id}
        )
        cls.clause = cls.env["service.standard.clause"].create(
            {"standard_id": cls.standard.id, "code": "PA-1.1", "name": "Records kept"}
        )
        # defined as the system (data files): the author's rights are not checked
        Evidence = cls.env["service.standard.evidence"]
        cls.evidence_orders = Evidence.create(
            {
                "clause_id": cls.clause.id,
                "name": "Orders received",
                "model_name": "service.order",
                "date_field": "received_at",
            }
        )
        cls.evidence_private = Evidence.create(
            {
                "clause_id": cls.clause.id,
                "name": "Employees with a private email",
                "model_name": "hr.employee",
                "domain": "[('private_email', '=like', 'pei.%')]",
            }
        )
        cls.evidence_settings = Evidence.create(
            {
                "clause_id": cls.clause.id,
                "name": "System parameters",
                "model_name": "ir.config_parameter",
            }
        )

    def _wizard(self, user, **vals):
        values = {
            "standard_id": self.standard.id,
            "date_from": date(2022, 1, 1),
            "date_to": date(2022, 1, 31),
            "lang": "en_US",
        }
        values.update(vals)
        return self.env["service.evidence.pack.wizard"].with_user(user).create(values)

    def _figures(self, user):
        wizard = self._wizard(user)
        return {figure["evidence"]: figure for figure in wizard._get_pack()[0]["figures"]}

    def _render(self, user):
        wizard = self._wizard(user)
        return (
            self.env["ir.actions.report"]
            .with_user(user)
            ._render_qweb_html("service_audit.report_evidence_pack", wizard.ids)[0]
            .decode()
        )

    def test_reader_without_rights_gets_a_message_not_the_records(self):
        figures = self._figures(self.inspector)
        for evidence in (self.evidence_private, self.evidence_settings):
            self.assertIsNone(figures[evidence]["count"], evidence.name)
            self.assertFalse(figures[evidence]["samples"], evidence.name)
            self.assertIn("Quinn Inspector may not read these", figures[evidence]["denied"])
        self.assertEqual(figures[self.evidence_orders]["count"], 5)
        self.assertFalse(figures[self.evidence_orders]["denied"])
        html = self._render(self.inspector)
        self.assertIn("may not read these Employee records", html)
        self.assertIn("may not read these System Parameter records", html)
        self.assertNotIn("Pei Private", html)
        self.assertNotIn("web.base.url", html)
        self.assertIn(self.orders[-1].name, html, "what the inspector may read is printed")

    def test_manager_with_the_rights_gets_the_complete_evidence(self):
        figures = self._figures(self.hr_manager)
        private = figures[self.evidence_private]
        self.assertFalse(private["denied"])
        self.assertEqual(private["count"], 1)
        self.assertEqual(private["samples"], self.employee_private)
        self.assertEqual(figures[self.evidence_orders]["count"], 5)
        html = self._render(self.hr_manager)
        self.assertIn("Pei Private", html)
        self.assertIn("may not read these System Parameter records", html)

    def test_record_rules_apply_to_the_figures(self):
        self.env["ir.rule"].create(
            {
                "name": "Orders of the second team hidden (test)",
                "model_id": self.env.ref("service_quality.model_service_order").id,
                "domain_force": f"[('team_id', '!=', {self.team_2.id})]",
            }
        )
        figure = self._figures(self.inspector)[self.evidence_orders]
        self.assertEqual(figure["count"], 3)
        self.assertEqual(figure["samples"], self.orders.sorted("id", reverse=True))
        html = self._render(self.inspector)
        for order in self.orders_team_2:
            self.assertNotIn(order.name, html)

    def test_evidence_on_records_the_author_cannot_read_is_refused(self):
        Evidence = self.env["service.standard.evidence"].with_user(self.inspector)
        before = self.clause.evidence_count
        for values, model in (
            ({"model_name": "ir.config_parameter"}, "System Parameter"),
            (
                {"model_name": "hr.employee", "domain": "[('private_email', '!=', False)]"},
                "Employee",
            ),
        ):
            with self.assertRefused(
                ValidationError,
                f"Evidence Peek: you may not read {model} records, so you cannot define evidence",
            ):
                Evidence.create(dict(values, clause_id=self.clause.id, name="Peek"))
        self.env.invalidate_all()
        self.assertEqual(self.clause.evidence_count, before, "nothing was added")
        self.assertFalse(self.clause.evidence_ids.filtered(lambda e: e.name == "Peek"))
        # records the inspector reads: accepted
        evidence = Evidence.create(
            {"clause_id": self.clause.id, "name": "Complaints", "model_name": "service.complaint"}
        )
        self.assertEqual(evidence.clause_id, self.clause)

    def test_pack_refuses_a_company_the_user_is_not_allowed_in(self):
        Wizard = self.env["service.evidence.pack.wizard"]
        count = Wizard.search_count([])
        with self.assertRefused(
            ValidationError,
            "Evidence pack of Privacy Audit: you are not allowed in company Guangzhou Service Co.",
        ):
            self._wizard(self.inspector, company_id=self.company_2.id)
        self.assertEqual(Wizard.search_count([]), count, "no wizard was created")
        wizard = self._wizard(self.inspector)
        with self.assertRefused(ValidationError, "not allowed in company"):
            wizard.company_id = self.company_2
        self.assertEqual(wizard.company_id, self.company)
        # a user allowed in both companies prints the second one's pack
        self.manager.company_ids |= self.company_2
        wizard = self._wizard(self.manager, company_id=self.company_2.id)
        self.assertEqual(wizard.company_id, self.company_2)
        figures = {f["evidence"]: f for f in wizard._get_pack()[0]["figures"]}
        self.assertEqual(figures[self.evidence_orders]["count"], 0, "another company's orders")

    def test_language_defaults_to_the_users(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.inspector.lang = "zh_CN"
        # created over RPC without a language in the context
        wizard = (
            self.env["service.evidence.pack.wizard"]
            .with_user(self.inspector)
            .with_context({})
            .create(
                {
                    "standard_id": self.standard.id,
                    "date_from": date(2022, 1, 1),
                    "date_to": date(2022, 1, 31),
                }
            )
        )
        self.assertEqual(wizard.lang, "zh_CN")
        # from the form, the language of the session
        form = Form(
            self.env["service.evidence.pack.wizard"]
            .with_user(self.inspector)
            .with_context(lang="en_US")
        )
        form.standard_id = self.standard
        self.assertEqual(form.save().lang, "en_US")
