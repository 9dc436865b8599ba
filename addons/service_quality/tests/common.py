from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase


class ServiceQualityCommon(TransactionCase):
    """Role users and a minimal set of master data, no demo data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.technician = new_test_user(
            cls.env, "sq_tech", groups="service_quality.group_service_user", name="Tess Technician"
        )
        cls.technician_2 = new_test_user(
            cls.env, "sq_tech2", groups="service_quality.group_service_user", name="Tom Technician"
        )
        cls.dispatcher = new_test_user(
            cls.env,
            "sq_dispatch",
            groups="service_quality.group_service_dispatcher",
            name="Dana Dispatcher",
        )
        cls.inspector = new_test_user(
            cls.env,
            "sq_inspect",
            groups="service_quality.group_quality_inspector",
            name="Quinn Inspector",
        )
        cls.manager = new_test_user(
            cls.env,
            "sq_manager",
            groups="service_quality.group_service_manager",
            name="Max Manager",
        )
        cls.manager_2 = new_test_user(
            cls.env,
            "sq_manager2",
            groups="service_quality.group_service_manager",
            name="Mia Manager",
        )
        cls.archivist = new_test_user(
            cls.env, "sq_archivist", groups="service_quality.group_archivist", name="Ari Archivist"
        )
        cls.employee = new_test_user(
            cls.env, "sq_employee", groups="base.group_user", name="Eve Employee"
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Chen Wei", "email": "chen.wei@example.com", "phone": "+86 21 5555 0101"}
        )
        cls.portal_user = new_test_user(
            cls.env, "sq_portal", groups="base.group_portal", partner_id=cls.customer.id
        )
        cls.category = cls.env["service.category"].create({"name": "Washing machine repair"})
