from odoo import _, models
from odoo.exceptions import UserError


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    def button_confirm(self):
        self._check_supplier_status()
        return super().button_confirm()

    def _check_supplier_status(self):
        manager = self.env.user.has_group("purchase.group_purchase_manager")
        for order in self:
            status = order.partner_id.commercial_partner_id.supplier_status
            if status == "blocked":
                raise UserError(
                    _(
                        "Purchase order %(order)s: supplier %(supplier)s is blocked by its "
                        "evaluation; choose another supplier.",
                        order=order.name,
                        supplier=order.partner_id.display_name,
                    )
                )
            if status == "conditional" and not manager:
                raise UserError(
                    _(
                        "Purchase order %(order)s: supplier %(supplier)s is only conditionally "
                        "approved; a purchase manager must confirm the order.",
                        order=order.name,
                        supplier=order.partner_id.display_name,
                    )
                )
