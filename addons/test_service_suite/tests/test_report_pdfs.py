"""Every PDF of the suite, rendered on realistic data, adds up.

* Monthly Quality Report: one definition for every complaint figure (the
  month a complaint was received), stated on the report; counts print as
  integers, rates with nothing to measure as "–".
* Training File: hours of attended, finished sessions only.
* Equipment File: never a last calibration date next to "No calibration
  recorded".
* Every report: the company's header and footer (web.external_layout, page
  numbers in the footer), table rows that never split across pages and
  header rows repeated on each page (the o_sq_report stylesheet).
"""

import re
from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged
from odoo.tests.common import TransactionCase

from odoo.addons.service_quality.tests.common import create_role_users, service_team

SIGNATURE = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8"
    "AAAAASUVORK5CYII="
)


def html_text(html):
    """The visible text of a rendered report, whitespace collapsed."""
    text = re.sub(r"<style.*?</style>", " ", html, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"\s+", " ", text)


@tagged("post_install", "-at_install")
class TestReportPdfs(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a company of its own: the figures are those of this test's records only
        cls.company = cls.env["res.company"].create(
            {"name": "Huamei Appliance Service", "phone": "+86 21 5555 0000"}
        )
        cls.env = cls.env(
            context=dict(
                cls.env.context, tracking_disable=True, allowed_company_ids=cls.company.ids
            )
        )
        in_company = {"company_id": cls.company.id, "company_ids": [Command.set(cls.company.ids)]}
        create_role_users(
            cls,
            {
                key: (*value, in_company)
                for key, value in {
                    **service_team("pdf"),
                    "manager": ("pdf_manager", "manager", "Max Manager"),
                    "officer": (
                        "pdf_officer",
                        "service_training.group_training_officer",
                        "Olivia Officer",
                    ),
                    "keeper": (
                        "pdf_keeper",
                        "equipment_care.group_equipment_keeper",
                        "Kim Keeper",
                    ),
                }.items()
            },
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Zhou Qiang", "email": "zhou@example.com"}
        )
        cls.category = cls.env["service.category"].create({"name": "Dishwasher repair (pdf)"})
        cls.complaint_category = cls.env.ref(
            "service_quality.service_complaint_category_repair_result"
        )
        # September: three orders; October: their three complaints and one order
        Order = cls.env["service.order"]
        cls.september_orders = Order.create(
            [
                {
                    "partner_id": cls.customer.id,
                    "category_id": cls.category.id,
                    "user_id": cls.technician.id,
                    "received_at": datetime(2026, 9, day, 2, 0),
                }
                for day in (3, 10, 17)
            ]
        )
        cls.october_order = Order.create(
            {
                "partner_id": cls.customer.id,
                "category_id": cls.category.id,
                "received_at": datetime(2026, 10, 12, 2, 0),
            }
        )
        cls.complaints = cls.env["service.complaint"].create(
            [
                {
                    "partner_id": cls.customer.id,
                    "service_order_id": order.id,
                    "category_id": cls.complaint_category.id,
                    "description": "<p>Still leaking</p>",
                    "received_at": datetime(2026, 10, day, 3, 0),
                }
                for order, day in zip(cls.september_orders, (2, 9, 20), strict=True)
            ]
        )

    def _html(self, report, ids, user=None):
        """The HTML the PDF is made from (report_type pdf: with page numbers)."""
        Report = self.env["ir.actions.report"]
        if user:
            Report = Report.with_user(user)
        return Report._render_qweb_html(report, ids, data={"report_type": "pdf"})[0].decode()

    def _assert_layout(self, html, name):
        """The company header and footer of web.external_layout, page numbers
        in the footer, and the suite's print stylesheet class."""
        self.assertRegex(html, r'class="[^"]*\bheader\b', f"{name}: company header")
        self.assertRegex(html, r'class="[^"]*\bfooter\b', f"{name}: company footer")
        self.assertIn('class="page"', html, f"{name}: page number in the footer")
        self.assertIn(self.company.name, html, f"{name}: company name")
        self.assertIn("o_sq_report", html, f"{name}: rows kept whole, headers repeated")

    def _wizard(self, month):
        return (
            self.env["service.quality.monthly.wizard"]
            .with_user(self.manager)
            .create({"month": month, "company_id": self.company.id})
        )

    def test_monthly_report_counts_complaints_one_way(self):
        october = self._wizard(date(2026, 10, 1))
        figures = october._get_figures()
        # one definition: received in October, totals and tables alike
        self.assertEqual(figures["total"]["complaint_count"], 3)
        self.assertIsInstance(figures["total"]["complaint_count"], int)
        self.assertEqual(sum(count for _c, count in figures["complaints_by_category"]), 3)
        self.assertEqual(sum(count for _s, count in figures["complaints_by_state"]), 3)
        self.assertEqual(sum(row["complaint_count"] for row in figures["by_category"]), 3)
        self.assertEqual(figures["total"]["order_count"], 1)
        self.assertEqual(figures["total"]["complaint_rate"], 300.0)
        # September has its orders and none of October's complaints
        september = self._wizard(date(2026, 9, 1))._get_figures()
        self.assertEqual(september["total"]["order_count"], 3)
        self.assertEqual(september["total"]["complaint_count"], 0)
        self.assertEqual(september["total"]["complaint_rate"], 0.0)
        # the same figures come from the KPI report
        kpi = (
            self.env["service.kpi.report"]
            .with_user(self.manager)
            .get_kpi_values(
                [
                    ("company_id", "=", self.company.id),
                    ("date", ">=", date(2026, 10, 1)),
                    ("date", "<", date(2026, 11, 1)),
                ]
            )
        )
        self.assertEqual(kpi, figures["total"])

        html = self._html("service_quality.report_quality_monthly", october.ids)
        text = html_text(html)
        self.assertIn("Complaints received 3", text)
        self.assertNotIn("3.0", text, "counts print as integers")
        self.assertIn("Repair Result 3", text, "the table lists the month's complaints")
        self.assertIn("an order or a complaint counts in the month it was received", text)
        # nothing done in October: rates with nothing to measure print "–"
        self.assertRegex(text, r"SLA met \(%\) –")
        self.assertRegex(text, r"Feedback average –")
        self.assertNotIn("None", text)
        self._assert_layout(html, "Monthly Quality Report")

    def test_training_file_counts_attended_finished_sessions(self):
        course = self.env["training.course"].create(
            {
                "name": "Dishwasher pumps (pdf)",
                "hours": 8,
                "theory_pass_mark": 0,
                "practical_pass_mark": 0,
            }
        )
        employee = self.env["hr.employee"].create(
            {"name": "Tess Technician", "user_id": self.technician.id}
        )
        other = self.env["hr.employee"].create({"name": "Absent Colleague"})

        def session(day):
            return self.env["training.session"].create(
                {
                    "course_id": course.id,
                    "date_start": datetime(2030, 3, day, 1, 0),
                    "date_end": datetime(2030, 3, day, 9, 0),
                }
            )

        finished, future = session(2), session(20)
        Attendance = self.env["training.attendance"]
        Attendance.create(
            [
                {"session_id": finished.id, "employee_id": employee.id, "theory_score": 90},
                {"session_id": finished.id, "employee_id": other.id, "attendance": "absent"},
                {"session_id": future.id, "employee_id": employee.id},
            ]
        )
        finished.action_done()
        employee = employee.with_user(self.officer)
        self.assertEqual(employee.training_hours, 8, "the planned session does not count yet")
        html = self._html("service_training.action_report_training_file", employee.ids)
        self.assertRegex(html_text(html), r"Training Hours \(finished sessions attended\): 8\.0")
        future.action_done()
        employee.invalidate_recordset(["training_hours"])
        self.assertEqual(employee.training_hours, 16)
        self._assert_layout(html, "Training File")

    @freeze_time("2026-03-02 09:00:00")
    def test_equipment_file_calibration_is_consistent(self):
        category = self.env["maintenance.equipment.category"].create(
            {"name": "Meters (pdf)", "tool_code_prefix": "PM-", "calibration_interval_days": 365}
        )
        Tool = self.env["maintenance.equipment"]
        entered = Tool.create(
            {
                "name": "Leak detector",
                "category_id": category.id,
                "last_calibration_date": date(2026, 1, 10),
            }
        )
        html = self._html("equipment_care.report_equipment_file", entered.ids, self.keeper)
        text = html_text(html)
        self.assertNotIn("No calibration recorded", text)
        self.assertIn("no calibration certificate in the register", text)
        self.assertIn("01/10/2026", text)
        self._assert_layout(html, "Equipment File")

        certified = Tool.create({"name": "Multimeter", "category_id": category.id})
        self.env["equipment.calibration"].create(
            {
                "equipment_id": certified.id,
                "date": date(2026, 2, 1),
                "performed_by": "Shanghai Metrology Lab",
                "certificate_number": "SML-1",
                "result": "pass",
            }
        )
        text = html_text(
            self._html("equipment_care.report_equipment_file", certified.ids, self.keeper)
        )
        self.assertNotIn("No calibration", text)
        self.assertNotIn("no calibration certificate", text)
        self.assertIn("SML-1", text)
        never = Tool.create({"name": "New gauge", "category_id": category.id})
        text = html_text(self._html("equipment_care.report_equipment_file", never.ids))
        self.assertIn("No calibration recorded.", text)
        self.assertRegex(text, r"Last / next calibration: – / –")

    def test_every_report_has_the_company_layout(self):
        """Each report of the three addons, rendered once: the company's
        header and footer. Tool labels are label sheets (company name on
        each label) and are checked in equipment_care's tests."""
        order = self.september_orders[0]
        order.sudo().write({"customer_signature": SIGNATURE, "signed_by": "Zhou Qiang"})
        ledger = (
            self.env["service.complaint.ledger.wizard"]
            .with_user(self.manager)
            .create({"date_from": date(2026, 10, 1), "date_to": date(2026, 10, 31)})
        )
        employee = self.env["hr.employee"].create({"name": "Layout Employee"})
        tool = self.env["maintenance.equipment"].create({"name": "Layout tool"})
        register = self.env["service.retention.register"].sudo().search([], limit=1)
        samples = {
            "service_quality.report_service_order": order,
            "service_quality.action_report_complaint_ledger": ledger,
            "service_quality.action_report_quality_monthly": self._wizard(date(2026, 10, 1)),
            "service_training.action_report_training_file": employee,
            "equipment_care.action_report_equipment_file": tool,
        }
        if register:
            samples["service_quality.action_report_retention_register"] = register
        reports = self.env["ir.actions.report"].search(
            [
                ("model", "!=", False),
                ("report_name", "=like", "%"),
            ]
        )
        ours = reports.filtered(
            lambda r: r.get_external_id()[r.id].split(".")[0]
            in ("service_quality", "service_training", "equipment_care")
        )
        expected = {xmlid.split(".", 1)[1] for xmlid in samples} | {"action_report_tool_label"}
        if not register:
            expected.add("action_report_retention_register")
        self.assertEqual(
            {r.get_external_id()[r.id].split(".", 1)[1] for r in ours},
            expected,
            "a new report needs a sample here",
        )
        for xmlid, record in samples.items():
            html = self._html(xmlid, record.ids)
            self._assert_layout(html, xmlid)
            # table rows are never split and headers repeat (o_sq_report):
            # every table of ours has its header row
            tables = re.findall(r"<table\b.*?</table>", html, re.S)
            for table in tables:
                if "o_main_table" in table:
                    self.assertIn("<thead", table, xmlid)
