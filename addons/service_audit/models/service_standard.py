from odoo import api, fields, models


class ServiceStandard(models.Model):
    """A standard or manual the company is certified against (GB/T 27922,
    ISO/IEC 20000, the company's own service manual), with its clauses."""

    _name = "service.standard"
    _description = "Service Standard"
    _order = "sequence, code, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="e.g. GB/T 27922-2011")
    sequence = fields.Integer(default=10)
    kind = fields.Selection(
        [("national", "National Standard"), ("manual", "Company Manual"), ("other", "Other")],
        required=True,
        default="other",
    )
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", index=True, help="Leave empty for a standard shared by every company."
    )
    clause_ids = fields.One2many("service.standard.clause", "standard_id", string="Clauses")
    clause_count = fields.Integer(compute="_compute_coverage")
    uncovered_count = fields.Integer(string="Clauses Not Covered", compute="_compute_coverage")

    @api.depends("clause_ids.coverage")
    def _compute_coverage(self):
        for standard in self:
            standard.clause_count = len(standard.clause_ids)
            standard.uncovered_count = len(
                standard.clause_ids.filtered(lambda c: c.coverage != "covered")
            )

    def action_view_clauses(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "service_audit.service_standard_clause_action"
        )
        action["domain"] = [("standard_id", "=", self.id)]
        action["context"] = {"default_standard_id": self.id}
        return action
