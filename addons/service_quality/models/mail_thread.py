from odoo import models


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def message_subscribe(self, partner_ids=None, subtype_ids=None):
        """Nothing to do for the (record, partner) pairs a batch already
        subscribed (``service.notify.mixin._notify_follow_batch``, context
        key ``service_notify_followed``), e.g. the per-assignee call of
        ``mail.activity.create``; any other call goes through as usual."""
        followed = self.env.context.get("service_notify_followed")
        if (
            followed
            and self
            and partner_ids
            and not subtype_ids
            and all(
                (self._name, res_id, pid) in followed for res_id in self.ids for pid in partner_ids
            )
        ):
            return True
        return super().message_subscribe(partner_ids=partner_ids, subtype_ids=subtype_ids)
