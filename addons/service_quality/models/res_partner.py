from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    service_order_count = fields.Integer(compute="_compute_service_stats", string="Service Orders")
    service_complaint_count = fields.Integer(compute="_compute_service_stats", string="Complaints")
    service_feedback_avg = fields.Float(compute="_compute_service_stats", string="Service Rating")
    service_email_opt_out = fields.Boolean(
        string="No Service Emails",
        help="Do not email this customer about the progress of service orders and complaints.",
    )
    service_sms_opt_out = fields.Boolean(
        string="No Service SMS",
        help="Do not text this customer about the progress of service orders and complaints.",
    )

    @api.model
    def _service_stats(self, partners):
        """Orders, complaints and average rating per commercial partner id, with
        one grouped query per model (sudo: counters only, no record data)."""
        result = {}
        if not partners:
            return result
        domain = [("partner_id", "child_of", partners.ids)]
        orders = self.env["service.order"].sudo()._read_group(domain, ["partner_id"], ["__count"])
        for partner, count in orders:
            stats = result.setdefault(partner.commercial_partner_id.id, {})
            stats["orders"] = stats.get("orders", 0) + count
        for partner, count in (
            self.env["service.complaint"].sudo()._read_group(domain, ["partner_id"], ["__count"])
        ):
            stats = result.setdefault(partner.commercial_partner_id.id, {})
            stats["complaints"] = stats.get("complaints", 0) + count
        for partner, count, total in (
            self.env["service.feedback"]
            .sudo()
            ._read_group(domain, ["partner_id"], ["__count", "score:sum"])
        ):
            stats = result.setdefault(partner.commercial_partner_id.id, {})
            stats["_fb_count"] = stats.get("_fb_count", 0) + count
            stats["_fb_total"] = stats.get("_fb_total", 0) + total
        for stats in result.values():
            count = stats.pop("_fb_count", 0)
            total = stats.pop("_fb_total", 0)
            stats["feedback_avg"] = round(total / count, 2) if count else 0.0
        return result

    def _compute_service_stats(self):
        stats = self._service_stats(self.commercial_partner_id)
        for partner in self:
            partner_stats = stats.get(partner.commercial_partner_id.id, {})
            partner.service_order_count = partner_stats.get("orders", 0)
            partner.service_complaint_count = partner_stats.get("complaints", 0)
            partner.service_feedback_avg = partner_stats.get("feedback_avg", 0.0)

    def _service_action(self, xmlid):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = [("partner_id", "child_of", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.id}
        return action

    def action_view_service_orders(self):
        return self._service_action("service_quality.service_order_action")

    def action_view_service_complaints(self):
        return self._service_action("service_quality.service_complaint_action")

    def action_view_service_feedback(self):
        action = self._service_action("service_quality.service_feedback_action")
        action["context"] = {}
        return action
