from odoo import api, models


class ServiceCustomerNotifyMixin(models.AbstractModel):
    """Tell the customer of a record about an event by email and SMS.

    ``_customer_notify(event)`` claims, for a whole recordset, the email
    (``mail.template``, queued ``mail.mail``) and the SMS (``sms.template``
    through Odoo's SMS composer, queued ``sms.sms`` sent by the company's
    provider) of the event, when the company sends that channel and the
    customer did not opt out. Each (record, event, channel) is claimed in
    ``service.customer.notification`` (one insert per batch), so nothing is
    sent twice; the messages are rendered and queued by the notification job
    (``service.customer.notification._cron_send_pending``), woken at once,
    so nobody waits for template rendering in a click. Models list their
    templates in ``_customer_notify_templates`` (event -> (mail template xml
    id or None, sms template xml id or None)) and inherit ``mail.thread``."""

    _name = "service.customer.notify.mixin"
    _description = "Customer Notifications by Email and SMS"
    _customer_notify_templates = {}

    def _customer_notify_partner(self):
        self.ensure_one()
        return self.partner_id

    def _customer_notify_email_to(self):
        self.ensure_one()
        return self._customer_notify_partner().email

    def _customer_notify_phone(self):
        self.ensure_one()
        partner = self._customer_notify_partner()
        return partner.mobile or partner.phone

    def _customer_notify_allowed(self, event, channel):
        """Whether the record's company sends ``channel`` and its customer
        accepts it, and an address to send to exists."""
        self.ensure_one()
        partner = self._customer_notify_partner()
        company = self.company_id
        if not partner:
            return False
        if channel == "email":
            return (
                company.service_notify_email
                and not partner.service_email_opt_out
                and bool(self._customer_notify_email_to())
            )
        return (
            company.service_notify_sms
            and not partner.service_sms_opt_out
            and bool(self._customer_notify_phone())
        )

    def _customer_notify(self, event, keys=None):
        """Send ``event`` to the customers of ``self`` (see the class);
        ``keys`` ({record id: text}) tells repeated events apart. Returns the
        records claimed per channel, whose messages the job queues."""
        told = {}
        if not self:
            return told
        Log = self.env["service.customer.notification"].sudo()
        # template ids from the cached xml id lookup: no query per channel
        IrModelData = self.env["ir.model.data"]
        eligible = {}
        for channel, xmlid in zip(
            ("email", "sms"), self._customer_notify_templates[event], strict=True
        ):
            if xmlid and IrModelData._xmlid_to_res_id(xmlid, raise_if_not_found=False):
                eligible[channel] = self.filtered(
                    lambda r, c=channel: r._customer_notify_allowed(event, c)
                )
        told = Log._claim_channels(event, eligible, keys)
        if told:
            Log._wake_job()
        return told

    def _customer_notify_send(self, event, channel):
        """Render and queue the ``channel`` message of ``event`` for ``self``
        (claimed before, see ``_customer_notify``)."""
        mail_xmlid, sms_xmlid = self._customer_notify_templates[event]
        xmlid = mail_xmlid if channel == "email" else sms_xmlid
        template = xmlid and self.env.ref(xmlid, raise_if_not_found=False)
        if not template:
            return
        if channel == "email":
            self._customer_notify_send_email(event, template)
        else:
            self._customer_notify_send_sms(template)

    def _customer_notify_send_email(self, event, template):
        """Queue the emails of ``template`` (one ``mail.mail`` each, in the
        customer's language) and note them in the records' history."""
        # sudo: the customer is told whoever triggered the event
        template.sudo().send_mail_batch(
            self.ids, force_send=False, email_layout_xmlid="mail.mail_notification_light"
        )
        body = self.env["service.customer.notification"]._log_body(event, "email")
        self._notify_log_batch(dict.fromkeys(self.ids, body))

    def _customer_notify_send_sms(self, template):
        """Queue the SMS of ``template`` (``sms.sms`` in state outgoing, sent
        by the SMS queue job through the company's provider); the SMS
        composer notes each text in the record's history."""
        # sudo: the customer is told whoever triggered the event
        composer = (
            self.env["sms.composer"]
            .sudo()
            .with_context(active_model=self._name, active_ids=self.ids)
            .create(
                {
                    "composition_mode": "mass",
                    "res_model": self._name,
                    "res_ids": repr(self.ids),
                    "template_id": template.id,
                    "mass_keep_log": True,
                    "mass_force_send": False,
                }
            )
        )
        return composer._action_send_sms_mass(self.sudo())

    @api.model
    def _customer_notify_local_time(self, value, partner):
        """``value`` as ``partner`` reads it (``service.local.time``): in the
        language of the environment (a template renders in the customer's),
        the partner's time zone, else the time zone of the record's company."""
        company = self[:1].company_id if "company_id" in self._fields else None
        return self.env["service.local.time"]._format_local_datetime(
            value, reader=partner, company=company or None
        )
