from datetime import date

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ContractCommon


@tagged("post_install", "-at_install")
class TestVisits(ContractCommon):
    def _run(self, xmlid):
        self.env.ref(f"service_contract.{xmlid}").method_direct_trigger()

    def test_orders_created_ahead_once(self):
        plan = self._approved_plan()
        with freeze_time("2031-01-20"):
            self._run("ir_cron_service_contract_visit_orders")
            ordered = plan.visit_ids.filtered("order_id")
            # lead time 14 days: January and February monthly, Q1 quarterly
            self.assertEqual(
                sorted(ordered.mapped("planned_date")),
                [date(2031, 1, 1), date(2031, 1, 1), date(2031, 2, 1)],
            )
            self.assertEqual(set(ordered.mapped("state")), {"ordered"})
            orders = ordered.order_id
            self.assertEqual(orders.contract_id, self.contract)
            self.assertEqual(orders.sla_policy_id, self.contract_policy)
            self.assertEqual(set(orders.mapped("team_id")), {self.team})
            self.assertEqual(orders.category_id, self.category)
            self._run("ir_cron_service_contract_visit_orders")
            self.assertEqual(
                self.env["service.order"].search_count(
                    [("contract_visit_id", "in", plan.visit_ids.ids)]
                ),
                3,
            )
        visit = ordered[0]
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            self._create_order(contract_visit_id=visit.id)

    def test_no_orders_before_approval(self):
        plan = self.env["service.contract.plan"].create(
            {"contract_id": self.contract.id, "year": 2031}
        )
        plan.action_generate_visits()
        with freeze_time("2031-01-20"):
            self._run("ir_cron_service_contract_visit_orders")
        self.assertFalse(plan.visit_ids.order_id)

    def _due_visits_contract(self, count):
        """A contract with ``count`` monthly products, all due in January."""
        partner = self.env["res.partner"].create({"name": f"Customer {count}"})
        installed = self.env["service.installed.product"].create(
            [{"product_id": self.appliance.id, "partner_id": partner.id} for _i in range(count)]
        )
        contract = self._make_contract(
            partner, lines=[(item, "annual") for item in installed], date_end="2031-01-31"
        )
        return self._approved_plan(contract)

    def test_order_job_queries_do_not_grow_with_batch(self):
        counts = []
        # the first round warms the caches up (sequences, metadata)
        for count in (3, 3, 9):
            plan = self._due_visits_contract(count)
            self.env.invalidate_all()
            with freeze_time("2031-01-02"):
                before = self.cr.sql_log_count
                self.env["service.contract.visit"]._cron_create_orders()
                counts.append(self.cr.sql_log_count - before)
            self.assertEqual(len(plan.visit_ids.order_id), count)
        self.assertEqual(counts[1], counts[2], f"queries for 3 and 9 visits: {counts[1:]}")

    def test_missed_visit_flagged_on_contract_and_kpi(self):
        plan = self._approved_plan()
        with freeze_time("2031-01-20"):
            self._run("ir_cron_service_contract_visit_orders")
        january = plan.visit_ids.filtered(
            lambda v: v.installed_product_id == self.installed_2
            and v.period_start == date(2031, 1, 1)
        )
        january.order_id.sudo().write({"state": "done"})
        self.assertEqual(january.state, "done")
        with freeze_time("2031-02-28"):
            self._run("ir_cron_service_contract_visit_missed")
            self.assertFalse(plan.visit_ids.filtered("missed"), "January done, others not over")
        with freeze_time("2031-04-01"):
            self._run("ir_cron_service_contract_visit_missed")
            missed = plan.visit_ids.filtered(lambda v: v.state == "missed")
            # February and March monthly, Q1 quarterly
            self.assertEqual(len(missed), 3)
            self._run("ir_cron_service_contract_visit_missed")
        self.assertEqual(self.contract.missed_visit_count, 3)
        self.assertEqual(self.contract.compliance_rate, 25.0)
        note = self.contract.message_ids.filtered(lambda m: "missed" in (m.body or ""))
        self.assertEqual(len(note), 1)
        kpi = self.env["service.kpi.report"].get_kpi_values(
            [("contract_id", "=", self.contract.id), ("row_type", "=", "visit")]
        )
        self.assertEqual(kpi["contract_compliance_rate"], 25.0)

    def test_planned_parts_in_forecast(self):
        plan = self._approved_plan()
        self.env.flush_all()
        Forecast = self.env["service.parts.forecast"]
        rows = Forecast.search(
            [("source", "=", "planned_visit"), ("contract_visit_id", "in", plan.visit_ids.ids)]
        )
        self.assertEqual(len(rows), 4, "one row per quarterly visit with parts")
        self.assertEqual(set(rows.mapped("quantity")), {2.0})
        self.assertEqual(rows.product_id, self.filter_part)
        self.assertTrue(all(row.id < 0 for row in rows))
        with freeze_time("2031-01-20"):
            self._run("ir_cron_service_contract_visit_orders")
        self.env.flush_all()
        rows = Forecast.search(
            [("source", "=", "planned_visit"), ("contract_visit_id", "in", plan.visit_ids.ids)]
        )
        self.assertEqual(len(rows), 3, "the ordered visit left the planned demand")
        # a visit overdue and not ordered yet is still needed: today, not in a past week
        late = rows.contract_visit_id[:1]
        late.planned_date = "2020-01-15"
        self.env.flush_all()
        self.env.invalidate_all()  # the view's rows keep their ids
        row = Forecast.search([("contract_visit_id", "=", late.id)])
        self.env.cr.execute("SELECT CURRENT_DATE")
        (today,) = self.env.cr.fetchone()
        self.assertEqual(row.date, today)

    def test_technician_reads_own_visits_only(self):
        plan = self._approved_plan()
        with freeze_time("2031-01-20"):
            self._run("ir_cron_service_contract_visit_orders")
        mine = plan.visit_ids.filtered("order_id")[0]
        mine.order_id.sudo().user_id = self.technician
        Visit = self.env["service.contract.visit"].with_user(self.technician)
        self.assertEqual(Visit.search([]), mine)
        with self.assertRaises(AccessError):
            mine.with_user(self.technician).write({"planned_date": "2031-01-05"})
        self.assertEqual(
            len(
                self.env["service.contract.visit"]
                .with_user(self.dispatcher)
                .search([("plan_id", "=", plan.id)])
            ),
            16,
        )
