from collections import defaultdict

from odoo import _, models
from odoo.exceptions import UserError

from .service_workflow_mixin import retention_destroying

# What a message says and where it belongs; the other fields (stars,
# reactions, pins, the read markers) stay free.
CONTENT_FIELDS = frozenset(
    {
        "body",
        "subject",
        "attachment_ids",
        "author_id",
        "email_from",
        "date",
        "model",
        "res_id",
        "message_type",
        "subtype_id",
        "tracking_value_ids",
    }
)


class MailMessage(models.Model):
    """The chatter of a record in a final workflow state is part of its
    evidence (who signed, who accepted, what was said to the customer):
    new messages may be posted, the ones there are neither edited nor
    deleted by a user. The system (the mail queue deleting the copy of a sent
    email, a record deleted with its chatter) and the retention destruction
    are not refused."""

    _inherit = "mail.message"

    def write(self, vals):
        if CONTENT_FIELDS & set(vals):
            self._check_evidence_messages()
        return super().write(vals)

    def unlink(self):
        self._check_evidence_messages()
        return super().unlink()

    def _check_evidence_messages(self):
        if self.env.su or retention_destroying(self.env) or not self:
            return
        Mixin = self.env.registry["service.workflow.mixin"]
        by_model = defaultdict(set)
        # sudo: the documents of the messages, whoever may read them
        for message in self.sudo():
            model = self.env.registry.get(message.model or "")
            if (
                message.res_id
                and model is not None
                and issubclass(model, Mixin)
                and model._workflow_final_states
            ):
                by_model[message.model].add(message.res_id)
        for model_name, ids in by_model.items():
            Model = self.env[model_name].sudo().with_context(active_test=False)
            final = Model.search(
                [("id", "in", list(ids)), ("state", "in", Model._workflow_final_states)], limit=1
            )
            if final:
                raise UserError(
                    _(
                        "%(record)s is %(state)s: its messages are part of its record and can "
                        "no longer be edited or deleted.",
                        record=final[0].display_name,
                        state=dict(Model._fields["state"]._description_selection(self.env))[
                            final[0].state
                        ],
                    )
                )
