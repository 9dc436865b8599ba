from odoo import models


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _get_rendering_context(self, report, docids, data):
        result = super()._get_rendering_context(report, docids, data)
        model = self.env.get(report.model)
        if (
            docids
            and model is not None
            and isinstance(model, self.env.registry["service.retention.mixin"])
        ):
            ids = [docids] if isinstance(docids, int) else list(docids)
            records = model.with_context(active_test=False).browse(ids).exists()
            # Refused before anything is logged: archived records print only
            # for archivists and borrowers (read rule of the mixin's models).
            records.check_access("read")
            records._retention_log_access("print")
        return result
