from odoo import fields, models


class ServiceCategory(models.Model):
    _inherit = "service.category"

    required_certification_type_ids = fields.Many2many(
        "training.certification.type",
        "service_category_certification_type_rel",
        "category_id",
        "type_id",
        string="Required Certificates",
        help="Certified-to-work: a technician needs a valid certificate of each of these "
        "types on the appointment date to be scheduled or to start an order.",
    )
