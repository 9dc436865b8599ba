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
    renewal_course_id = fields.Many2one(
        "training.course",
        string="Renewal Course",
        help="Course an employee attends to renew this certificate before it expires.",
    )
    description = fields.Text(translate=True)
    certification_count = fields.Integer(compute="_compute_certification_count")
    company_id = fields.Many2one("res.company", index=True)

    _sql_constraints = [
        ("code_uniq", "unique(code, company_id)", "The certification code must be unique."),
        ("validity_positive", "CHECK(validity_months >= 0)", "Validity cannot be negative."),
    ]

    def _compute_certification_count(self):
        counts = dict(
            self.env["training.certification"]._read_group(
                [("type_id", "in", self.ids), ("state", "!=", "revoked")],
                ["type_id"],
                ["__count"],
            )
        )
        for cert_type in self:
            cert_type.certification_count = counts.get(cert_type, 0)
