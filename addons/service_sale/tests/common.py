from odoo import Command

from odoo.addons.service_installed_base.tests.common import InstalledBaseCommon


class ServiceSaleCommon(InstalledBaseCommon):
    """Labour at 50/h, a part at 100 sold 90 through the customer's pricelist,
    a 10 % sales tax, a diagnosis fee of 30."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tax = cls.env["account.tax"].create(
            {"name": "VAT 10%", "amount": 10.0, "amount_type": "percent", "type_tax_use": "sale"}
        )
        cls.labour = cls.env["product.product"].create(
            {
                "name": "Repair labour",
                "type": "service",
                "list_price": 50.0,
                "taxes_id": [Command.set(cls.tax.ids)],
            }
        )
        cls.part = cls.env["product.product"].create(
            {
                "name": "Drive belt",
                "is_storable": True,
                "list_price": 100.0,
                "taxes_id": [Command.set(cls.tax.ids)],
                "seller_ids": [
                    Command.create(
                        {
                            "partner_id": cls.env["res.partner"]
                            .create({"name": "Belt Supplier Ltd"})
                            .id,
                            "price": 40.0,
                        }
                    )
                ],
            }
        )
        cls.fee = cls.env["product.product"].create(
            {
                "name": "Diagnosis fee",
                "type": "service",
                "list_price": 30.0,
                "taxes_id": [Command.set(cls.tax.ids)],
            }
        )
        cls.pricelist = cls.env["product.pricelist"].create(
            {
                "name": "Loyal customers",
                "currency_id": cls.env.company.currency_id.id,
                "item_ids": [
                    Command.create(
                        {
                            "applied_on": "0_product_variant",
                            "product_id": cls.part.id,
                            "compute_price": "fixed",
                            "fixed_price": 90.0,
                        }
                    )
                ],
            }
        )
        cls.customer.property_product_pricelist = cls.pricelist
        cls.category.write(
            {"labour_product_id": cls.labour.id, "diagnosis_fee_product_id": cls.fee.id}
        )
        # out of the manufacturer warranty (ended 2026-01-14)
        cls.out_date = "2026-06-01 09:00:00"

    def _quoted_order(self, received_at=None, installed=None, send=True, **vals):
        order = self._order_on(
            installed=installed, received_at=received_at or self.out_date, **vals
        )
        self._walk_to(order, "scheduled")
        quote = (
            self.env["service.quote"]
            .with_user(self.dispatcher)
            .create(
                {
                    "order_id": order.id,
                    "line_ids": [
                        Command.create(
                            {"line_type": "labour", "product_id": self.labour.id, "quantity": 2.0}
                        ),
                        Command.create(
                            {"line_type": "part", "product_id": self.part.id, "quantity": 1.0}
                        ),
                    ],
                }
            )
        )
        if send:
            quote.with_user(self.dispatcher).action_send()
        return order, quote

    def _walk_to(self, order, state):
        """Like the base helper, but also from an order already under way
        (each step with an empty cache, as the base helper)."""
        if order.state in ("new", state):
            return super()._walk_to(order, state)
        self.env.invalidate_all()
        if order.state == "scheduled":
            order.with_user(self.technician).action_start()
        if order.state == state:
            return order
        if order.state == "in_progress":
            order.with_user(self.technician).write({"resolution": "Belt replaced, test run OK"})
            order.with_user(self.technician).action_finish()
        if order.state == state:
            return order
        if order.state == "to_accept":
            order.with_user(self.technician).write(
                {"customer_signature": self.signature, "signed_by": "Chen Wei"}
            )
            self.env.invalidate_all()
            order.with_user(self.inspector).action_accept()
        return order
