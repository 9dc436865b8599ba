from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.service_quality.tests.common import create_role_users

from .common import ServiceSaleCommon


@tagged("post_install", "-at_install")
class TestAccess(ServiceSaleCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        create_role_users(cls, {"other_portal": ("ss_portal2", "portal", None)})

    def setUp(self):
        super().setUp()
        self.order, self.quote = self._quoted_order()

    def test_technician_sees_no_price_by_default(self):
        quote = self.quote.with_user(self.technician)
        self.assertEqual(quote.line_ids.mapped("quantity"), [2.0, 1.0])
        with self.assertRaises(AccessError):
            quote.line_ids.mapped("price_unit")
        with self.assertRaises(AccessError):
            _total = quote.amount_total
        self.assertFalse(self.technician.has_group("service_sale.group_service_prices"))

    def test_setting_lets_technicians_see_prices(self):
        settings = self.env["res.config.settings"].create({"group_service_technician_prices": True})
        settings.execute()
        self.assertTrue(self.technician.has_group("service_sale.group_service_prices"))
        quote = self.quote.with_user(self.technician)
        self.assertAlmostEqual(quote.amount_total, 209.0)
        self.assertEqual(sorted(quote.line_ids.mapped("price_unit")), [50.0, 90.0])

    def test_dispatcher_always_sees_prices(self):
        self.assertAlmostEqual(self.quote.with_user(self.dispatcher).amount_total, 209.0)

    def test_technician_sees_only_quotes_of_his_orders(self):
        Quote = self.env["service.quote"]
        self.assertEqual(
            Quote.with_user(self.technician).search([("id", "=", self.quote.id)]), self.quote
        )
        self.assertFalse(Quote.with_user(self.technician_2).search([("id", "=", self.quote.id)]))
        with self.assertRaises(AccessError):
            self.quote.with_user(self.technician_2).read(["name"])

    def test_portal_customer_sees_own_sent_quotes_only(self):
        Quote = self.env["service.quote"]
        self.assertEqual(Quote.with_user(self.portal_user).search([]), self.quote)
        self.assertFalse(Quote.with_user(self.other_portal).search([]))
        with self.assertRaises(AccessError):
            self.quote.with_user(self.portal_user).write({"reject_reason": "x"})

    def test_revenue_report_for_dispatchers_not_employees(self):
        Report = self.env["service.sale.report"]
        Report.with_user(self.dispatcher).search([])
        with self.assertRaises(AccessError):
            Report.with_user(self.employee).search([])
