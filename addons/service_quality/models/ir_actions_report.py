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

    def retrieve_attachment(self, record):
        """For a record of the workflow models, the first file stored under
        the report's name: a later file given the same name (attached by
        hand to the record) is not taken for the stored report."""
        attachment = super().retrieve_attachment(record)
        if not attachment or not isinstance(record, self.env.registry["service.workflow.mixin"]):
            return attachment
        return self.env["ir.attachment"].search(
            [
                ("name", "=", attachment.name),
                ("res_model", "=", self.model),
                ("res_id", "=", record.id),
            ],
            order="id",
            limit=1,
        )
