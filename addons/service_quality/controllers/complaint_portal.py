from odoo import _, http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.tools import plaintext2html

from odoo.addons.portal.controllers.portal import pager as portal_pager

from .service_request import ServiceRequestPortal

MAX_DESCRIPTION = 10000


class ComplaintPortal(ServiceRequestPortal):
    """Portal customers file complaints and follow their own."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        Complaint = request.env["service.complaint"]
        count = None
        if "complaint_count" in counters:
            count = Complaint.search_count([]) if Complaint.has_access("read") else 0
            values["complaint_count"] = count
        if not counters:
            # /my itself: the tile shows the count
            if count is None:
                count = Complaint.search_count([]) if Complaint.has_access("read") else 0
            values.setdefault("sq_portal_counts", {})["complaint"] = count
        return values

    @http.route(
        ["/my/complaints", "/my/complaints/page/<int:page>"], type="http", auth="user", website=True
    )
    def portal_my_complaints(self, page=1, **kw):
        Complaint = request.env["service.complaint"]
        total = Complaint.search_count([])
        pager = portal_pager(
            url="/my/complaints", total=total, page=page, step=self._items_per_page
        )
        complaints = Complaint.search([], limit=self._items_per_page, offset=pager["offset"])
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "complaints": complaints,
                "pager": pager,
                "page_name": "complaint",
                "default_url": "/my/complaints",
            }
        )
        return request.render("service_quality.portal_my_complaints", values)

    @http.route("/my/complaints/<int:complaint_id>", type="http", auth="user", website=True)
    def portal_my_complaint(self, complaint_id, **kw):
        try:
            complaint = self._document_check_access("service.complaint", complaint_id)
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._prepare_portal_layout_values()
        values.update({"complaint": complaint, "page_name": "complaint"})
        return request.render("service_quality.portal_my_complaint", values)

    def _complaint_form_values(self, error=None, post=None):
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "complaint",
                "complaint_new": True,
                # Only the customer's own orders (record rule of the portal group)
                "orders": request.env["service.order"].search([], limit=50),
                "categories": request.env["service.complaint.category"].search([]),
                "error": error or {},
                "post": post or {},
            }
        )
        return values

    @http.route("/my/complaints/new", type="http", auth="user", website=True, methods=["GET"])
    def portal_complaint_new(self, **kw):
        return request.render("service_quality.portal_complaint_new", self._complaint_form_values())

    @http.route("/my/complaints/new", type="http", auth="user", website=True, methods=["POST"])
    def portal_complaint_submit(self, **post):
        post = {k: v.replace("\x00", "") for k, v in post.items() if isinstance(v, str)}
        description = (post.get("description") or "").strip()
        error = {}
        if not description:
            error["description"] = _("Tell us what went wrong.")
        elif len(description) > MAX_DESCRIPTION:
            error["description"] = _("At most %(count)s characters.", count=MAX_DESCRIPTION)
        order = request.env["service.order"]
        if post.get("service_order_id"):
            # search() applies the portal record rule: only the customer's orders
            order = self._posted_record("service.order", post["service_order_id"])
            if not order:
                error["service_order_id"] = _("This service order is not yours.")
        category = request.env["service.complaint.category"]
        if post.get("category_id"):
            category = self._posted_record("service.complaint.category", post["category_id"])
            if not category:
                error["category_id"] = _("Choose a category from the list.")
        if error:
            return request.render(
                "service_quality.portal_complaint_new", self._complaint_form_values(error, post)
            )
        partner = request.env.user.partner_id
        # sudo: portal users have no create right on complaints; the values
        # are restricted to their own partner and their own orders above.
        complaint = (
            request.env["service.complaint"]
            .sudo()
            .create(
                {
                    "partner_id": partner.id,
                    "service_order_id": order.id,
                    "category_id": category.id,
                    "channel": "portal",
                    "description": plaintext2html(description),
                    "company_id": (order.company_id or request.env.company).id,
                }
            )
        )
        complaint.message_subscribe(partner_ids=partner.ids)
        return request.redirect(f"/my/complaints/{complaint.id}")
