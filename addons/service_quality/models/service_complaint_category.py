from odoo import fields, models


class ServiceComplaintCategory(models.Model):
    _name = "service.complaint.category"
    _description = "Complaint Category"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(help="Short technical code, stable across translations.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    company_id = fields.Many2one(
        "res.company", index=True, help="Leave empty to share the category between companies."
    )

    _sql_constraints = [
        ("code_uniq", "unique(code, company_id)", "A complaint category code must be unique."),
    ]
