from odoo import models


class ProductProduct(models.Model):
    _inherit = "product.product"

    def _prepare_sellers(self, params=False):
        """Replenishment never picks a supplier blocked by his evaluation."""
        sellers = super()._prepare_sellers(params=params)
        return sellers.filtered(
            lambda s: s.partner_id.commercial_partner_id.supplier_status != "blocked"
        )
