"""What a zh_CN reader in Asia/Shanghai reads: the notes and activities of
the scheduled jobs (written by OdooBot, in English and UTC, for people of
other languages), the root-cause paths, the signature note, the emails and
the portal pages of a customer without time zone, the access log."""

import re
from datetime import date, datetime

from freezegun import freeze_time

from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools.convert import convert_file

from .order_common import ServiceOrderCommon
from .quality_common import QualityCommon


def zh(record):
    return record.with_context(lang="zh_CN")


class ReaderLanguageMixin:
    @classmethod
    def _zh_user(cls, login, groups):
        """A user reading in Chinese, in Asia/Shanghai."""
        cls.env["res.lang"]._activate_lang("zh_CN")
        return new_test_user(
            cls.env, login, groups, name=f"Zhang {login}", lang="zh_CN", tz="Asia/Shanghai"
        )

    def _notes(self, record, text):
        return record.message_ids.filtered(lambda m: text in (m.body or ""))

    def _activities(self, record):
        return self.env["mail.activity"].search(
            [("res_model", "=", record._name), ("res_id", "=", record.id)]
        )


@tagged("post_install", "-at_install")
class TestJobTextsInReaderLanguage(ReaderLanguageMixin, ServiceOrderCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.zh_manager = cls._zh_user("sq_zh_manager", "service_quality.group_service_manager")
        cls.zh_dispatcher = cls._zh_user(
            "sq_zh_dispatch", "service_quality.group_service_dispatcher"
        )
        cls.manager.write({"lang": "en_US", "tz": "Europe/Paris"})
        cls.company.partner_id.write({"lang": "en_US", "tz": "Asia/Shanghai"})

    def _plan(self, name, responsible):
        return self.env["service.emergency.plan"].create(
            {
                "name": name,
                "risk": "Falling glass",
                "date_start": date(2026, 1, 5),
                "drill_interval_months": 6,
                "responsible_id": responsible.id,
            }
        )

    def test_overdue_drill_note_and_activity_in_responsibles_language(self):
        with freeze_time("2026-01-05 08:00:00"):
            plan_zh = self._plan("Curtain-wall glass breakage", self.zh_manager)
            plan_en = self._plan("Lift stuck between floors", self.manager)
        zh(plan_zh).name = "幕墙玻璃破碎"
        with freeze_time("2026-07-06 09:00:00"):
            self.env.ref("service_quality.ir_cron_service_emergency_drill").method_direct_trigger()
        # one batch, two languages: each plan in its responsible's
        note_zh = self._notes(plan_zh, "演练逾期")
        self.assertEqual(len(note_zh), 1)
        self.assertIn("预案 幕墙玻璃破碎 应于 2026年07月05日 进行演练", note_zh.body)
        self.assertEqual(self._activities(plan_zh).summary, "组织逾期的应急演练")
        note_en = self._notes(plan_en, "Drill overdue")
        self.assertEqual(len(note_en), 1)
        self.assertIn(
            "plan Lift stuck between floors was due for a drill on 07/05/2026", note_en.body
        )
        self.assertEqual(self._activities(plan_en).summary, "Hold the overdue emergency drill")

    def test_customer_update_reminder_in_owners_language_and_time_zone(self):
        Order = self.env["service.order"]
        update_type = self.env.ref("service_quality.mail_activity_type_customer_update")
        with freeze_time("2026-01-05 08:00:00"):
            order_zh = self._create_order(
                is_emergency=True, customer_update_hours=2, intake_user_id=self.zh_dispatcher.id
            )
            order_en = self._create_order(
                is_emergency=True, customer_update_hours=2, intake_user_id=self.manager.id
            )
        with freeze_time("2026-01-05 10:05:00"):
            Order._cron_emergency_update_due()
        # 10:00 UTC is 18:00 in Shanghai, 11:00 in Paris
        note_zh = self._notes(order_zh, "应向客户通报进展")
        self.assertEqual(len(note_zh), 1)
        self.assertIn(f"应急工单 {order_zh.name} 自 2026年01月05日 18:00 起", note_zh.body)
        reminder_zh = self._activities(order_zh).filtered(
            lambda a: a.activity_type_id == update_type
        )
        self.assertEqual(reminder_zh.summary, "向客户通报进展\uff08截止 2026年01月05日 18:00\uff09")
        note_en = self._notes(order_en, "Customer update due since")
        self.assertIn("Customer update due since 01/05/2026 11:00", note_en.body)
        reminder_en = self._activities(order_en).filtered(
            lambda a: a.activity_type_id == update_type
        )
        self.assertEqual(reminder_en.summary, "Update the customer (due 01/05/2026 11:00)")

    def test_signature_note_in_company_language_and_time_zone(self):
        order = self._walk_to(self._create_order(), "in_progress")
        with freeze_time("2026-12-07 07:58:35"):
            # the customer signs on the portal (the page runs as superuser)
            order.sudo().write(
                {
                    "signed_by": "LT customer 3",
                    "signed_on": datetime(2026, 12, 7, 7, 58, 35),
                    "customer_signature": self.signature,
                }
            )
        note = self._notes(order, "Customer signature recorded")
        self.assertEqual(len(note), 1)
        # Shanghai time, no seconds, the language's date format
        self.assertIn("Customer signature recorded: LT customer 3, 12/07/2026 15:58.", note.body)
        self.company.partner_id.lang = "zh_CN"
        order.with_user(self.technician).write({"customer_signature": False})
        self.assertTrue(self._notes(order, "客户签名已移除"))
        order.sudo().write(
            {"signed_on": datetime(2026, 12, 7, 7, 58, 35), "customer_signature": self.signature}
        )
        self.assertTrue(
            self._notes(order, "已记录客户签名\uff1aLT customer 3\uff0c2026年12月07日 15:58。")
        )

    def test_reader_language_falls_back_to_the_company_then_the_job(self):
        plan = self._plan("Gas leak", self.zh_manager)
        self.assertEqual(plan._notify_reader_lang(self.zh_manager), "zh_CN")
        self.assertEqual(plan._notify_reader_lang(self.zh_manager.partner_id), "zh_CN")
        self.assertEqual(plan._notify_reader_lang(self.manager), "en_US")
        self.assertEqual(plan._notify_reader_lang(self.env["res.users"]), "en_US")
        self.company.partner_id.lang = "zh_CN"
        self.assertEqual(plan._notify_reader_lang(), "zh_CN")
        # a language that is not installed: the company's
        self.customer.lang = False
        self.assertEqual(plan._notify_reader_lang(self.customer), "zh_CN")
        # split in the order of the records, each part in its language
        other = self._plan("Flood", self.manager)
        parts = (plan | other)._notify_by_lang({plan.id: self.zh_manager, other.id: self.manager})
        self.assertEqual([part.env.lang for part in parts], ["zh_CN", "en_US"])
        self.assertEqual([part.ids for part in parts], [plan.ids, other.ids])


@tagged("post_install", "-at_install")
class TestQualityTextsInReaderLanguage(ReaderLanguageMixin, QualityCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.zh_technician = cls._zh_user("sq_zh_tech", "service_quality.group_service_user")
        cls.company.partner_id.write({"lang": "en_US", "tz": "Asia/Shanghai"})
        cls.complaint = cls._complaint()

    def _action(self, name, owner, deadline):
        return self.env["service.corrective.action"].create(
            {
                "name": name,
                "complaint_id": self.complaint.id,
                "owner_id": owner.id,
                "deadline": deadline,
            }
        )

    def test_corrective_action_reminder_in_owners_language(self):
        action_zh = self._action("Replace the seal", self.zh_technician, date(2026, 12, 8))
        action_en = self._action("Retrain the team", self.technician, date(2026, 12, 8))
        late_zh = self._action("Fix the door", self.zh_technician, date(2026, 12, 1))
        with freeze_time("2026-12-07 01:00:00"):
            self.env.ref(
                "service_quality.ir_cron_corrective_action_reminders"
            ).method_direct_trigger()
        self.assertTrue(
            self._notes(action_zh, "纠正措施 Replace the seal 将于 2026年12月08日 到期")
        )
        self.assertEqual(self._activities(action_zh).summary, "纠正措施即将到期")
        self.assertTrue(self._notes(late_zh, "2026年12月01日"))
        self.assertTrue(
            self._notes(action_en, "Corrective action Retrain the team is due on 12/08/2026.")
        )
        self.assertEqual(self._activities(action_en).summary, "Corrective action due")
        self.assertFalse(self._notes(action_en, "2026-12-08"))

    def test_root_cause_path_in_readers_language(self):
        Cause = self.env["service.complaint.cause"]
        root = Cause.create({"name": "Workmanship"})
        child = Cause.create({"name": "Part not seated correctly", "parent_id": root.id})
        zh(root).name = "施工工艺"
        zh(child).name = "部件未装到位"
        self.assertEqual(zh(child).display_name, "施工工艺 / 部件未装到位")
        self.assertEqual(
            child.with_context(lang="en_US").display_name, "Workmanship / Part not seated correctly"
        )
        # stored in the source language, whoever wrote the names
        self.assertEqual(child.complete_name, "Workmanship / Part not seated correctly")
        zh(root).with_user(self.inspector).name = "工艺"
        self.assertEqual(zh(child).display_name, "工艺 / 部件未装到位")
        self.assertEqual(child.complete_name, "Workmanship / Part not seated correctly")
        # found by its Chinese name or its path, listed and grouped in Chinese
        self.assertIn(child, zh(Cause).search([("display_name", "ilike", "未装到位")]))
        found = zh(Cause).name_search("未装到位")
        self.assertIn((child.id, "工艺 / 部件未装到位"), found)
        self.assertIn(child, Cause.search([("complete_name", "ilike", "Workmanship /")]))
        listed = zh(Cause).web_search_read([("id", "=", child.id)], {"display_name": {}})
        self.assertEqual(listed["records"][0]["display_name"], "工艺 / 部件未装到位")
        self.complaint.cause_id = child
        groups = zh(self.env["service.complaint"]).read_group(
            [("id", "=", self.complaint.id)], ["cause_id"], ["cause_id"]
        )
        self.assertEqual(groups[0]["cause_id"], (child.id, "工艺 / 部件未装到位"))
        # the complaint ledger printed by a Chinese reader
        self.inspector.lang = "zh_CN"
        wizard = (
            self.env["service.complaint.ledger.wizard"]
            .with_user(self.inspector)
            .create({"date_from": date(2026, 3, 1), "date_to": date(2026, 3, 31)})
        )
        html, _kind = (
            self.env["ir.actions.report"]
            .with_user(self.inspector)
            ._render_qweb_html("service_quality.action_report_complaint_ledger", wizard.ids)
        )
        self.assertIn("工艺 / 部件未装到位", html.decode())
        self.assertNotIn("Part not seated correctly", html.decode())

    def test_access_log_names_the_model_in_the_readers_language(self):
        self.env["service.access.log"].sudo().create(
            {
                "user_id": self.technician.id,
                "res_model": "service.order",
                "res_id": self.order.id,
                "res_name": self.order.name,
                "access_type": "open",
            }
        )
        # the log's readers may not read ir.model
        Log = zh(self.env["service.access.log"]).with_user(self.manager)
        domain = [("res_id", "=", self.order.id), ("res_model", "=", "service.order")]
        model = self.env["ir.model"]._get("service.order")
        listed = Log.web_search_read(
            domain, {"res_model_id": {"fields": {"display_name": {}}}, "res_model_name": {}}
        )["records"]
        self.assertEqual(listed[0]["res_model_id"]["display_name"], zh(model).name)
        self.assertEqual(listed[0]["res_model_name"], zh(model).name)
        self.assertRegex(listed[0]["res_model_name"], r"[\u4e00-\u9fff]")

        def found(name, lang="zh_CN"):
            return Log.with_context(lang=lang).search([*domain, ("res_model_name", "ilike", name)])

        self.assertEqual(len(found(zh(model).name)), 1)
        self.assertEqual(len(found("Service Order", lang="en_US")), 1)
        self.assertFalse(found("service.order"))
        groups = Log.read_group(domain, ["res_model_id"], ["res_model_id"])
        self.assertEqual(groups[0]["res_model_id"], (model.id, zh(model).name))


@tagged("post_install", "-at_install")
class TestCustomerWithoutTimeZone(ServiceOrderCommon):
    """A customer without time zone reads the company's: Asia/Shanghai."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.tz = "Asia/Shanghai"
        cls.customer.tz = False

    def test_request_received_email_in_company_time_zone(self):
        # the template as a new database loads it (its record is noupdate)
        convert_file(
            self.env,
            "service_quality",
            "data/mail_template_data.xml",
            {},
            mode="init",
            noupdate=True,
        )
        template = self.env.ref("service_quality.mail_template_service_order_received")
        order = self._create_order()
        order.sudo()._with_workflow_pass().write(
            {
                "response_deadline": datetime(2026, 12, 8, 9, 0, 30),
                "resolve_deadline": datetime(2026, 12, 9, 9, 0),
            }
        )
        body = template._render_field("body_html", order.ids)[order.id]
        self.assertIn("We will contact you by <strong>12/08/2026 17:00</strong>", body)
        self.assertIn("solve the problem by <strong>12/09/2026 17:00</strong>", body)
        self.assertNotIn("09:00", body)
        self.assertNotIn(":30", body)

    def test_demo_company_works_in_shanghai(self):
        if not self.env.ref("service_quality.calendar_service_demo", raise_if_not_found=False):
            self.skipTest("no demo data")
        company = self.env.ref("base.main_company")
        self.assertEqual(company.partner_id.tz, "Asia/Shanghai")
        self.assertEqual(company.resource_calendar_id.tz, "Asia/Shanghai")


@tagged("post_install", "-at_install")
class TestPortalOrderPage(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.partner_id.tz = "Asia/Shanghai"
        cls.customer = cls.env["res.partner"].create(
            {"name": "Zhou Min", "email": "zhou.min@example.com", "tz": False}
        )
        cls.portal_user = new_test_user(
            cls.env,
            "sq_bc_portal",
            groups="base.group_portal",
            partner_id=cls.customer.id,
            password="sq_bc_portal",
        )
        # the customer's partner is the portal user's
        cls.customer.tz = False
        cls.order = cls.env["service.order"].create(
            {"partner_id": cls.customer.id, "appliance": "Midea fridge"}
        )
        cls.order.sudo()._with_workflow_pass().write({"received_at": datetime(2026, 12, 7, 9, 0)})
        cls.order._portal_ensure_token()

    def _assert_no_purchase_breadcrumb(self, html):
        for purchase in ("Purchase Orders", "Requests for Quotation", "/my/purchase", "/my/rfq"):
            self.assertNotIn(purchase, html)

    def _breadcrumbs(self, html):
        crumbs = re.search(r'<ol class="o_portal_submenu[^"]*"[^>]*>(.*?)</ol>', html, re.S)
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", crumbs.group(1))).strip()

    def test_order_link_from_an_email_in_customers_time_zone(self):
        page = self.url_open(
            f"/my/service_orders/{self.order.id}?access_token={self.order.access_token}"
        )
        self.assertEqual(page.status_code, 200)
        self.assertIn("Midea fridge", page.text)
        # 09:00 UTC: 17:00 in the company's time zone (the customer has none)
        self.assertIn("12/07/2026 17:00", page.text)
        self.assertNotIn("12/07/2026 09:00", page.text)
        self._assert_no_purchase_breadcrumb(page.text)
        # a customer with a time zone reads his
        self.customer.tz = "Europe/London"
        page = self.url_open(
            f"/my/service_orders/{self.order.id}?access_token={self.order.access_token}"
        )
        self.assertIn("12/07/2026 09:00", page.text)

    def test_portal_pages_show_their_own_breadcrumbs(self):
        self.portal_user.tz = "Europe/Paris"
        self.authenticate("sq_bc_portal", "sq_bc_portal")
        page = self.url_open(f"/my/service_orders/{self.order.id}")
        self.assertEqual(page.status_code, 200)
        self._assert_no_purchase_breadcrumb(page.text)
        self.assertEqual(self._breadcrumbs(page.text), f"Service Orders {self.order.name}")
        self.assertIn('<a href="/my/service_orders">Service Orders</a>', page.text)
        # the logged-in customer reads his own time zone
        self.assertIn("12/07/2026 10:00", page.text)
        listing = self.url_open("/my/service_orders")
        self._assert_no_purchase_breadcrumb(listing.text)
        self.assertEqual(self._breadcrumbs(listing.text), "Service Orders")
        # the complaint form lists the customer's orders
        new = self.url_open("/my/complaints/new")
        self.assertEqual(new.status_code, 200)
        self.assertIn(self.order.name, new.text)
        self._assert_no_purchase_breadcrumb(new.text)
        self.assertEqual(self._breadcrumbs(new.text), "Complaints File a Complaint")
        complaint = self.env["service.complaint"].create(
            {
                "partner_id": self.customer.id,
                "service_order_id": self.order.id,
                "description": "<p>Still noisy</p>",
            }
        )
        detail = self.url_open(f"/my/complaints/{complaint.id}")
        self.assertEqual(detail.status_code, 200)
        self._assert_no_purchase_breadcrumb(detail.text)
        self.assertEqual(self._breadcrumbs(detail.text), f"Complaints {complaint.name}")
        complaints = self.url_open("/my/complaints")
        self._assert_no_purchase_breadcrumb(complaints.text)
        self.assertEqual(self._breadcrumbs(complaints.text), "Complaints")
