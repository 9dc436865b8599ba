from odoo import _, api, fields, models
from odoo.tools.misc import formatLang


class ServiceEmergencyPlan(models.Model):
    """The spare parts an emergency plan holds, with the quantity to keep at
    its stock location: a part below it puts the plan short of resources."""

    _inherit = "service.emergency.plan"

    parts_location_id = fields.Many2one(
        "stock.location",
        string="Parts Held At",
        check_company=True,
        domain="[('usage', '=', 'internal')]",
        default=lambda self: self._default_parts_location_id(),
        help="Stock location (with its sublocations) where the parts of the plan are held.",
    )
    part_ids = fields.One2many("service.emergency.plan.part", "plan_id", string="Parts", copy=True)

    def _workflow_locked_fields(self):
        # the parts and where they are held are part of what management approved
        return (*super()._workflow_locked_fields(), "parts_location_id", "part_ids")

    def _check_parts_open(self):
        """Refuse a change of the parts of an approved plan, whoever asks
        (the plan is revised by reopening it)."""
        approved = self.filtered(lambda plan: plan.state == "approved")
        if approved:
            raise approved._evidence_error(approved, ["part_ids"])

    def _default_parts_location_id(self):
        warehouse = self.env["stock.warehouse"].search(
            [("company_id", "=", self.env.company.id)], limit=1
        )
        return warehouse.lot_stock_id

    def _resource_shortages(self):
        shortages = super()._resource_shortages()
        for line in self.part_ids:
            if line.is_short:
                shortages.setdefault(line.plan_id.id, []).append(
                    _(
                        "Part %(part)s: %(on_hand)s %(unit)s on hand at %(location)s, "
                        "%(quantity)s to hold",
                        part=line.product_id.display_name,
                        on_hand=formatLang(
                            self.env, line.qty_on_hand, dp="Product Unit of Measure"
                        ),
                        unit=line.uom_id.name,
                        location=line.plan_id.parts_location_id.display_name,
                        quantity=formatLang(self.env, line.quantity, dp="Product Unit of Measure"),
                    )
                )
        return shortages

    @api.model
    def _short_plan_ids(self):
        ids = super()._short_plan_ids()
        lines = self.env["service.emergency.plan.part"].search([])
        return ids | set(lines.filtered("is_short").plan_id.ids)
