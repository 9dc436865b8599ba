from datetime import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common import InstalledBaseCommon


@tagged("post_install", "-at_install")
class TestWarranty(InstalledBaseCommon):
    def test_manufacturer_warranty_end_is_last_covered_day(self):
        self.assertEqual(str(self.installed.warranty_start), "2025-01-15")
        self.assertEqual(str(self.installed.warranty_end), "2026-01-14")
        last_day = self._order_on(received_at=datetime(2026, 1, 14, 23, 59))
        self.assertEqual(last_day.warranty, "in")
        self.assertEqual(last_day.warranty_kind, "manufacturer")
        self.assertEqual(str(last_day.warranty_end), "2026-01-14")
        self.assertIn("2026", last_day.warranty_note)
        day_after = self._order_on(received_at=datetime(2026, 1, 15, 0, 0))
        self.assertEqual(day_after.warranty, "out")
        self.assertFalse(day_after.warranty_kind)
        self.assertTrue(day_after.warranty_note.startswith("Out of warranty since"))

    def test_status_today_follows_the_date(self):
        Installed = self.env["service.installed.product"]
        with freeze_time("2026-01-14 12:00:00"):
            self.installed.invalidate_recordset(["warranty_status"])
            self.assertEqual(self.installed.warranty_status, "manufacturer")
            self.assertIn(
                self.installed, Installed.search([("warranty_status", "=", "manufacturer")])
            )
        with freeze_time("2026-01-15 12:00:00"):
            self.installed.invalidate_recordset(["warranty_status"])
            self.assertEqual(self.installed.warranty_status, "expired")
            self.assertIn(self.installed, Installed.search([("warranty_status", "=", "expired")]))
            self.assertNotIn(
                self.installed, Installed.search([("warranty_status", "!=", "expired")])
            )

    def test_extended_warranty_takes_over(self):
        self.installed.write(
            {"extended_warranty_ref": "EW-2025-17", "extended_warranty_end": "2027-01-14"}
        )
        order = self._order_on(received_at=datetime(2026, 6, 1, 9, 0))
        self.assertEqual(order.warranty, "in")
        self.assertEqual(order.warranty_kind, "extended")
        self.assertIn("EW-2025-17", order.warranty_note)
        with freeze_time("2027-01-15 10:00:00"):
            late = self._order_on(received_at=datetime(2027, 1, 15, 9, 0))
        self.assertEqual(late.warranty, "out")
        with freeze_time("2026-06-01"):
            self.installed.invalidate_recordset(["warranty_status"])
            self.assertEqual(self.installed.warranty_status, "extended")

    def test_extended_warranty_needs_contract_and_later_end(self):
        with self.assertRaisesRegex(Exception, "contract reference"):
            self.installed.write({"extended_warranty_end": "2027-01-14"})
        with self.assertRaisesRegex(Exception, "must end after"):
            self.installed.write(
                {"extended_warranty_ref": "EW-1", "extended_warranty_end": "2025-06-01"}
            )

    def test_repeat_repair_within_repair_warranty(self):
        with freeze_time("2026-03-01 10:00:00"):
            first = self._order_on(received_at=datetime(2026, 2, 27, 9, 0))
            self._walk_to(first, "done")
        self.assertEqual(first.warranty, "out")
        self.assertEqual(str(first.resolved_at.date()), "2026-03-01")
        # day 90 after the repair: still covered
        repeat = self._order_on(received_at=datetime(2026, 5, 30, 9, 0))
        self.assertTrue(repeat.is_repeat_repair)
        self.assertEqual(repeat.repeat_of_id, first)
        self.assertEqual(repeat.warranty, "in")
        self.assertEqual(repeat.warranty_kind, "repair")
        self.assertIn(first.name, repeat.warranty_note)
        self.assertIn("90", repeat.warranty_note)
        # day 91: chargeable again
        later = self._order_on(received_at=datetime(2026, 5, 31, 9, 0))
        self.assertFalse(later.is_repeat_repair)
        self.assertEqual(later.warranty, "out")
        # another fault (category) is not a repeat repair
        other = self.env["service.category"].create({"name": "Door seal"})
        other_fault = self._order_on(received_at=datetime(2026, 3, 10, 9, 0), category=other)
        self.assertFalse(other_fault.is_repeat_repair)

    def test_order_without_installed_product_keeps_manual_warranty(self):
        order = self._create_order(warranty="in", warranty_end="2030-01-01")
        self.assertEqual(order.warranty, "in")
        self.assertFalse(order.warranty_kind)
        self.assertEqual(order.warranty_note[:10], "In warrant")

    def test_service_report_says_why(self):
        order = self._order_on(received_at=datetime(2025, 6, 1, 9, 0))
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("service_quality.report_service_order", order.ids)[0]
            .decode()
        )
        self.assertIn("In warranty until", html)

    def test_repeat_repair_follows_later_changes(self):
        with freeze_time("2026-03-01 10:00:00"):
            first = self._order_on(received_at=datetime(2026, 2, 27, 9, 0))
            self._walk_to(first, "done")
        repeat = self._order_on(received_at=datetime(2026, 4, 1, 9, 0))
        self.assertTrue(repeat.is_repeat_repair)
        # the earlier order was of another fault after all (corrected by
        # reopening it): the open one is chargeable
        other = self.env["service.category"].create({"name": "Door seal"})
        self._correct_done(first, {"category_id": other.id})
        self.assertFalse(repeat.is_repeat_repair)
        self.assertEqual(repeat.warranty, "out")
        self._correct_done(first, {"category_id": self.category.id})
        self.assertEqual(str(first.resolved_at), "2026-03-01 10:00:00")
        self.assertEqual(repeat.repeat_of_id, first)
        self.assertEqual(repeat.warranty_kind, "repair")
        # its own category, then its reception date beyond the repair warranty
        repeat.category_id = other
        self.assertFalse(repeat.is_repeat_repair)
        repeat.category_id = self.category
        self.assertTrue(repeat.is_repeat_repair)
        repeat.received_at = datetime(2026, 6, 15, 9, 0)
        self.assertFalse(repeat.is_repeat_repair)
        repeat.received_at = datetime(2026, 4, 1, 9, 0)
        self.assertTrue(repeat.is_repeat_repair)
        # the earlier order's completion corrected to after the reception
        # (the completion time is the system's: corrected as the superuser)
        first.sudo().resolved_at = datetime(2026, 4, 2, 9, 0)
        self.assertFalse(repeat.is_repeat_repair)
        first.sudo().resolved_at = datetime(2026, 3, 1, 10, 0)
        self.assertTrue(repeat.is_repeat_repair)
        # the earlier order moved to another appliance of the customer
        installed_2 = self.env["service.installed.product"].create(
            {
                "product_id": self.appliance.id,
                "lot_id": self.lot_2.id,
                "partner_id": self.customer.id,
                "install_date": "2025-01-15",
            }
        )
        self._correct_done(first, {"installed_product_id": installed_2.id})
        self.assertFalse(repeat.is_repeat_repair)
        # the open order moved there too: a repeat again
        repeat.installed_product_id = installed_2
        self.assertEqual(repeat.repeat_of_id, first)

    def test_repeat_repair_rate_in_kpi_report(self):
        with freeze_time("2026-03-01 10:00:00"):
            first = self._order_on(received_at=datetime(2026, 2, 27, 9, 0))
            self._walk_to(first, "done")
        repeat = self._order_on(received_at=datetime(2026, 4, 1, 9, 0))
        fresh = self._order_on(received_at=datetime(2026, 8, 1, 9, 0))
        loose = self._create_order(received_at=datetime(2026, 4, 1, 9, 0))
        orders = first | repeat | fresh | loose
        Report = self.env["service.kpi.report"].with_user(self.manager)
        values = Report.get_kpi_values([("service_order_id", "in", orders.ids)])
        # one repeat among the three orders on an installed product
        self.assertAlmostEqual(values["repeat_repair_rate"], 100.0 / 3)
        self.assertEqual(values["repeat_repair_rate_count"], 3)
        by_technician = {
            values["user_id"]: values["repeat_repair_rate"]
            for values in Report.get_kpi_values(
                [("service_order_id", "in", orders.ids), ("row_type", "=", "order")],
                ["user_id"],
            )
        }
        self.assertAlmostEqual(by_technician[self.technician], 100.0 / 3)
        self.assertIsNone(by_technician[self.env["res.users"]], "no installed product")
        self._correct_done(
            first, {"category_id": self.env["service.category"].create({"name": "Door seal"}).id}
        )
        values = Report.get_kpi_values([("service_order_id", "in", orders.ids)])
        self.assertEqual(values["repeat_repair_rate"], 0.0)
