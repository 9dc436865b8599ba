from odoo import models


class ProductProduct(models.Model):
    _inherit = "product.product"

    def _prepare_sellers(self, params=False):
        """Replenishment never picks a supplier blocked by the evaluation of
        the company it buys for (the seller's, else the current one)."""
        sellers = super()._prepare_sellers(params=params)
        return sellers.filtered(
            lambda s: s.partner_id.commercial_partner_id.with_company(
                s.company_id or self.env.company
            ).supplier_status
            != "blocked"
        )
