from collections import defaultdict

from odoo import _, api, models
from odoo.exceptions import UserError

from .service_workflow_mixin import WORKFLOW_PASS, _WorkflowPass, retention_destroying

# What changing an attachment's file or moving it to another record writes;
# the other fields (access token, description, mimetype index) stay free.
OWNER_FIELDS = frozenset({"res_model", "res_id", "res_field"})
CONTENT_FIELDS = (
    frozenset({"datas", "raw", "db_datas", "store_fname", "url", "type"}) | OWNER_FIELDS
)


class IrAttachment(models.Model):
    """The files of a record in a final workflow state are part of its
    evidence (the customer's signature of a done order, its signed service
    report, the photos of a closed complaint): new files may be attached,
    the ones there are neither replaced nor deleted, whoever asks. A file
    field the record locks (a signature) is not given a new file either.
    The workflow itself (its moves and reopening) and the retention
    destruction of the record are the exceptions."""

    _inherit = "ir.attachment"

    @api.model_create_multi
    def create(self, vals_list):
        self._check_evidence_files(
            [
                (vals.get("res_model"), vals.get("res_id"), vals.get("res_field"))
                for vals in vals_list
                if vals.get("res_field")
            ],
            created=True,
        )
        return super().create(vals_list)

    def write(self, vals):
        changing = CONTENT_FIELDS & set(vals)
        if changing:
            touched = self
            if changing <= OWNER_FIELDS:
                # posting a message links its files to the record they
                # already belong to: only a real move is a change
                touched = self.sudo().filtered(
                    lambda att: any(
                        (att[name] or False) != (vals[name] or False) for name in changing
                    )
                )
            touched._check_evidence_files(touched._evidence_owners())
        return super().write(vals)

    def unlink(self):
        self._check_evidence_files(self._evidence_owners())
        return super().unlink()

    def _evidence_owners(self):
        # sudo: the owners of the files, whoever may read them
        return [(att.res_model, att.res_id, att.res_field) for att in self.sudo() if att.res_model]

    def _check_evidence_files(self, owners, created=False):
        """Refuse a change of the files of final records; ``owners`` are the
        ``(model, record id, file field)`` of the attachments touched."""
        if retention_destroying(self.env) or not owners:
            return
        Mixin = self.env.registry["service.workflow.mixin"]
        granted = self.env.context.get(WORKFLOW_PASS)
        by_model = defaultdict(set)
        for model_name, res_id, field_name in owners:
            model = self.env.registry.get(model_name)
            if (
                not res_id
                or model is None
                or not issubclass(model, Mixin)
                or not model._workflow_final_states
                or (isinstance(granted, _WorkflowPass) and model_name in granted)
            ):
                continue
            by_model[model_name].add((res_id, field_name or False))
        for model_name, entries in by_model.items():
            Model = self.env[model_name].sudo().with_context(active_test=False)
            locked = set(Model._workflow_locked_fields())
            ids = list({res_id for res_id, _field in entries})
            final_states = Model._workflow_final_states
            if created:
                # a file field being written: its record exists, and its
                # state is usually in the cache already (no query, no flush)
                records = Model.browse(ids).filtered_domain([("state", "in", final_states)])
            else:
                records = Model.search([("id", "in", ids), ("state", "in", final_states)])
            final = {record.id: record for record in records}
            for res_id, field_name in entries:
                record = final.get(res_id)
                # a new file on a final record is fine, unless it fills a
                # locked file field (a second signature would shadow the first)
                if not record or (created and field_name not in locked):
                    continue
                if field_name and field_name not in locked:
                    continue
                raise UserError(
                    _(
                        "%(record)s is %(state)s: its files are part of its record and can "
                        "no longer be replaced or deleted.",
                        record=record.display_name,
                        state=dict(Model._fields["state"]._description_selection(self.env))[
                            record.state
                        ],
                    )
                )
