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
            # the status the order's company gave the supplier
            supplier = order.partner_id.commercial_partner_id.with_company(order.company_id)
            status = supplier.supplier_status
            if status == "blocked":
                raise UserError(
                    _(
                        "Purchase order %(order)s: supplier %(supplier)s is blocked by the "
                        "evaluation of %(company)s; choose another supplier.",
                        order=order.name,
                        supplier=order.partner_id.display_name,
                        company=order.company_id.name,
                    )
                )
            if status == "conditional" and not manager:
                raise UserError(
                    _(
                        "Purchase order %(order)s: supplier %(supplier)s is only conditionally "
                        "approved by %(company)s; a purchase manager must confirm the order.",
                        order=order.name,
                        supplier=order.partner_id.display_name,
                        company=order.company_id.name,
                    )
                )
