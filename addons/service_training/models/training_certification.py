from odoo import fields, models


class TrainingCertification(models.Model):
    _name = "training.certification"
    _description = "Certification"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "expiry_date, id"
    _check_company_auto = True
    _rec_name = "number"

    employee_id = fields.Many2one(
        "hr.employee", required=True, index=True, tracking=True, check_company=True
    )
    type_id = fields.Many2one(
        "training.certification.type", string="Type", required=True, index=True
    )
    number = fields.Char(required=True, copy=False, default="New")
    issue_date = fields.Date(required=True, default=fields.Date.context_today)
    expiry_date = fields.Date(index=True, tracking=True)
    state = fields.Selection(
        [
            ("valid", "Valid"),
            ("expiring", "Expiring"),
            ("expired", "Expired"),
            ("revoked", "Revoked"),
        ],
        default="valid",
        required=True,
        index=True,
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
