from datetime import date, datetime, time, timedelta

from odoo import Command
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

    def test_forecast_counts_care_plan_parts(self):
        Plan = self.env["equipment.care.plan"]
        # the view dates care-plan demand from the database's day
        self.env.cr.execute("SELECT CURRENT_DATE")
        today = self.env.cr.fetchone()[0]
        tool_plan = Plan.create(
            {
                "name": "Gauge monthly service",
                "plan_type": "quarterly",
                "equipment_id": self.tool.id,
                "interval_days": 30,
                "lead_days": 5,
                "start_date": today + timedelta(days=10),
                "part_ids": [Command.create({"product_id": self.relay.id, "quantity": 2.0})],
            }
        )
        self.assertEqual(tool_plan.part_ids.location_id, self.stock)
        category_plan = Plan.create(
            {
                "name": "Multimeter quarterly service",
                "plan_type": "quarterly",
                "category_id": self.category.id,
                "start_date": today - timedelta(days=5),
                "part_ids": [Command.create({"product_id": self.board.id, "quantity": 1.0})],
            }
        )
        tools = category_plan._get_tools()[category_plan]
        self.assertGreaterEqual(len(tools), 2)
        self.env.flush_all()
        Forecast = self.env["service.parts.forecast"].with_user(self.buyer)
        rows = Forecast.search([("source", "=", "care_plan"), ("product_id", "=", self.relay.id)])
        # due in 10, 40 and 70 days: within the 12 weeks ahead
        self.assertEqual(rows.mapped("date"), [today + timedelta(days=d) for d in (10, 40, 70)])
        self.assertEqual(set(rows.mapped("quantity")), {2.0})
        self.assertEqual(rows.warehouse_id, self.warehouse)
        self.assertEqual(len(set(rows.ids)), 3)
        # overdue for every tool of the category: needed today, once per tool
        boards = Forecast.search([("source", "=", "care_plan"), ("product_id", "=", self.board.id)])
        self.assertEqual(len(boards), len(tools))
        self.assertEqual(set(boards.mapped("date")), {today})
        # an open request of the plan fixes the tool's next date
        self.env["maintenance.request"].create(
            {
                "name": "Gauge monthly service",
                "equipment_id": self.tool.id,
                "care_plan_id": tool_plan.id,
                "schedule_date": datetime.combine(today + timedelta(days=20), time(8, 0)),
            }
        )
        self.env.flush_all()
        self.env.invalidate_all()  # the view's rows keep their ids
        rows = Forecast.search([("source", "=", "care_plan"), ("product_id", "=", self.relay.id)])
        self.assertEqual(rows.mapped("date"), [today + timedelta(days=d) for d in (20, 50, 80)])
        # ids unique across the sources
        order = self._order_with_parts((self.relay, 1))
        self.env.flush_all()
        everything = Forecast.search([])
        self.assertEqual(len(everything.ids), len(set(everything.ids)))
        self.assertIn(order, everything.service_order_id)
        # archived plans are no demand
        tool_plan.active = False
        self.env.flush_all()
        self.env.invalidate_all()
        self.assertFalse(
            Forecast.search([("source", "=", "care_plan"), ("product_id", "=", self.relay.id)])
        )
