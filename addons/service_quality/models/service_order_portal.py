import base64

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import plaintext2html
from odoo.tools.mimetypes import guess_mimetype

MAX_SLOTS = 3
MAX_PHOTOS = 5
MAX_PHOTO_BYTES = 10 * 1024 * 1024


class ServiceOrder(models.Model):
    """Service requests customers file themselves on the portal."""

    _inherit = "service.order"

    preferred_slots = fields.Text(
        string="Preferred Time Slots",
        help="When the customer would like the visit, as given with the request.",
    )

    @api.model
    def _portal_periods(self):
        """Parts of the day a customer may prefer for the visit, with their
        labels in the current language."""
        return [
            ("morning", _("Morning (08:00-12:00)")),
            ("afternoon", _("Afternoon (13:00-17:00)")),
            ("evening", _("Evening (17:00-20:00)")),
        ]

    @api.model
    def _check_portal_request(self, values, photos, slots):
        """Refuse a portal request that misses what the dispatcher needs, or
        carries photos that are not images or are too large. Returns nothing;
        raises ``ValidationError`` naming the problem."""
        missing = [
            label
            for field, label in (
                ("appliance", _("the product or appliance")),
                ("address", _("the address")),
                ("description", _("a description of the problem")),
            )
            if not (values.get(field) or "").strip()
        ]
        if missing:
            raise ValidationError(
                _("Your request is missing %(missing)s.", missing=", ".join(missing))
            )
        if len(photos) > MAX_PHOTOS:
            raise ValidationError(_("Attach at most %(count)s photos.", count=MAX_PHOTOS))
        for name, data in photos:
            if len(data) > MAX_PHOTO_BYTES:
                raise ValidationError(
                    _("Photo %(name)s is larger than 10 MB.", name=name or _("(no name)"))
                )
            if not guess_mimetype(data).startswith("image/"):
                raise ValidationError(
                    _("%(name)s is not a photo (JPEG, PNG...).", name=name or _("(no name)"))
                )
        if len(slots) > MAX_SLOTS:
            raise ValidationError(_("Give at most %(count)s time slots.", count=MAX_SLOTS))
        today = fields.Date.context_today(self)
        periods = dict(self._portal_periods())
        for day, period in slots:
            if day < today:
                raise ValidationError(
                    _("The time slot on %(date)s is in the past.", date=fields.Date.to_string(day))
                )
            if period not in periods:
                raise ValidationError(_("Choose a part of the day for each time slot."))

    @api.model
    def _create_portal_request(self, partner, values, photos=(), slots=()):
        """Create the service order a customer requests on the portal.

        ``values``: ``appliance``, ``serial_number``, ``address``,
        ``description`` (plain text), optional ``category_id``; ``photos``:
        ``[(file name, bytes)]`` attached to the order; ``slots``:
        ``[(date, period)]`` preferred for the visit. The order is numbered,
        gets its SLA deadlines, is owned by the dispatcher on duty
        (``service.team._dispatcher_on_duty``: first-responder rule for
        requests nobody received in person) and the customer follows it and
        gets the confirmation email. Called by the portal controller, which
        has checked that ``partner`` is the logged-in customer.
        """
        photos = list(photos)
        slots = sorted(set(slots))
        self._check_portal_request(values, photos, slots)
        company = partner.company_id or self.env.company
        dispatcher, team = self.env["service.team"]._dispatcher_on_duty(company)
        if not dispatcher:
            raise UserError(
                _(
                    "No dispatcher can receive requests for %(company)s: add one to a team's "
                    "dispatcher roster.",
                    company=company.name,
                )
            )
        category = self.env["service.category"].sudo().browse(values.get("category_id")).exists()
        lang = dispatcher.lang or company.partner_id.lang or self.env.lang
        labels = dict(self.with_context(lang=lang)._portal_periods())
        # sudo: portal customers cannot create orders; the values come from the
        # checked form and the customer is the logged-in partner
        order = (
            self.sudo()
            .with_context(mail_create_nosubscribe=True)
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "channel": "portal",
                    "intake_user_id": dispatcher.id,
                    "team_id": team.id,
                    "category_id": category.id,
                    "appliance": values["appliance"].strip(),
                    "serial_number": (values.get("serial_number") or "").strip() or False,
                    "address": values["address"].strip(),
                    "contact_phone": (values.get("phone") or "").strip()
                    or partner.phone
                    or partner.mobile,
                    "contact_email": partner.email,
                    "description": plaintext2html(values["description"].strip()),
                    "preferred_slots": "\n".join(
                        f"{fields.Date.to_string(day)} · {labels[period]}" for day, period in slots
                    )
                    or False,
                }
            )
        )
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                [
                    {
                        "name": name or _("Photo %(number)s", number=index),
                        "datas": base64.b64encode(data),
                        "res_model": self._name,
                        "res_id": order.id,
                    }
                    for index, (name, data) in enumerate(photos, start=1)
                ]
            )
        )
        order.message_subscribe(partner_ids=partner.ids)
        order.message_subscribe(partner_ids=dispatcher.partner_id.ids)
        order._send_request_confirmation(attachments)
        return order

    def _send_request_confirmation(self, attachments=None):
        """Confirmation of a customer's request, in the order's history (the
        customer reads it on the portal) and by email to the customer: number,
        deadlines in the customer's time zone, who looks after it. Not a
        response in the SLA's sense: a person still has to answer."""
        template = self.env.ref(
            "service_quality.mail_template_service_order_received", raise_if_not_found=False
        )
        if not template:
            return
        for order in self:
            # posted as the dispatcher who owns the request: the customer (the
            # user of the portal request) is then a recipient, not the author
            poster = order.with_user(order.intake_user_id).sudo()
            poster.with_context(service_order_automatic=True).message_post_with_source(
                template,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                author_id=order.intake_user_id.partner_id.id,
                attachment_ids=[(6, 0, (attachments or self.env["ir.attachment"]).ids)],
            )
