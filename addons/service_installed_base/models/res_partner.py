from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    installed_product_count = fields.Integer(
        compute="_compute_installed_product_count", string="Installed Products"
    )

    def _compute_installed_product_count(self):
        # sudo: a counter only, no record data
        groups = (
            self.env["service.installed.product"]
            .sudo()
            ._read_group(
                [("partner_id", "child_of", self.commercial_partner_id.ids)],
                ["partner_id"],
                ["__count"],
            )
        )
        counts = {}
        for partner, count in groups:
            key = partner.commercial_partner_id.id
            counts[key] = counts.get(key, 0) + count
        for partner in self:
            partner.installed_product_count = counts.get(partner.commercial_partner_id.id, 0)

    def action_view_installed_products(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "service_installed_base.service_installed_product_action"
        )
        action["domain"] = [("partner_id", "child_of", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.id}
        return action
