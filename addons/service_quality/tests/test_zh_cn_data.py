"""Chinese all the way, on a database built as ``make run`` builds it (the
test command builds it that way): records loaded from data and demo files,
the completion email and the rating page read in zh_CN by a zh_CN reader,
without loading any translation here."""

from odoo.tests import HttpCase, tagged

from .order_common import ServiceOrderCommon


def zh(record):
    return record.with_context(lang="zh_CN")


@tagged("post_install", "-at_install")
class TestZhCnData(ServiceOrderCommon):
    def test_language_installed_next_to_english(self):
        langs = self.env["res.lang"].search([]).mapped("code")
        self.assertIn("zh_CN", langs, "the database must be built with zh_CN (scripts/common.sh)")
        self.assertIn("en_US", langs)

    def test_data_records_in_chinese(self):
        ref = self.env.ref
        for xmlid, english, chinese in (
            ("service_quality.service_complaint_category_service_quality", None, None),
            ("service_quality.service_complaint_category_attitude", None, None),
            ("service_quality.retention_policy_service_complaint",
             "Complaints: 3 years after closure", "投诉\uff1a关闭后保存 3 年"),
            ("service_quality.category_washing_demo", "Washing machine repair", "洗衣机维修"),
            ("service_quality.team_home_appliance_demo", None, None),
            ("service_quality.mail_activity_type_return_visit", "Return Visit", None),
        ):  # fmt: skip
            record = ref(xmlid)
            name_en = record.with_context(lang="en_US").name
            name_zh = zh(record).name
            if english:
                self.assertEqual(name_en, english)
            if chinese:
                self.assertEqual(name_zh, chinese)
            self.assertNotEqual(name_zh, name_en, f"{xmlid} has no Chinese name")
            self.assertRegex(name_zh, r"[\u4e00-\u9fff]", xmlid)

    def test_mail_templates_in_chinese(self):
        for xmlid in (
            "service_quality.mail_template_service_order_done",
            "service_quality.mail_template_service_order_received",
        ):
            template = self.env.ref(xmlid)
            self.assertNotEqual(zh(template).subject, template.with_context(lang="en_US").subject)
            self.assertRegex(zh(template).body_html, r"[\u4e00-\u9fff]", xmlid)

    def test_completion_email_reaches_a_chinese_customer_in_chinese(self):
        self.customer.lang = "zh_CN"
        order = self._walk_to(self._create_order(), "done")
        self.env.ref("service_quality.ir_cron_service_order_completion").method_direct_trigger()
        mail = (
            self.env["mail.mail"]
            .search([("model", "=", "service.order"), ("res_id", "=", order.id)])
            .filtered(lambda m: "/service/rate/" in m.body_html)
        )
        self.assertEqual(len(mail), 1)
        self.assertIn("已完成", mail.subject)
        self.assertIn("评价服务", mail.body_html)
        # the link opens the rating page in Chinese
        self.assertIn(f"/zh_CN/service/rate/{order.id}/", mail.body_html)

    def test_retention_policy_names_its_dates_by_label(self):
        policy = self.env.ref("service_quality.retention_policy_service_order")
        self.assertEqual(policy.date_field, "closed_at")
        label = self.env["service.order"]._fields["closed_at"].string
        self.assertEqual(policy.with_context(lang="en_US").date_field_label, label)
        self.assertNotIn("_", policy.with_context(lang="en_US").min_date_field_label)
        self.assertRegex(zh(policy).date_field_label, r"[\u4e00-\u9fff]")
        policy.date_field = "partner_id.create_date"
        self.assertEqual(
            policy.with_context(lang="en_US").date_field_label, "Customer > Created on"
        )


@tagged("post_install", "-at_install")
class TestZhCnRatingPage(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create(
            {"name": "Zhou Hui", "email": "zhou.hui@example.com", "lang": "zh_CN"}
        )
        cls.order = cls.env["service.order"].create(
            {
                "partner_id": cls.customer.id,
                "appliance": "Haier washer",
                "category_id": cls.env.ref("service_quality.category_washing_demo").id,
            }
        )
        cls.order.sudo()._with_workflow_pass().write(
            {"state": "done", "resolved_at": "2026-03-02 10:00:00"}
        )

    def test_rating_link_opens_in_the_customers_language(self):
        url = self.order._get_rating_url()
        self.assertIn("/zh_CN/service/rate/", url)
        page = self.url_open(url[len(self.order.get_base_url()) :])
        self.assertEqual(page.status_code, 200)
        for chinese in ("及时性", "洗衣机维修"):  # Timeliness, the category
            self.assertIn(chinese, page.text)
        for english in ("Timeliness", "Price Transparency", "Washing machine repair"):
            self.assertNotIn(english, page.text)
