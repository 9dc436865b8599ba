import os
import re

import polib

from odoo.tests import TransactionCase, tagged

PO_PATH = os.path.join(os.path.dirname(os.path.dirname(__file__)), "i18n", "zh_CN.po")
MODELS = (
    "service.complaint",
    "service.complaint.category",
    "service.complaint.cause",
    "service.corrective.action",
    "service.inspection",
    "service.inspection.line",
    "service.inspection.template",
    "service.inspection.template.line",
    "service.kpi.report",
    "service.complaint.ledger.wizard",
    "service.quality.monthly.wizard",
)
MAGIC = {"id", "display_name", "create_uid", "create_date", "write_uid", "write_date"}


@tagged("post_install", "-at_install")
class TestComplaintTranslations(TransactionCase):
    """zh_CN is complete for the complaint ledger, inspections and KPI
    reporting: every entry of the catalogue has a Chinese text, and every
    field label and selection value of these models is in the catalogue."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.catalogue = polib.pofile(PO_PATH)
        cls.translated = {entry.msgid: entry.msgstr for entry in cls.catalogue if entry.msgstr}

    def test_every_entry_translated(self):
        untranslated = [entry.msgid for entry in self.catalogue if not entry.msgstr]
        self.assertEqual(untranslated, [])
        self.assertEqual(self.catalogue.metadata.get("Language"), "zh_CN")

    def test_labels_and_selections_of_quality_models(self):
        missing = []
        for model in MODELS:
            for name, field in self.env[model]._fields.items():
                if (
                    name in MAGIC
                    or field._module != "service_quality"  # others: their own catalogue
                    or field.inherited
                    or name.startswith(("message_", "activity_", "website_message"))
                ):
                    continue
                if field.string not in self.translated:
                    missing.append(f"{model}.{name}: {field.string}")
                if field.type == "selection" and isinstance(field.selection, list):
                    missing.extend(
                        f"{model}.{name}={value}: {label}"
                        for value, label in field.selection
                        if label not in self.translated
                    )
        self.assertEqual(missing, [])

    def test_user_errors_translated(self):
        for msgid in (
            "Complaint %(name)s cannot be closed, missing: %(missing)s.",
            "Corrective action %(name)s: you own it, so someone else must check its effectiveness.",
            "Inspection %(name)s cannot be closed: unanswered items: %(items)s.",
            "Complaint %(name)s: service order %(order)s belongs to %(owner)s, not to %(customer)s.",
        ):
            self.assertIn(msgid, self.translated)
            self.assertIn("%(name)s", self.translated[msgid])

    def test_placeholders_kept(self):
        placeholder = re.compile(r"%\([a-z_]+\)s")
        wrong = [
            entry.msgid
            for entry in self.catalogue
            if sorted(placeholder.findall(entry.msgid)) != sorted(placeholder.findall(entry.msgstr))
        ]
        self.assertEqual(wrong, [])
