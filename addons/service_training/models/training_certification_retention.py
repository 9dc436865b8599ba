from odoo import models


class TrainingCertification(models.Model):
    """Training records under records retention: archived certifications are
    read-only except for archivists, and opening, printing or exporting them
    is logged."""

    _name = "training.certification"
    _inherit = ["training.certification", "service.retention.mixin"]
