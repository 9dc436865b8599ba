from datetime import datetime, timedelta

from odoo import Command

from odoo.addons.equipment_care.tests.common import EquipmentCareCommon
from odoo.addons.service_quality.tests.common import create_role_users


class ServicePartsCommon(EquipmentCareCommon):
    """Spare parts in the company's warehouse, a lot-tracked part, a supplier,
    warehouse, buyer and purchase manager users; no demo data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        create_role_users(
            cls,
            {
                "storekeeper": (
                    "sp_storekeeper",
                    "service_parts.group_parts_warehouse",
                    "Wu Warehouse",
                ),
                "buyer": ("sp_buyer", "purchase.group_purchase_user", "Bo Buyer"),
                "purchase_manager": (
                    "sp_purchase_manager",
                    "purchase.group_purchase_manager",
                    "Pei Purchase",
                ),
            },
        )
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.stock = cls.warehouse.lot_stock_id
        cls.consumption = cls.env.ref("equipment_care.stock_location_service_consumption")
        cls.supplier = cls.env["res.partner"].create({"name": "Shenzhen Relay Co."})
        cls.categ = cls.env["product.category"].create(
            {
                "name": "Test Electrical Parts",
                "incoming_inspection": True,
                "inspection_check_ids": [
                    Command.create({"name": "Packaging intact", "sequence": 1}),
                    Command.create({"name": "Coil resistance within spec", "sequence": 2}),
                ],
            }
        )
        Product = cls.env["product.product"]
        cls.relay = Product.create(
            {
                "name": "Start relay",
                "is_storable": True,
                "categ_id": cls.categ.id,
                "seller_ids": [Command.create({"partner_id": cls.supplier.id, "price": 12.0})],
                "route_ids": [Command.set(cls.env.ref("purchase_stock.route_warehouse0_buy").ids)],
            }
        )
        cls.board = Product.create(
            {"name": "Control board", "is_storable": True, "tracking": "lot"}
        )
        Lot = cls.env["stock.lot"]
        cls.lot_1 = Lot.create({"name": "CB-001", "product_id": cls.board.id})
        cls.lot_2 = Lot.create({"name": "CB-002", "product_id": cls.board.id})
        Quant = cls.env["stock.quant"]
        Quant._update_available_quantity(cls.relay, cls.stock, 10)
        Quant._update_available_quantity(
            cls.board, cls.stock, 2, lot_id=cls.lot_1, in_date=datetime(2026, 1, 1)
        )
        Quant._update_available_quantity(
            cls.board, cls.stock, 3, lot_id=cls.lot_2, in_date=datetime(2026, 2, 1)
        )

    def _van_for(self, user):
        return self.env["stock.location"].create(
            {
                "name": "Van %s" % user.name,
                "location_id": self.warehouse.van_parent_location_id.id,
                "usage": "internal",
                "van_user_id": user.id,
            }
        )

    def _order_with_parts(self, *lines, user=None):
        """An assessed order of ``user`` (the first technician by default)
        with part lines ``(product, quantity[, lot])``."""
        order = self.env["service.order"].create(
            {
                "partner_id": self.customer.id,
                "user_id": (user or self.technician).id,
                "part_ids": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "quantity": qty,
                            "lot_id": lot[0].id if lot else False,
                            "location_id": self.stock.id,
                        }
                    )
                    for product, qty, *lot in lines
                ],
            }
        )
        return order

    def _schedule(self, order, start):
        """Schedule the assessed ``order`` at ``start`` for two hours."""
        order.with_user(self.dispatcher).write(
            {"appointment_start": start, "appointment_end": start + timedelta(hours=2)}
        )
        order.with_user(self.dispatcher).action_schedule()

    def _free_qty(self, product, location=None, lot=None):
        quants = self.env["stock.quant"].search(
            [
                ("product_id", "=", product.id),
                ("location_id", "child_of", (location or self.stock).id),
            ]
            + ([("lot_id", "=", lot.id)] if lot else [])
        )
        return sum(quants.mapped("quantity")) - sum(quants.mapped("reserved_quantity"))

    def _on_hand(self, product, location=None):
        quants = self.env["stock.quant"].search(
            [
                ("product_id", "=", product.id),
                ("location_id", "child_of", (location or self.stock).id),
            ]
        )
        return sum(quants.mapped("quantity"))
