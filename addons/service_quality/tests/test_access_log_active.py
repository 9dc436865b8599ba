from odoo.tests import tagged

from .retention_common import RetentionCommon


@tagged("post_install", "-at_install")
class TestAccessLogActive(RetentionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.orders = cls.env["service.order"].create(
            [{"partner_id": cls.customer.id, "user_id": cls.technician.id} for _i in range(20)]
        )
        cls.policy = cls.Policy.create(
            {
                "name": "Orders log",
                "model_id": cls.model_order.id,
                "date_field": "closed_at",
                "years": 3,
            }
        )
        cls.Log = cls.env["service.access.log"]
        cls.dispatcher.groups_id += cls.env.ref("base.group_allow_export")

    def _logs(self, records):
        return self.Log.search([("res_model", "=", records._name), ("res_id", "in", records.ids)])

    def test_active_records_not_logged_without_setting(self):
        self.orders.with_user(self.dispatcher).web_read({"name": {}})
        self.orders.with_user(self.dispatcher).export_data(["name"])
        self.assertFalse(self._logs(self.orders))

    def test_active_records_logged_with_setting(self):
        self.policy.log_active_access = True
        orders = self.orders.with_user(self.dispatcher)
        orders.web_read({"name": {}})
        orders[:3].export_data(["name", "partner_id"])
        logs = self._logs(self.orders)
        self.assertEqual(len(logs.filtered(lambda log: log.access_type == "open")), 20)
        self.assertEqual(len(logs.filtered(lambda log: log.access_type == "export")), 3)
        self.assertEqual(logs.user_id, self.dispatcher)
        self.assertEqual(set(logs.mapped("res_id")), set(self.orders.ids))
        # The dispatcher reads the records but not the log; the manager reads it.
        self.assertFalse(self.Log.with_user(self.dispatcher).has_access("read"))
        self.assertEqual(len(self.Log.with_user(self.manager).search([("id", "in", logs.ids)])), 23)

    def test_setting_of_an_archived_policy_ignored(self):
        self.policy.write({"log_active_access": True, "active": False})
        self.orders.with_user(self.dispatcher).web_read({"name": {}})
        self.assertFalse(self._logs(self.orders))

    def test_list_read_is_batched(self):
        self.policy.log_active_access = True
        orders = self.orders.with_user(self.dispatcher)
        self._count_queries(orders[:2].web_read, {"name": {}})
        _result, queries_2 = self._count_queries(orders[:2].web_read, {"name": {}})
        _result, queries_20 = self._count_queries(orders.web_read, {"name": {}})
        self.assertEqual(queries_2, queries_20)
        self.assertEqual(len(self._logs(self.orders)), 24)
