from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import ServicePartsCommon


@tagged("post_install", "-at_install")
class TestForecast(ServicePartsCommon):
    def test_forecast_per_part_warehouse_and_week(self):
        scheduled = self._order_with_parts((self.relay, 2), (self.board, 1))
        self._move_order_to(scheduled, "scheduled")  # 2030-03-04
        assessed = self._order_with_parts((self.relay, 5))
        self._move_order_to(assessed, "assessed")
        cancelled = self._order_with_parts((self.relay, 7))
        cancelled.with_user(self.dispatcher).action_cancel(reason="Duplicate request")
        consumed = self._order_with_parts((self.relay, 1), user=self.technician_2)
        self._move_order_to(consumed, "in_progress")
        consumed.with_user(self.technician_2).action_consume_parts()

        self.env.flush_all()
        Forecast = self.env["service.parts.forecast"].with_user(self.storekeeper)
        rows = Forecast.search([("service_order_id", "in", (scheduled | assessed).ids)])
        self.assertEqual(len(rows), 3)
        self.assertFalse(Forecast.search([("service_order_id", "in", (cancelled | consumed).ids)]))
        groups = Forecast._read_group(
            [
                ("product_id", "=", self.relay.id),
                ("service_order_id", "in", (scheduled | assessed).ids),
            ],
            ["warehouse_id", "source"],
            ["quantity:sum"],
        )
        self.assertEqual(
            sorted((wh, source, qty) for wh, source, qty in groups),
            [(self.warehouse, "order", 5.0), (self.warehouse, "reserved", 2.0)],
        )
        [(week, quantity)] = Forecast._read_group(
            [("service_order_id", "=", scheduled.id)], ["date:week"], ["quantity:sum"]
        )
        # the week of the appointment (it starts on Sunday or Monday by language)
        self.assertIn(week, (date(2030, 3, 3), date(2030, 3, 4)))
        self.assertEqual(quantity, 3.0)

    def test_forecast_access(self):
        Forecast = self.env["service.parts.forecast"]
        self.assertTrue(Forecast.with_user(self.buyer).has_access("read"))
        with self.assertRaises(AccessError):
            Forecast.with_user(self.technician).search([])
