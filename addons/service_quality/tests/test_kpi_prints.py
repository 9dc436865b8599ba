import io
from datetime import date, datetime

from odoo.exceptions import UserError
from odoo.tests import HttpCase, tagged
from odoo.tools.pdf import PdfReader

from .quality_common import QualityCommon


@tagged("post_install", "-at_install")
class TestKpiPrints(QualityCommon):
    def test_complaint_ledger_lists_the_period(self):
        complaint = self._complaint(received_at=datetime(2026, 3, 2, 9, 0))
        self._fill_for_closing(complaint)
        outside = self._complaint(received_at=datetime(2026, 5, 2, 9, 0))
        wizard = (
            self.env["service.complaint.ledger.wizard"]
            .with_user(self.inspector)
            .create({"date_from": date(2026, 3, 1), "date_to": date(2026, 3, 31)})
        )
        self.assertEqual(wizard._get_complaints(), complaint)
        action = wizard.action_print()
        self.assertEqual(action["report_name"], "service_quality.report_complaint_ledger")
        report = self.env["ir.actions.report"].with_user(self.inspector)
        html = report._render_qweb_html("service_quality.report_complaint_ledger", wizard.ids)[
            0
        ].decode()
        self.assertIn(complaint.name, html)
        self.assertIn("Bearing not seated", html)
        self.assertIn("Replace the drum bearing", html)
        self.assertNotIn(outside.name, html)

    def test_empty_ledger_refused(self):
        wizard = self.env["service.complaint.ledger.wizard"].create(
            {"date_from": date(2025, 1, 1), "date_to": date(2025, 1, 31)}
        )
        with self.assertRaisesRegex(UserError, "No complaint was received between"):
            wizard.action_print()

    def test_monthly_quality_report(self):
        self._complaint(received_at=datetime(2026, 3, 2, 9, 0))
        wizard = (
            self.env["service.quality.monthly.wizard"]
            .with_user(self.manager)
            .create({"month": date(2026, 3, 15)})
        )
        figures = wizard._get_figures()
        self.assertEqual(figures["start"], date(2026, 3, 1))
        self.assertEqual(figures["end"], date(2026, 3, 31))
        self.assertEqual(dict(figures["complaints_by_state"]), {"new": 1})
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("service_quality.report_quality_monthly", wizard.ids)[0]
            .decode()
        )
        self.assertIn("Monthly Quality Report", html)
        self.assertIn("Repair Result", html)


@tagged("post_install", "-at_install")
class TestKpiPrintsPdf(QualityCommon, HttpCase):
    """The complaint ledger printed by wkhtmltopdf: an ``HttpCase`` (why: README, Development)."""

    def test_complaint_ledger_pdf(self):
        complaint = self._complaint(received_at=datetime(2026, 3, 2, 9, 0))
        self._fill_for_closing(complaint)
        wizard = (
            self.env["service.complaint.ledger.wizard"]
            .with_user(self.inspector)
            .create({"date_from": date(2026, 3, 1), "date_to": date(2026, 3, 31)})
        )
        report = self.env["ir.actions.report"].with_user(self.inspector)
        pdf, kind = report.with_context(force_report_rendering=True)._render_qweb_pdf(
            "service_quality.report_complaint_ledger", wizard.ids
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        # the text is drawn with the report's web fonts, not extractable: the
        # content is checked on the HTML (TestKpiPrints); the document is read back
        self.assertEqual(len(PdfReader(io.BytesIO(pdf)).pages), 1)
