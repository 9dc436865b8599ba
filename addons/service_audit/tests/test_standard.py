from datetime import date

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import ServiceAuditCommon


@tagged("post_install", "-at_install")
class TestStandard(ServiceAuditCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.gbt = cls.env.ref("service_audit.standard_gbt_27922")
        cls.manual = cls.env.ref("service_audit.standard_company_manual")
        cls.orders = cls._orders(4, date(2022, 1, 15))
        cls._complaints(1, date(2022, 1, 20), cls.orders[0])
        cls.other_orders = cls._orders(2, date(2022, 3, 15))

    def test_shipped_standards(self):
        indicators = self.gbt.clause_ids.filtered("is_indicator")
        self.assertEqual(len(indicators), 9)
        self.assertEqual(sum(indicators.mapped("max_score")), 100)
        controls = self.env["service.standard.control"].search([("xml_ref", "!=", False)])
        self.assertTrue(controls)
        for control in controls:
            self.assertTrue(control.record_name, control.xml_ref)
        self.assertEqual(
            self.env.ref("service_audit.clause_m_equipment_files").control_ids.xml_ref,
            "equipment_care.retention_policy_equipment",
        )
        self.assertEqual(self.env.ref("service_audit.clause_gb_9").coverage, "none")
        self.assertEqual(
            self.env.ref("service_audit.clause_m_training_plan").coverage, "no_control"
        )
        self.assertEqual(self.env.ref("service_audit.clause_m_response").coverage, "covered")

    def test_coverage_follows_controls_and_evidence(self):
        clause = (
            self.env["service.standard.clause"]
            .with_user(self.inspector)
            .create(
                {"standard_id": self.manual.id, "code": "SM-10.1", "name": "Spare parts traceable"}
            )
        )
        self.assertEqual(clause.coverage, "none")
        Clause = self.env["service.standard.clause"]
        self.assertIn(clause, Clause.search([("coverage", "!=", "covered")]))
        clause.control_ids = self.env.ref("service_audit.control_sla_job")
        self.assertEqual(clause.coverage, "no_evidence")
        self.env["service.standard.evidence"].with_user(self.inspector).create(
            {
                "clause_id": clause.id,
                "name": "Orders",
                "model_name": "service.order",
                "date_field": "received_at",
            }
        )
        self.assertEqual(clause.coverage, "covered")
        self.assertEqual(self.manual.uncovered_count, len(self.manual.clause_ids) - 8)

    def test_evidence_figures_for_the_period(self):
        clause = self.env.ref("service_audit.clause_m_response")
        figures = clause._evidence_figures(self.company, date(2022, 1, 1), date(2022, 1, 31))
        figure = figures[clause.id][0]
        self.assertEqual(figure["count"], 4)
        self.assertEqual(figure["samples"], self.orders.sorted("id", reverse=True))
        self.assertIsNone(figure["kpi_value"], "no order of January has an SLA result")
        complaints = self.env.ref("service_audit.clause_m_complaints")
        figure = complaints._evidence_figures(self.company, date(2022, 1, 1), date(2022, 1, 31))[
            complaints.id
        ][0]
        self.assertEqual(figure["count"], 1)
        self.assertAlmostEqual(figure["kpi_value"], 25.0)
        other = complaints._evidence_figures(self.company_2, date(2022, 1, 1), date(2022, 1, 31))
        self.assertEqual(other[complaints.id][0]["count"], 0, "another company's records")

    def test_bad_evidence_and_controls(self):
        clause = self.env.ref("service_audit.clause_m_waste")
        Evidence = self.env["service.standard.evidence"].with_user(self.inspector)
        order_model = "service.order"
        bad_values = [
            ({"name": "Nothing"}, "needs records"),
            ({"name": "Bad", "model_name": order_model, "date_field": "x"}, "has no field"),
            ({"name": "Bad", "model_name": order_model, "domain": "[('x'"}, "not valid"),
        ]
        for values, message in bad_values:
            # assertRaises (not ...Regex) rolls back to a savepoint: nothing stays
            with self.assertRaises(ValidationError) as caught:
                Evidence.create(dict(values, clause_id=clause.id))
            self.assertIn(message, str(caught.exception))
        self.env.invalidate_all()
        self.assertEqual(clause.coverage, "none", "nothing was added")
        with self.assertRaisesRegex(UserError, "no record has the XML id"):
            self.env["service.standard.control"].with_user(self.inspector).create(
                {"name": "Ghost", "xml_ref": "service_quality.nothing_here"}
            )

    def test_control_opens_its_implementation(self):
        control = self.env.ref("service_audit.control_sla_job")
        action = control.action_open_record()
        self.assertEqual(action["res_model"], "ir.cron")
        self.assertEqual(
            action["res_id"], self.env.ref("service_quality.ir_cron_service_order_sla").id
        )
        with self.assertRaisesRegex(UserError, "not linked"):
            self.env.ref("service_audit.control_return_visit").action_open_record()

    def _pack(self, lang="en_US", user=None):
        return (
            self.env["service.evidence.pack.wizard"]
            .with_user(user or self.inspector)
            .create(
                {
                    "standard_id": self.manual.id,
                    "date_from": date(2022, 1, 1),
                    "date_to": date(2022, 1, 31),
                    "lang": lang,
                }
            )
        )

    def test_evidence_pack_renders_figures_in_both_languages(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["service_quality", "service_audit"], ["zh_CN"], overwrite=True
        )
        for lang, title in (("en_US", "Evidence Pack"), ("zh_CN", "证据包")):
            wizard = self._pack(lang)
            self.assertEqual(
                wizard.action_print()["report_name"], "service_audit.report_evidence_pack"
            )
            html = (
                self.env["ir.actions.report"]
                .with_user(self.inspector)
                ._render_qweb_html("service_audit.report_evidence_pack", wizard.ids)[0]
                .decode()
            )
            self.assertIn(title, html)
            self.assertIn("SM-3.1", html)
            self.assertIn(self.orders[-1].name, html, "sample records are printed")
            self.assertIn("25.0", html, "complaints per 100 orders of the period")

    def test_evidence_pack_bad_period_and_access(self):
        wizard = self._pack()
        wizard.date_to = date(2021, 1, 1)
        with self.assertRaisesRegex(UserError, "ends before it starts"):
            wizard.action_print()
        with self.assertRaises(AccessError):
            self._pack(user=self.technician)
        clause = self.env.ref("service_audit.clause_m_response")
        self.assertTrue(clause.with_user(self.technician).read(["coverage"]))
        with self.assertRaises(AccessError):
            clause.with_user(self.technician).write({"name": "Changed"})
        with self.assertRaises(AccessError):
            clause.with_user(self.employee).read(["coverage"])
