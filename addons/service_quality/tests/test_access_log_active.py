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
                "log_active_access": False,
            }
        )
        cls.Log = cls.env["service.access.log"]
        cls.dispatcher.groups_id += cls.env.ref("base.group_allow_export")

    def _logs(self, records):
        return self.Log.search([("res_model", "=", records._name), ("res_id", "in", records.ids)])

    def test_on_by_default_for_the_evidence_records(self):
        for xmlid in (
            "service_quality.retention_policy_service_order",
            "service_quality.retention_policy_service_complaint",
            "equipment_care.retention_policy_equipment",
            "service_training.retention_policy_training_certification",
        ):
            self.assertTrue(self.env.ref(xmlid).log_active_access, xmlid)
        policy = self.Policy.create(
            {"name": "Complaints", "model_id": self.model_complaint.id, "date_field": "closed_at"}
        )
        self.assertTrue(policy.log_active_access)
        complaint = self.env["service.complaint"].create({"partner_id": self.customer.id})
        complaint.with_user(self.dispatcher).web_read({"name": {}})
        log = self._logs(complaint)
        self.assertEqual(
            (log.user_id, log.access_type, log.res_name),
            (self.dispatcher, "open", complaint.display_name),
        )

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

    def test_logged_list_read_query_count(self):
        """Opening a list of 20 active orders: one INSERT for the 20 log rows,
        the same number of queries as for 2 orders."""
        self.policy.log_active_access = True
        orders = self.orders.with_user(self.dispatcher)
        orders[:1].web_read({"name": {}})  # warm the settings cache
        for records in (orders[:2], orders):
            self.env.flush_all()
            self.env.invalidate_all()
            with self.assertQueryCount(8):
                records.web_read({"name": {}, "partner_id": {"fields": {"display_name": {}}}})
                self.env.flush_all()
        self.assertEqual(len(self._logs(self.orders)), 23)

    def test_print_of_an_active_record_logged(self):
        self.policy.log_active_access = True
        self.env["ir.actions.report"].with_user(self.dispatcher)._render_qweb_pdf(
            "service_quality.report_service_order", self.orders[:1].ids
        )
        log = self._logs(self.orders)
        self.assertEqual(
            (log.res_id, log.access_type, log.user_id),
            (self.orders[0].id, "print", self.dispatcher),
        )
