from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ServiceOrder(models.Model):
    _inherit = "service.order"

    contract_id = fields.Many2one(
        "service.contract",
        string="Contract",
        compute="_compute_contract_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        tracking=True,
        check_company=True,
        help="Maintenance contract covering the order: its SLA policy applies first.",
    )
    contract_visit_id = fields.Many2one(
        "service.contract.visit",
        string="Planned Visit",
        index="btree_not_null",
        readonly=True,
        copy=False,
        check_company=True,
    )

    _sql_constraints = [
        (
            "contract_visit_unique",
            "UNIQUE(contract_visit_id)",
            "A planned visit has one service order.",
        ),
    ]

    @api.depends("installed_product_id")
    def _compute_contract_id(self):
        """The running contract covering the order's installed product, one
        search for the batch."""
        orders = self.filtered(lambda o: o.installed_product_id and not o.contract_id)
        if not orders:
            return
        lines = self.env["service.contract.line"].search(
            [
                ("installed_product_id", "in", orders.installed_product_id.ids),
                ("contract_id.state", "=", "running"),
            ]
        )
        by_product = {line.installed_product_id: line.contract_id for line in lines}
        for order in orders:
            order.contract_id = by_product.get(order.installed_product_id, False)

    @api.constrains("contract_id", "partner_id")
    def _check_contract_customer(self):
        for order in self.filtered("contract_id"):
            customer = order.contract_id.partner_id.commercial_partner_id
            if order.partner_id.commercial_partner_id != customer:
                raise ValidationError(
                    _(
                        "Order %(name)s: contract %(contract)s belongs to another customer.",
                        name=order.name,
                        contract=order.contract_id.name,
                    )
                )

    def write(self, vals):
        res = super().write(vals)
        if {"contract_id", "installed_product_id"} & set(vals):
            self.filtered(
                lambda o: o.state not in ("done", "closed", "cancelled")
            )._sla_compute_deadlines()
        return res

    def _sla_select_policies(self):
        """The contract's SLA policy wins over the one the order's category,
        priority, customer or team would select."""
        result = super()._sla_select_policies()
        for order in self:
            # sudo: the policy applies whoever reads the contract
            policy = order.sudo().contract_id.sla_policy_id
            if policy:
                result[order] = policy
        return result
