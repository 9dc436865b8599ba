import binascii

from odoo import _, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal


class ServiceQuotePortal(CustomerPortal):
    def _service_order_sudo(self, order_id, access_token):
        return self._document_check_access("service.order", order_id, access_token=access_token)

    def _portal_author(self, order_sudo):
        user = request.env.user
        return order_sudo.partner_id.id if user._is_public() else user.partner_id.id

    @http.route(
        ["/my/service_orders/<int:order_id>/quote/accept"], type="json", auth="public", website=True
    )
    def portal_service_quote_accept(self, order_id, access_token=None, name=None, signature=None):
        access_token = access_token or request.httprequest.args.get("access_token")
        try:
            order_sudo = self._service_order_sudo(order_id, access_token)
        except (AccessError, MissingError):
            return {"error": _("Invalid service order.")}
        quote = order_sudo.quote_id
        if quote.state != "sent":
            return {"error": _("Quote %s does not wait for your answer.", quote.name or "")}
        if not (name and signature):
            return {"error": _("Your name and signature are required.")}
        try:
            quote.action_accept(signature=signature, signed_by=name)
        except (TypeError, binascii.Error):
            return {"error": _("Invalid signature data.")}
        except UserError as error:
            return {"error": str(error)}
        order_sudo.message_post(
            body=_("Quote %(quote)s accepted and signed by %(name)s on the portal.",
                   quote=quote.name, name=name),
            author_id=self._portal_author(order_sudo),
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )  # fmt: skip
        return {
            "force_refresh": True,
            "redirect_url": order_sudo.get_portal_url(
                query_string="&message=quote_ok", anchor="service_quote"
            ),
        }

    @http.route(
        ["/my/service_orders/<int:order_id>/quote/reject"],
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
    )
    def portal_service_quote_reject(self, order_id, access_token=None, reason=None, **post):
        try:
            order_sudo = self._service_order_sudo(order_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        quote = order_sudo.quote_id
        if quote.state != "sent" or str(quote.id) != str(post.get("quote_id") or quote.id):
            return request.redirect(order_sudo.get_portal_url())
        order_sudo.message_post(
            body=_("Quote %(quote)s rejected on the portal. %(reason)s",
                   quote=quote.name, reason=(reason or "").strip()),
            author_id=self._portal_author(order_sudo),
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )  # fmt: skip
        quote.action_reject(reason=(reason or "").strip()[:2000])
        return request.redirect(
            order_sudo.get_portal_url(
                query_string="&message=quote_rejected", anchor="service_quote"
            )
        )
