from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import InstalledBaseCommon


@tagged("post_install", "-at_install")
class TestInstalledBaseIntegrity(InstalledBaseCommon):
    """Installed products with a service history stay; what covered a
    finished order stays; warranty periods and dates are checked."""

    def _done_order(self):
        with freeze_time("2025-06-03 10:00:00"):
            order = self._order_on(received_at=datetime(2025, 6, 1, 9, 0))
            self._walk_to(order, "done")
        self.assertEqual(order.warranty, "in")
        self.assertEqual(order.warranty_kind, "manufacturer")
        self.assertEqual(str(order.warranty_end), "2026-01-14")
        return order

    def test_installed_product_with_orders_is_archived_not_deleted(self):
        order = self._done_order()
        with self.assertRaisesRegex(
            UserError,
            rf"Installed product {self.installed.name} .*cannot be deleted: 1 service orders "
            r"refer to it\. Archive it instead\.",
        ):
            self.installed.with_user(self.ib_manager).unlink()
        self.assertTrue(self.installed.exists())
        self.assertEqual(order.installed_product_id, self.installed)
        self.assertEqual(order.warranty_kind, "manufacturer")
        # archived: the order keeps it and what covered it
        self.installed.with_user(self.ib_manager).action_archive()
        self.assertFalse(self.installed.active)
        self.assertEqual(order.installed_product_id, self.installed)
        self.assertEqual(order.warranty, "in")
        # a product registered by mistake, without any order, is deleted
        mistake = self.env["service.installed.product"].create(
            {
                "product_id": self.appliance.id,
                "lot_id": self.lot_2.id,
                "partner_id": self.customer.id,
            }
        )
        mistake.with_user(self.ib_manager).unlink()
        self.assertFalse(mistake.exists())

    def test_done_order_keeps_what_covered_it(self):
        order = self._done_order()
        open_order = self._order_on(received_at=datetime(2025, 6, 2, 9, 0))
        self.assertEqual(open_order.warranty_kind, "manufacturer")
        # the warranty turns out to be one month: the open order is chargeable,
        # the accepted one keeps what it was charged for
        self.installed.with_user(self.dispatcher).write({"warranty_months": 1})
        self.assertEqual(str(self.installed.warranty_end), "2025-02-14")
        self.assertEqual(open_order.warranty, "out")
        self.assertFalse(open_order.warranty_kind)
        self.assertEqual(order.warranty, "in")
        self.assertEqual(order.warranty_kind, "manufacturer")
        self.assertEqual(str(order.warranty_end), "2026-01-14")
        # nor are its appliance and warranty edited by hand
        installed_2 = self.env["service.installed.product"].create(
            {
                "product_id": self.appliance.id,
                "lot_id": self.lot_2.id,
                "partner_id": self.customer.id,
            }
        )
        for vals in (
            {"warranty": "out"},
            {"warranty_kind": False},
            {"installed_product_id": installed_2.id},
            {"installed_product_id": False},
        ):
            with self.assertRaisesRegex(UserError, rf"{order.name} is Done: .* can no longer"):
                order.with_user(self.manager).write(vals)
        self.assertEqual(order.installed_product_id, self.installed)
        self.assertEqual(order.warranty_kind, "manufacturer")
        # corrected by reopening it
        self._correct_done(order, {"installed_product_id": installed_2.id})
        self.assertEqual(order.installed_product_id, installed_2)
        self.assertEqual(order.state, "done")

    def test_warranty_period_is_bounded(self):
        Installed = self.env["service.installed.product"].with_user(self.dispatcher)
        for months in (-24, 601, 1000000, 2**31):
            with self.assertRaisesRegex(
                ValidationError,
                rf"Installed product {self.installed.name}: the warranty must be between 0 and "
                rf"600 months, not {months}\.",
            ):
                self.installed.with_user(self.dispatcher).write({"warranty_months": months})
            self.assertEqual(self.installed.warranty_months, 12)
            self.assertEqual(str(self.installed.warranty_end), "2026-01-14")
            with self.assertRaisesRegex(ValidationError, "between 0 and 600 months"):
                Installed.create(
                    {
                        "product_id": self.appliance.id,
                        "partner_id": self.customer.id,
                        "install_date": "2025-01-15",
                        "warranty_months": months,
                    }
                )
        # a product's own warranty too
        for months in (601, 2**31):
            with (
                self.assertRaisesRegex(ValidationError, "Front-loader WM-8: .* at most 600"),
                self.env.cr.savepoint(),
            ):
                self.appliance.write({"service_warranty_months": months})
            with self.assertRaisesRegex(ValidationError, "Dryer: .* at most 600"):
                self.env["product.product"].create(
                    {"name": "Dryer", "service_warranty_months": months}
                )
        self.assertEqual(self.appliance.service_warranty_months, 12)
        # fifty years and no warranty at all are fine
        form = Form(self.installed.with_user(self.dispatcher))
        form.warranty_months = 600
        form.save()
        self.assertEqual(str(self.installed.warranty_end), "2075-01-14")
        self.installed.with_user(self.dispatcher).write({"warranty_months": 0})
        self.assertFalse(self.installed.warranty_end)

    @freeze_time("2026-03-02 10:00:00")
    def test_install_and_sale_dates_are_checked(self):
        installed = self.installed.with_user(self.dispatcher)
        name = self.installed.name
        with (
            self.assertRaisesRegex(
                ValidationError,
                rf"Installed product {name}: the Installation Date .* is in the future",
            ),
            self.env.cr.savepoint(),
        ):
            installed.write({"install_date": "2099-01-01"})
        with (
            self.assertRaisesRegex(
                ValidationError, rf"Installed product {name}: the Sale Date .* is in the future"
            ),
            self.env.cr.savepoint(),
        ):
            installed.write({"sale_date": "2026-03-10"})
        with (
            self.assertRaisesRegex(
                ValidationError,
                rf"Installed product {name}: it was sold on .*, after its installation",
            ),
            self.env.cr.savepoint(),
        ):
            installed.write({"sale_date": "2025-02-01"})
        self.assertEqual(str(self.installed.install_date), "2025-01-15")
        self.assertFalse(self.installed.sale_date)
        installed.write({"sale_date": "2025-01-10", "install_date": "2026-03-02"})
        self.assertEqual(str(self.installed.warranty_start), "2026-03-02")
