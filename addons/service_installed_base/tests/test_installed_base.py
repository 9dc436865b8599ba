from datetime import datetime

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common import InstalledBaseCommon


@tagged("post_install", "-at_install")
class TestInstalledBase(InstalledBaseCommon):
    def test_done_installation_registers_installed_product(self):
        order = self._create_order(
            category_id=self.category_install.id,
            product_id=self.appliance.id,
            lot_id=self.lot_2.id,
            user_id=self.technician.id,
            appointment_start=datetime(2031, 6, 2, 8, 0),
            appointment_end=datetime(2031, 6, 2, 10, 0),
        )
        self._walk_to(order, "done")
        installed = order.installed_product_id
        self.assertTrue(installed)
        self.assertEqual(installed.lot_id, self.lot_2)
        self.assertEqual(installed.serial_number, "WM8-0002")
        self.assertEqual(installed.partner_id, self.customer)
        self.assertEqual(installed.install_order_id, order)
        self.assertEqual(installed.install_date, order.accepted_on.date())
        self.assertEqual(installed.warranty_months, 12)
        self.assertTrue(installed.name.startswith("IB"))
        self.assertIn(installed.name, order.message_ids[0].body)

    def test_repair_order_is_not_an_installation(self):
        order = self._create_order(
            product_id=self.appliance.id,
            lot_id=self.lot_2.id,
            user_id=self.technician.id,
            appointment_start=datetime(2031, 6, 3, 8, 0),
            appointment_end=datetime(2031, 6, 3, 10, 0),
        )
        self._walk_to(order, "done")
        self.assertFalse(order.installed_product_id)

    def test_order_form_picks_installed_product(self):
        form = Form(self.env["service.order"].with_user(self.dispatcher))
        form.installed_product_id = self.installed
        self.assertEqual(form.partner_id, self.customer)
        self.assertEqual(form.product_id, self.appliance)
        self.assertEqual(form.lot_id, self.lot)
        self.assertEqual(form.serial_number, "WM8-0001")
        self.assertIn("Front-loader", form.appliance)
        order = form.save()
        self.assertEqual(order.installed_product_id.order_count, 1)

    def test_search_by_serial_customer_and_phone(self):
        Installed = self.env["service.installed.product"].with_user(self.dispatcher)
        for text in ("WM8-0001", self.customer.name, "5555 0101"):
            self.assertIn(self.installed.id, [r[0] for r in Installed.name_search(text)], text)
        self.assertFalse(Installed.name_search("NO-SUCH-SERIAL"))

    def test_installed_product_of_another_customer_is_refused(self):
        other = self.env["res.partner"].create({"name": "Li Na"})
        with self.assertRaisesRegex(ValidationError, "belongs to"):
            self._create_order(installed_product_id=self.installed.id, partner_id=other.id)

    def test_lot_of_another_product_is_refused(self):
        other = self.env["product.product"].create(
            {"name": "Dryer", "tracking": "serial", "is_storable": True}
        )
        with self.assertRaisesRegex(ValidationError, "belongs to"):
            self.env["service.installed.product"].create(
                {"product_id": other.id, "lot_id": self.lot_2.id, "partner_id": self.customer.id}
            )

    def test_history_counts_and_customer_button(self):
        order = self._order_on(received_at=datetime(2025, 6, 1, 9, 0))
        self.env["service.complaint"].create(
            {"partner_id": self.customer.id, "service_order_id": order.id, "description": "Noisy"}
        )
        self.installed.invalidate_recordset()
        self.assertEqual(self.installed.order_count, 1)
        self.assertEqual(self.installed.complaint_count, 1)
        action = self.installed.action_view_complaints()
        self.assertEqual(len(self.env["service.complaint"].search(action["domain"])), 1)
        action = self.installed.action_view_orders()
        self.assertEqual(self.env["service.order"].search(action["domain"]), order)
        self.assertEqual(self.customer.installed_product_count, 1)
        action = self.customer.action_view_installed_products()
        self.assertEqual(
            self.env["service.installed.product"].search(action["domain"]), self.installed
        )

    def test_access_technician_reads_dispatcher_edits(self):
        Installed = self.env["service.installed.product"]
        self.assertTrue(
            Installed.with_user(self.technician).search([("id", "=", self.installed.id)])
        )
        with self.assertRaises(AccessError):
            Installed.with_user(self.technician).create(
                {"product_id": self.appliance.id, "partner_id": self.customer.id}
            )
        with self.assertRaises(AccessError):
            self.installed.with_user(self.technician).write({"install_date": "2025-02-01"})
        self.installed.with_user(self.dispatcher).write({"install_date": "2025-02-01"})
        self.assertEqual(str(self.installed.warranty_end), "2026-01-31")
        with self.assertRaises(AccessError):
            self.installed.with_user(self.dispatcher).unlink()
        with self.assertRaises(AccessError):
            Installed.with_user(self.portal_user).search([])
