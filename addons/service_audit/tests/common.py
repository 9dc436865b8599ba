from contextlib import contextmanager
from datetime import datetime

from odoo.tests.common import TransactionCase

from odoo.addons.service_quality.tests.common import create_role_users


class ServiceAuditCommon(TransactionCase):
    """Role users, a second company, a team and helpers creating orders and
    complaints received on given days (no demo data)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.company_2 = cls.env["res.company"].create({"name": "Guangzhou Service Co."})
        create_role_users(
            cls,
            {
                "technician": ("sa_tech", "technician", "Tess Technician"),
                "inspector": ("sa_inspect", "inspector", "Quinn Inspector"),
                "inspector_2": ("sa_inspect2", "inspector", "Ivy Inspector"),
                "manager": ("sa_manager", "manager", "Max Manager"),
                "employee": ("sa_employee", "employee", "Eve Employee"),
            },
        )
        create_role_users(
            cls,
            {
                "inspector_other_company": (
                    "sa_inspect_gz",
                    "inspector",
                    "Gao Inspector",
                    {"company_id": cls.company_2.id, "company_ids": [(6, 0, cls.company_2.ids)]},
                ),
            },
        )
        cls.customer = cls.env["res.partner"].create({"name": "Chen Wei"})
        cls.category = cls.env["service.category"].create({"name": "Washing machine repair"})
        cls.team = cls.env["service.team"].create({"name": "Shanghai North"})
        cls.team_2 = cls.env["service.team"].create({"name": "Shanghai South"})
        cls.complaint_category = cls.env.ref(
            "service_quality.service_complaint_category_repair_result"
        )

    @contextmanager
    def assertRefused(self, exception, regex):
        """``assertRaisesRegex`` that also rolls back what the refused call
        put in the cache or the database (``assertRaises`` does, inside a
        savepoint): what the test reads next is what a refused call leaves."""
        with self.assertRaises(exception) as caught:
            yield caught
        self.assertRegex(str(caught.exception), regex)

    @classmethod
    def _orders(cls, count, day, team=None):
        return cls.env["service.order"].create(
            [
                {
                    "partner_id": cls.customer.id,
                    "category_id": cls.category.id,
                    "team_id": (team or cls.team).id,
                    "received_at": datetime.combine(day, datetime.min.time()).replace(hour=9),
                }
                for _index in range(count)
            ]
        )

    @classmethod
    def _complaints(cls, count, day, order=None):
        return cls.env["service.complaint"].create(
            [
                {
                    "partner_id": cls.customer.id,
                    "service_order_id": order.id if order else False,
                    "category_id": cls.complaint_category.id,
                    "description": "<p>The washing machine still leaks.</p>",
                    "received_at": datetime.combine(day, datetime.min.time()).replace(hour=10),
                }
                for _index in range(count)
            ]
        )
