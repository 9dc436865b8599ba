from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ContractCommon


@tagged("post_install", "-at_install")
class TestPlan(ContractCommon):
    def test_generated_visits_per_asset_and_period(self):
        plan = self.env["service.contract.plan"].create(
            {"contract_id": self.contract.id, "year": 2031}
        )
        plan.with_user(self.dispatcher).action_generate_visits()
        quarterly = plan.visit_ids.filtered(lambda v: v.installed_product_id == self.installed)
        monthly = plan.visit_ids - quarterly
        self.assertEqual(len(quarterly), 4)
        self.assertEqual(len(monthly), 12)
        self.assertEqual(
            [(v.period_start, v.period_end) for v in quarterly.sorted("period_start")],
            [
                (date(2031, 1, 1), date(2031, 3, 31)),
                (date(2031, 4, 1), date(2031, 6, 30)),
                (date(2031, 7, 1), date(2031, 9, 30)),
                (date(2031, 10, 1), date(2031, 12, 31)),
            ],
        )
        self.assertEqual(set(plan.visit_ids.mapped("state")), {"planned"})
        # regenerating a draft replaces the visits, no duplicates
        plan.with_user(self.dispatcher).action_generate_visits()
        self.assertEqual(plan.visit_count, 16)

    def test_contract_starting_mid_year_gets_later_periods_only(self):
        contract = self._make_contract(self.customer, lines=[], date_start="2031-05-10")
        contract.line_ids.frequency = "semi_annual"
        plan = self.env["service.contract.plan"].create({"contract_id": contract.id, "year": 2031})
        plan.action_generate_visits()
        self.assertEqual(len(plan.visit_ids), 2)
        first = plan.visit_ids.sorted("period_start")[0]
        self.assertEqual(first.planned_date, date(2031, 5, 10))

    def test_two_level_approval(self):
        plan = (
            self.env["service.contract.plan"]
            .with_user(self.dispatcher)
            .create({"contract_id": self.contract.id, "year": 2031})
        )
        with self.assertRaisesRegex(UserError, "no planned visit"):
            plan.action_submit()
        plan.action_generate_visits()
        with self.assertRaises(AccessError):
            plan.with_user(self.technician).action_submit()
        plan.action_submit()
        self.assertEqual(plan.submitted_by_id, self.dispatcher)
        with self.assertRaises(AccessError):
            plan.with_user(self.dispatcher).action_approve()
        with freeze_time("2030-12-15"):
            plan.with_user(self.manager).action_approve()
        self.assertEqual(plan.state, "approved")
        self.assertEqual(plan.approved_by_id, self.manager)
        self.assertEqual(plan.approved_on, date(2030, 12, 15))

    def test_manager_cannot_approve_own_plan(self):
        plan = (
            self.env["service.contract.plan"]
            .with_user(self.manager)
            .create({"contract_id": self.contract.id, "year": 2031})
        )
        plan.action_generate_visits()
        plan.action_submit()
        with self.assertRaisesRegex(UserError, plan.name):
            plan.action_approve()
        self.assertEqual(plan.state, "submitted")
        plan.with_user(self.manager_2).action_approve()
        self.assertEqual(plan.approved_by_id, self.manager_2)

    def test_one_plan_per_contract_and_year(self):
        self._approved_plan()
        with self.assertRaisesRegex(UserError, self.contract.name):
            self.env["service.contract.plan"].create(
                {"contract_id": self.contract.id, "year": 2031}
            )

    def test_quarterly_review_due_and_reminded_once(self):
        plan = self._approved_plan()
        cron = self.env.ref("service_contract.ir_cron_service_contract_plan_review")
        with freeze_time("2031-03-20"):
            self.assertFalse(plan.review_due)
            cron.method_direct_trigger()
            self.assertFalse(plan.activity_ids)
        with freeze_time("2031-04-02"):
            plan.invalidate_recordset(["review_due"])
            self.assertEqual(plan.review_due, "q1")
            cron.method_direct_trigger()
            cron.method_direct_trigger()
            self.assertEqual(len(plan.activity_ids), 1)
            self.assertEqual(plan.activity_ids.user_id, self.dispatcher)
            review = (
                self.env["service.contract.plan.review"]
                .with_user(self.manager)
                .create(
                    {
                        "plan_id": plan.id,
                        "quarter": "q1",
                        "findings": "<p>Filter clogged on the first visit</p>",
                        "plan_changes": "<p>Second visit moved forward</p>",
                    }
                )
            )
            self.assertEqual(review.reviewer_id, self.manager)
            plan.invalidate_recordset(["review_due"])
            self.assertFalse(plan.review_due)
            self.assertFalse(plan.activity_ids)

    def test_review_needs_approved_plan(self):
        plan = self.env["service.contract.plan"].create(
            {"contract_id": self.contract.id, "year": 2031}
        )
        with self.assertRaisesRegex(UserError, plan.name):
            self.env["service.contract.plan.review"].create({"plan_id": plan.id, "quarter": "q1"})
        with self.assertRaises(AccessError):
            self.env["service.contract.plan.review"].with_user(self.technician).create(
                {"plan_id": plan.id, "quarter": "q1"}
            )
