"""zh_CN is first-class: every exported term of our addons is translated,
and the translations load into Odoo."""

from pathlib import Path

import polib
from lxml import etree

from odoo.tests import tagged
from odoo.tests.common import TransactionCase

ADDONS = (
    "service_quality",
    "service_training",
    "equipment_care",
    "service_installed_base",
    "service_sale",
    "service_audit",
    "service_parts",
    "service_contract",
)
ROOT = Path(__file__).resolve().parents[2]


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    def test_po_files_complete(self):
        for addon in ADDONS:
            pot = polib.pofile(str(ROOT / addon / "i18n" / f"{addon}.pot"))
            po = polib.pofile(str(ROOT / addon / "i18n" / "zh_CN.po"))
            translated = {e.msgid for e in po if e.msgstr and not e.obsolete}
            missing = [e.msgid for e in pot if e.msgid and e.msgid not in translated]
            self.assertFalse(
                missing,
                f"{addon}: {len(missing)} terms of {addon}.pot have no zh_CN "
                f"translation, e.g. {missing[:5]}",
            )
            self.assertEqual(po.metadata.get("Language"), "zh_CN", addon)

    def test_translations_load(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(list(ADDONS), ["zh_CN"], overwrite=True)
        zh = self.env(context={"lang": "zh_CN"})
        for xmlid in (
            "service_quality.service_quality_menu_root",
            "service_training.service_training_menu_root",
            "equipment_care.equipment_care_menu_root",
            "service_audit.service_audit_menu",
            "service_contract.service_contract_menu_main",
        ):
            menu = zh.ref(xmlid)
            self.assertNotEqual(
                menu.name, menu.with_context(lang="en_US").name, f"{xmlid} is not translated"
            )
        field = zh["ir.model.fields"]._get("service.order", "partner_id")
        self.assertNotEqual(field.field_description, "Customer")

    def test_cron_names_translated(self):
        """Every scheduled job of the addons is named in Chinese for a zh_CN
        reader (the job list, the evidence pack's controls)."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(list(ADDONS), ["zh_CN"], overwrite=True)
        xmlids = [
            f"{addon}.{record.get('id')}"
            for addon in ADDONS
            for path in sorted((ROOT / addon).glob("*/*.xml"))
            for record in etree.parse(str(path)).iter("record")
            if record.get("model") == "ir.cron"
        ]
        self.assertGreaterEqual(len(xmlids), 25)
        crons = self.env["ir.cron"].with_context(active_test=False)
        for xmlid in xmlids:
            crons |= self.env.ref(xmlid)
        # every job of the addons is declared in their XML data
        data = self.env["ir.model.data"].search(
            [("model", "=", "ir.cron"), ("module", "in", ADDONS)]
        )
        self.assertEqual(set(data.mapped("res_id")), set(crons.ids))
        untranslated = [
            cron.with_context(lang="en_US").name
            for cron in crons
            if cron.with_context(lang="zh_CN").name == cron.with_context(lang="en_US").name
        ]
        self.assertFalse(untranslated, f"scheduled jobs without a zh_CN name: {untranslated}")
        # the job list (search_read of the web client) reads the same names
        rows = (
            self.env["ir.cron"]
            .with_context(lang="zh_CN", active_test=False)
            .search_read([("id", "in", crons.ids)], ["name"])
        )
        names = {row["id"]: row["name"] for row in rows}
        sla = self.env.ref("service_quality.ir_cron_service_order_sla")
        self.assertIn("服务时限巡检", names[sla.id])
