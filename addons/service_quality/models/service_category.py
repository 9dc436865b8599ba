from odoo import fields, models


class ServiceCategory(models.Model):
    _name = "service.category"
    _description = "Service Category"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    approval_required = fields.Boolean(
        string="Plan Approval Required",
        help="Plans of orders in this category must be approved by a user of the "
        "approving group other than their author before the work is scheduled.",
    )
    approval_group_id = fields.Many2one(
        "res.groups",
        string="Approving Group",
        default=lambda self: self.env.ref(
            "service_quality.group_service_manager", raise_if_not_found=False
        ),
        help="Users of this group approve plans of this category.",
    )
    return_visit_days = fields.Integer(
        string="Return Visit After (Days)",
        default=3,
        help="A return visit is scheduled this many days after the order is done.",
    )
    company_id = fields.Many2one(
        "res.company", index=True, help="Leave empty to share the category between companies."
    )

    _sql_constraints = [
        (
            "return_visit_days_positive",
            "CHECK(return_visit_days >= 0)",
            "The return visit delay cannot be negative.",
        ),
    ]
