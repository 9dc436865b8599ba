from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .service_contract import IN_FORCE_STATES

# Months between two visits of each frequency.
FREQUENCY_MONTHS = {"annual": 12, "semi_annual": 6, "quarterly": 3, "monthly": 1}


class ServiceContractLine(models.Model):
    _name = "service.contract.line"
    _description = "Maintenance Contract Line"
    _inherit = ["service.workflow.mixin"]
    _order = "contract_id, sequence, id"
    _check_company_auto = True
    # The product a line of a started contract covers is what its visits and
    # orders were made for: the line stays on it (new lines may be added).
    _workflow_final_states = IN_FORCE_STATES
    _workflow_evidence_fields = ("contract_id", "installed_product_id")

    sequence = fields.Integer(default=10)
    contract_id = fields.Many2one("service.contract", required=True, index=True, ondelete="cascade")
    partner_id = fields.Many2one(related="contract_id.partner_id")
    installed_product_id = fields.Many2one(
        "service.installed.product",
        string="Installed Product",
        required=True,
        index=True,
        check_company=True,
        domain="[('partner_id', 'child_of', partner_id)]",
    )
    frequency = fields.Selection(
        [
            ("annual", "Annual"),
            ("semi_annual", "Semi-Annual"),
            ("quarterly", "Quarterly"),
            ("monthly", "Monthly"),
        ],
        string="Visit Frequency",
        required=True,
        default="annual",
    )
    category_id = fields.Many2one(
        "service.category",
        string="Service",
        help="Category of the orders of the planned visits; the contract's first service "
        "when empty.",
    )
    part_ids = fields.One2many(
        "service.contract.line.part", "line_id", string="Parts per Visit", copy=True
    )
    note = fields.Char()
    company_id = fields.Many2one(
        related="contract_id.company_id", store=True, index=True, precompute=True
    )
    state = fields.Selection(related="contract_id.state", string="Contract Status")

    _sql_constraints = [
        (
            "installed_product_unique",
            "UNIQUE(contract_id, installed_product_id)",
            "An installed product is covered only once per contract.",
        ),
    ]

    @api.depends("contract_id.name", "installed_product_id")
    def _compute_display_name(self):
        for line in self:
            line.display_name = " – ".join(
                name
                for name in (line.contract_id.name, line.installed_product_id.display_name)
                if name
            )

    @api.constrains("installed_product_id", "contract_id")
    def _check_customer(self):
        for line in self:
            customer = line.contract_id.partner_id.commercial_partner_id
            if line.installed_product_id.partner_id.commercial_partner_id != customer:
                raise ValidationError(
                    _(
                        "Contract %(contract)s: %(product)s is installed at another customer.",
                        contract=line.contract_id.display_name,
                        product=line.installed_product_id.display_name,
                    )
                )

    @api.constrains("installed_product_id", "contract_id")
    def _check_overlap(self):
        self.contract_id._check_overlap()

    @api.ondelete(at_uninstall=False)
    def _unlink_except_contract_started(self):
        in_force = self.filtered(lambda line: line.state in IN_FORCE_STATES)
        if in_force:
            line = in_force[0]
            states = dict(self._fields["state"]._description_selection(self.env))
            raise UserError(
                _(
                    "Contract %(contract)s is %(state)s: it covers %(product)s until its end "
                    "date, the line cannot be deleted.",
                    contract=line.contract_id.display_name,
                    state=states[line.state],
                    product=line.installed_product_id.display_name,
                )
            )
        # sudo: a visit counts whoever may read it
        self.env["service.contract.visit"].sudo().search(
            [("line_id", "in", self.ids)]
        )._check_history_kept()

    def _visit_category(self):
        self.ensure_one()
        return self.category_id or self.contract_id.category_ids[:1]
