from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.addons.service_quality.tests.common import create_role_users
from odoo.addons.service_quality.tests.order_common import ServiceOrderCommon


class InstalledBaseCommon(ServiceOrderCommon):
    """A tracked appliance with a 12-month warranty, its serial numbers, an
    installation category and a repair category with a 90-day repair
    warranty."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        create_role_users(cls, {"ib_manager": ("ib_manager", "manager", "Ivy Manager")})
        cls.appliance = cls.env["product.product"].create(
            {
                "name": "Front-loader WM-8",
                "is_storable": True,
                "tracking": "serial",
                "service_warranty_months": 12,
            }
        )
        cls.lot = cls.env["stock.lot"].create({"name": "WM8-0001", "product_id": cls.appliance.id})
        cls.lot_2 = cls.env["stock.lot"].create(
            {"name": "WM8-0002", "product_id": cls.appliance.id}
        )
        cls.category.repair_warranty_days = 90
        cls.category_install = cls.env["service.category"].create(
            {"name": "Washing machine installation", "is_installation": True}
        )
        cls.installed = cls.env["service.installed.product"].create(
            {
                "product_id": cls.appliance.id,
                "lot_id": cls.lot.id,
                "partner_id": cls.customer.id,
                "install_date": "2025-01-15",
            }
        )
        cls._slot = 0

    def _order_on(self, installed=None, received_at=None, category=None, **vals):
        """An order on ``installed`` with its own appointment slot (a
        technician cannot be booked twice)."""
        type(self)._slot += 1
        start = datetime(2031, 1, 6, 8, 0) + timedelta(days=self._slot)
        values = {
            "installed_product_id": (installed or self.installed).id,
            "category_id": (category or self.category).id,
            "user_id": self.technician.id,
            "appointment_start": start,
            "appointment_end": start + timedelta(hours=2),
        }
        if received_at:
            values["received_at"] = received_at
        values.update(vals)
        return self._create_order(**values)

    def _correct_done(self, order, vals):
        """Correct a done order the way the service team does it: a manager
        reopens it with a reason, the fields are fixed, and quality accepts
        it again (at the time of its first acceptance, so that its
        completion stays where it was)."""
        accepted_on = order.accepted_on
        order.with_user(self.manager)._workflow_reopen("Recorded on the wrong fault or appliance")
        order.write(vals)
        order.with_user(self.technician).write(
            {"customer_signature": self.signature, "signed_by": "Chen Wei"}
        )
        with freeze_time(accepted_on):
            order.with_user(self.inspector).action_accept()
        return order
