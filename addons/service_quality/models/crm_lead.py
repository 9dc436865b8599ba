from odoo import _, fields, models
from odoo.exceptions import UserError


class CrmLead(models.Model):
    _inherit = "crm.lead"

    service_order_ids = fields.One2many("service.order", "lead_id", string="Service Orders")
    service_order_count = fields.Integer(compute="_compute_service_stats")
    service_complaint_count = fields.Integer(compute="_compute_service_stats")
    service_feedback_avg = fields.Float(compute="_compute_service_stats", string="Service Rating")

    def _compute_service_stats(self):
        partners = self.partner_id.commercial_partner_id
        stats = self.env["res.partner"]._service_stats(partners)
        for lead in self:
            partner_stats = stats.get(lead.partner_id.commercial_partner_id.id, {})
            lead.service_order_count = partner_stats.get("orders", 0)
            lead.service_complaint_count = partner_stats.get("complaints", 0)
            lead.service_feedback_avg = partner_stats.get("feedback_avg", 0.0)

    def action_view_service_orders(self):
        self.ensure_one()
        return self.partner_id.commercial_partner_id.action_view_service_orders()

    def action_view_service_complaints(self):
        self.ensure_one()
        return self.partner_id.commercial_partner_id.action_view_service_complaints()

    def action_view_service_feedback(self):
        self.ensure_one()
        return self.partner_id.commercial_partner_id.action_view_service_feedback()

    def action_create_service_order(self):
        """Turn the lead into a service order for its customer."""
        self.ensure_one()
        if not self.partner_id:
            raise UserError(
                _(
                    "Lead %(name)s has no customer: set one before creating a service order.",
                    name=self.name,
                )
            )
        order = self.env["service.order"].create(
            {
                "partner_id": self.partner_id.id,
                "lead_id": self.id,
                "channel": "other",
                "contact_phone": self.phone or self.partner_id.phone,
                "contact_email": self.email_from or self.partner_id.email,
                "description": self.description or self.name,
                "priority": "1" if self.priority in ("2", "3") else "0",
            }
        )
        self.message_post(
            body=_("Service order %(order)s created from this lead.", order=order._get_html_link())
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "service.order",
            "res_id": order.id,
            "view_mode": "form",
            "target": "current",
        }
