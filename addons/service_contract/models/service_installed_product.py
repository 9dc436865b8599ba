from odoo import _, models


class ServiceInstalledProduct(models.Model):
    _inherit = "service.installed.product"

    def _history_counts(self):
        """Maintenance contracts covering the equipment count too: covered
        equipment is archived, not deleted."""
        counts = super()._history_counts()
        # sudo: every contract line counts, also those the user may not see
        groups = (
            self.env["service.contract.line"]
            .sudo()
            .with_context(active_test=False)
            ._read_group(
                [("installed_product_id", "in", self.ids)], ["installed_product_id"], ["__count"]
            )
        )
        for installed, count in groups:
            counts.setdefault(installed.id, []).append(
                _("%(count)s maintenance contract lines", count=count)
            )
        return counts
