from odoo import fields, models


class TrainingCertificationType(models.Model):
    _name = "training.certification.type"
    _description = "Certification Type"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, index=True)
    active = fields.Boolean(default=True)
    validity_months = fields.Integer(
        default=24, help="How long a certificate stays valid. 0 means it never expires."
    )
    company_id = fields.Many2one("res.company", index=True)

    _sql_constraints = [
        ("code_uniq", "unique(code, company_id)", "The certification code must be unique."),
        ("validity_positive", "CHECK(validity_months >= 0)", "Validity cannot be negative."),
    ]
