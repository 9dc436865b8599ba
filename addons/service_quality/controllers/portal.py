import binascii

from odoo import _, fields, http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.portal.controllers import portal
from odoo.addons.portal.controllers.portal import pager as portal_pager


class ServiceOrderPortal(portal.CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        Order = request.env["service.order"]
        if "service_order_count" in counters or not counters:
            count = (
                Order.search_count(self._service_order_domain()) if Order.has_access("read") else 0
            )
            if "service_order_count" in counters:
                values["service_order_count"] = count
            else:
                # /my itself: the tile shows the count
                values.setdefault("sq_portal_counts", {})["service_order"] = count
        return values

    def _service_order_domain(self):
        partner = request.env.user.partner_id
        return [("partner_id", "child_of", [partner.commercial_partner_id.id])]

    @http.route(
        ["/my/service_orders", "/my/service_orders/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_service_orders(self, page=1, sortby=None, **kw):
        Order = request.env["service.order"]
        domain = self._service_order_domain()
        searchbar_sortings = {
            "date": {"label": _("Newest"), "order": "received_at desc, id desc"},
            "name": {"label": _("Reference"), "order": "name"},
            "state": {"label": _("Status"), "order": "state"},
        }
        sortby = sortby if sortby in searchbar_sortings else "date"
        count = Order.search_count(domain)
        pager = portal_pager(
            url="/my/service_orders",
            url_args={"sortby": sortby},
            total=count,
            page=page,
            step=self._items_per_page,
        )
        orders = Order.search(
            domain,
            order=searchbar_sortings[sortby]["order"],
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "orders": orders,
                "page_name": "service_order",
                "pager": pager,
                "default_url": "/my/service_orders",
                "searchbar_sortings": searchbar_sortings,
                "sortby": sortby,
            }
        )
        return request.render("service_quality.portal_my_service_orders", values)

    @http.route(["/my/service_orders/<int:order_id>"], type="http", auth="public", website=True)
    def portal_my_service_order(
        self, order_id, access_token=None, report_type=None, download=False, **kw
    ):
        try:
            order_sudo = self._document_check_access(
                "service.order", order_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        if report_type in ("html", "pdf", "text"):
            return self._show_report(
                model=order_sudo,
                report_type=report_type,
                report_ref="service_quality.report_service_order",
                download=download,
            )
        # times in the reader's time zone: the user's, else (a visitor
        # opening the link of an email) the customer's, else the company's
        user = request.env.user
        reader = order_sudo.partner_id if user._is_public() else user
        tz = request.env["service.local.time"]._reader_tz(reader, order_sudo.company_id)
        request.update_context(tz=tz)
        order_sudo = order_sudo.with_context(tz=tz)
        # "service_order", not "order": the portal breadcrumbs of the purchase
        # app take a variable named "order" for a purchase order
        values = self._get_page_view_values(
            order_sudo, access_token, {"service_order": order_sudo, "page_name": "service_order"},
            "my_service_orders_history", False, **kw
        )  # fmt: skip
        values["message"] = kw.get("message")
        return request.render("service_quality.portal_service_order_page", values)

    @http.route(
        ["/my/service_orders/<int:order_id>/sign"], type="json", auth="public", website=True
    )
    def portal_service_order_sign(self, order_id, access_token=None, name=None, signature=None):
        access_token = access_token or request.httprequest.args.get("access_token")
        if not isinstance(access_token, str):
            access_token = None
        try:
            order_sudo = self._document_check_access(
                "service.order", order_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return {"error": _("Invalid service order.")}
        if order_sudo.state not in ("in_progress", "to_accept") or order_sudo.customer_signature:
            return {"error": _("Order %s does not wait for your signature.", order_sudo.name)}
        if not isinstance(name, str) or not isinstance(signature, str):
            return {"error": _("Your name and signature are required.")}
        name = name.replace("\x00", "").strip()
        if not signature or not name:
            return {"error": _("Your name and signature are required.")}
        if len(name) > 200:
            return {"error": _("Your name is too long.")}
        try:
            order_sudo.write(
                {
                    "signed_by": name,
                    "signed_on": fields.Datetime.now(),
                    "customer_signature": signature,
                }
            )
        except (TypeError, binascii.Error):
            return {"error": _("Invalid signature data.")}
        order_sudo.message_post(
            body=_("Work accepted and signed by %s on the portal.", name),
            author_id=(
                order_sudo.partner_id.id
                if request.env.user._is_public()
                else request.env.user.partner_id.id
            ),
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        return {
            "force_refresh": True,
            "redirect_url": order_sudo.get_portal_url(query_string="&message=sign_ok"),
        }
