from datetime import date, datetime, timedelta

from odoo.tests.common import TransactionCase

from odoo.addons.service_quality.tests.common import (
    batch_queries,
    create_role_users,
    service_team,
)


class EquipmentCareCommon(TransactionCase):
    """Role users, a tool category, tools and a service order; no demo data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        keeper = "equipment_care.group_equipment_keeper"
        create_role_users(
            cls,
            {
                "keeper": ("ec_keeper", keeper, "Kim Keeper"),
                "keeper_2": ("ec_keeper2", keeper, "Kai Keeper"),
                **service_team("ec"),
                "stock_user": ("ec_stock", "stock.group_stock_user", "Wang Warehouse"),
            },
        )
        Employee = cls.env["hr.employee"]
        cls.emp_tech = Employee.create({"name": "Tess Technician", "user_id": cls.technician.id})
        cls.emp_tech_2 = Employee.create({"name": "Tom Technician", "user_id": cls.technician_2.id})
        cls.emp_keeper = Employee.create({"name": "Kim Keeper", "user_id": cls.keeper.id})
        cls.category = cls.env["maintenance.equipment.category"].create(
            {
                "name": "Test Multimeters",
                "tool_code_prefix": "TMM-",
                "inspection_interval_days": 30,
                "calibration_interval_days": 365,
            }
        )
        cls.today = date(2026, 3, 2)
        cls.now = datetime(2026, 3, 2, 9, 0)
        cls.tool = cls._create_tool("Fluke 117 multimeter")
        cls.tool_2 = cls._create_tool("Fluke 117 multimeter #2")
        cls.customer = cls.env["res.partner"].create({"name": "Li Na"})
        cls.order = cls.env["service.order"].create(
            {"partner_id": cls.customer.id, "user_id": cls.technician.id}
        )

    @classmethod
    def _create_tool(cls, name, **vals):
        return cls.env["maintenance.equipment"].create(
            dict(
                {
                    "name": name,
                    "category_id": cls.category.id,
                    "last_inspection_date": cls.today - timedelta(days=5),
                    "last_calibration_date": cls.today - timedelta(days=30),
                },
                **vals,
            )
        )

    def _checkout(self, tool=None, employee=None, order=None, user=None, hours=8):
        env = self.env(user=user) if user else self.env
        return env["equipment.checkout"].create(
            {
                "equipment_id": (tool or self.tool).id,
                "employee_id": (employee or self.emp_tech).id,
                "service_order_id": order.id if order else False,
                "expected_return_at": self.now + timedelta(hours=hours),
            }
        )

    # 1x1 transparent PNG, a stand-in for the customer's drawn signature
    SIGNATURE = (
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8"
        "AAAAASUVORK5CYII="
    )

    def _move_order_to(self, order, state):
        """Drive ``order`` up to ``state`` the way the service team does it:
        each step by the role allowed to take it, with the data it requires."""
        flow = ["assessed", "scheduled", "in_progress", "to_accept", "done"]
        for step in flow[: flow.index(state) + 1]:
            if step == "assessed":
                order.with_user(self.dispatcher).write(
                    {"diagnosis": "Display flickers", "plan": "Replace the control board"}
                )
                order.with_user(self.dispatcher).action_assess()
            elif step == "scheduled":
                order.with_user(self.dispatcher).write(
                    {
                        "user_id": order.user_id.id or self.technician.id,
                        "appointment_start": datetime(2030, 3, 4, 9, 0),
                        "appointment_end": datetime(2030, 3, 4, 11, 0),
                    }
                )
                order.with_user(self.dispatcher).action_schedule()
            elif step == "in_progress":
                order.with_user(order.user_id).action_start()
            elif step == "to_accept":
                order.with_user(order.user_id).write({"resolution": "Board replaced, test run OK"})
                order.with_user(order.user_id).action_finish()
            elif step == "done":
                self._sign(order)
                order.with_user(self.inspector).action_accept()
        return order

    def _sign(self, order):
        """The customer signs the acceptance on the technician's tablet."""
        order.with_user(order.user_id).write(
            {"customer_signature": self.SIGNATURE, "signed_by": order.partner_id.name}
        )

    def _assert_batch_queries_flat(
        self, job, make_records, created_at, run_at, batch_queries_budget
    ):
        """Run the escalation ``job`` at ``run_at`` on 1, 3 and 9 records made
        by ``make_records(count)`` at ``created_at``: a batch of 3 or 9 costs
        exactly ``batch_queries_budget`` (the batch of 1 warms the caches), and no
        message is left untranslated. Returns the records of each batch."""
        # the company's time zone is known (as in the demo data): the messages
        # print their times in it without reading the working calendar
        self.env.company.partner_id.tz = "Asia/Shanghai"
        runs = batch_queries(self, job, make_records, (1, 3, 9), run_at, created_at)
        self.assertEqual(runs[3][1], batch_queries_budget, "queries of a batch of 3")
        self.assertEqual(runs[3][1], runs[9][1])
        return {count: records for count, (records, _queries) in runs.items()}
