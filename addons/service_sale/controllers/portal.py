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

    def _quote_answer_refusal(self, order_sudo, quote_id=None):
        """Why the customer cannot answer the latest quote of ``order_sudo``
        (the one of ``quote_id``, the page they read), or None."""
        quote = order_sudo.quote_id
        if not order_sudo._quote_answerable():
            return _(
                "Order %(order)s is %(state)s: its quote can no longer be accepted or rejected.",
                order=order_sudo.name,
                state=dict(order_sudo._fields["state"]._description_selection(request.env))[
                    order_sudo.state
                ],
            )
        if quote_id and str(quote_id) != str(quote.id):
            return _(
                "The quote you answered was replaced by %(quote)s: reload the page to read it.",
                quote=quote.name,
            )
        if quote.state != "sent":
            return _("Quote %s does not wait for your answer.", quote.name or "")
        return None

    @http.route(
        ["/my/service_orders/<int:order_id>/quote/accept"], type="json", auth="public", website=True
    )
    def portal_service_quote_accept(
        self, order_id, access_token=None, name=None, signature=None, quote_id=None
    ):
        args = request.httprequest.args
        access_token = access_token or args.get("access_token")
        try:
            order_sudo = self._service_order_sudo(order_id, access_token)
        except (AccessError, MissingError):
            return {"error": _("Invalid service order.")}
        refusal = self._quote_answer_refusal(order_sudo, quote_id or args.get("quote_id"))
        if refusal:
            return {"error": refusal}
        quote = order_sudo.quote_id
        if not (name and signature):
            return {"error": _("Your name and signature are required.")}
        try:
            # a refusal half-way keeps nothing (the request itself commits)
            with request.env.cr.savepoint():
                quote.action_accept(signature=signature, signed_by=name)
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
        refused = order_sudo.get_portal_url(
            query_string="&message=quote_refused", anchor="service_quote"
        )
        if self._quote_answer_refusal(order_sudo, post.get("quote_id")):
            return request.redirect(refused)
        try:
            # a refusal half-way keeps nothing (the request itself commits)
            with request.env.cr.savepoint():
                quote.action_reject(reason=(reason or "").strip()[:2000])
        except UserError:
            return request.redirect(refused)
        order_sudo.message_post(
            body=_("Quote %(quote)s rejected on the portal. %(reason)s",
                   quote=quote.name, reason=(reason or "").strip()),
            author_id=self._portal_author(order_sudo),
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )  # fmt: skip
        return request.redirect(
            order_sudo.get_portal_url(
                query_string="&message=quote_rejected", anchor="service_quote"
            )
        )
