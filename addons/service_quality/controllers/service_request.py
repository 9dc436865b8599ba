from odoo import _, fields, http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal

from ..models.service_order import MAX_SLOTS

# Longest accepted value per text field of the request form.
MAX_LENGTHS = {
    "appliance": 200,
    "serial_number": 100,
    "phone": 50,
    "address": 1000,
    "description": 10000,
}


class ServiceRequestPortal(CustomerPortal):
    """Customers request a service on the portal (*Request a Service*).

    Every value of the form is checked here or by
    ``service.order._check_portal_request``; a bad value shows the form
    again with the problem, whatever was posted (never a server error)."""

    def _service_request_values(self, error=None, post=None):
        partner = request.env.user.partner_id
        post = dict(post or {})
        address = partner._display_address(without_company=True)
        post.setdefault("address", "\n".join(line for line in address.splitlines() if line.strip()))
        post.setdefault("phone", partner.phone or partner.mobile or "")
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "service_request",
                "categories": request.env["service.category"].search([]),
                "periods": request.env["service.order"]._portal_periods(),
                "slot_numbers": range(1, MAX_SLOTS + 1),
                "min_date": fields.Date.to_string(fields.Date.context_today(partner)),
                "error": error or {},
                "post": post,
            }
        )
        return values

    @http.route("/my/service_orders/new", type="http", auth="user", website=True, methods=["GET"])
    def portal_service_request(self, **kw):
        return request.render(
            "service_quality.portal_service_request", self._service_request_values()
        )

    @http.route("/my/service_orders/new", type="http", auth="user", website=True, methods=["POST"])
    def portal_service_request_submit(self, **post):
        post = {k: v.replace("\x00", "") for k, v in post.items() if isinstance(v, str)}
        error = {}
        values = {}
        for name, limit in MAX_LENGTHS.items():
            value = (post.get(name) or "").strip()
            if len(value) > limit:
                error[name] = _("At most %(count)s characters.", count=limit)
            values[name] = value
        for name, message in (
            ("appliance", _("Tell us which product or appliance.")),
            ("address", _("Tell us where the service takes place.")),
            ("description", _("Describe the problem.")),
        ):
            if not values[name] and name not in error:
                error[name] = message
        if post.get("category_id"):
            category = self._posted_record("service.category", post["category_id"])
            if category:
                values["category_id"] = category.id
            else:
                error["category_id"] = _("Choose a service from the list.")
        slots = []
        periods = dict(request.env["service.order"]._portal_periods())
        for number in range(1, MAX_SLOTS + 1):
            day, period = post.get(f"slot_date_{number}"), post.get(f"slot_period_{number}")
            if not day:
                continue
            try:
                day = fields.Date.to_date(day)
            except ValueError:
                day = None
            if not day or period not in periods:
                error[f"slot_{number}"] = _("Give a valid date and a part of the day.")
                continue
            slots.append((day, period))
        photos = [
            (upload.filename, upload.read())
            for upload in request.httprequest.files.getlist("photos")
            if upload and upload.filename
        ]
        if not error:
            try:
                with request.env.cr.savepoint():
                    order = request.env["service.order"]._create_portal_request(
                        request.env.user.partner_id, values, photos, slots
                    )
            except (ValidationError, UserError) as exc:
                error["form"] = exc.args[0]
            else:
                return request.redirect(order.get_portal_url(query_string="&message=request_ok"))
        return request.render(
            "service_quality.portal_service_request", self._service_request_values(error, post)
        )

    def _posted_record(self, model, value):
        """The record of ``model`` whose id was posted as ``value``, if the
        user may read it; an empty recordset for anything else."""
        try:
            record_id = int(value)
        except (TypeError, ValueError):
            return request.env[model]
        if not 0 < record_id < 2**31:
            return request.env[model]
        return request.env[model].search([("id", "=", record_id)])
