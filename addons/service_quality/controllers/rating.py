from odoo import SUPERUSER_ID, _, http
from odoo.exceptions import ValidationError
from odoo.http import request

from ..models.service_feedback import LOW_SCORE, SCORE_FIELDS

DIMENSIONS = SCORE_FIELDS[1:]


class ServiceRating(http.Controller):
    def _order_from_token(self, order_id, token):
        """The order whose rating link this is: the token is the access token
        of a ``rating.rating`` of that order (not the order's portal token)."""
        # sudo: the link is the credential; the token is checked just below
        order = request.env["service.order"].sudo().browse(order_id).exists()
        if not order or not order._rating_from_token(token):
            return None
        return order

    def _render(self, order, token, **values):
        Feedback = request.env["service.feedback"]
        values.update(
            {
                "order": order,
                "token": token,
                "scores": [("score", _("Overall"))]
                + [
                    (name, Feedback._fields[name]._description_string(Feedback.env))
                    for name in DIMENSIONS
                ],
                "levels": [1, 2, 3, 4, 5],
            }
        )
        return request.render("service_quality.rating_page", values)

    @http.route(
        "/service/rate/<int:order_id>/<string:token>",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def rating_page(self, order_id, token, **kw):
        order = self._order_from_token(order_id, token)
        if order is None:
            return request.not_found()
        if order.feedback_ids:
            return self._render(order, token, already_rated=True)
        if order.state not in ("done", "closed"):
            return self._render(order, token, error=_("This service is not finished yet."))
        return self._render(order, token, values={})

    @http.route(
        "/service/rate/<int:order_id>/<string:token>",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
    )
    def rating_submit(self, order_id, token, **post):
        post = {k: v.replace("\x00", "") for k, v in post.items() if isinstance(v, str)}
        order = self._order_from_token(order_id, token)
        if order is None:
            return request.not_found()
        if order.feedback_ids:
            return self._render(
                order, token, already_rated=True, error=_("This service has already been rated.")
            )
        if order.state not in ("done", "closed"):
            return self._render(order, token, error=_("This service is not finished yet."))
        vals = {"service_order_id": order.id, "comment": (post.get("comment") or "").strip()}
        user = request.env.user
        vals["channel"] = "email" if user._is_public() else "portal"
        if not post.get("score"):
            return self._render(order, token, error=_("Please give an overall score."), values=post)
        try:
            for name in SCORE_FIELDS:
                if post.get(name):
                    vals[name] = int(post[name])
        except ValueError:
            return self._render(
                order, token, error=_("Scores must be whole numbers from 1 to 5."), values=post
            )
        if any(not 1 <= vals[name] <= 5 for name in SCORE_FIELDS if name in vals):
            return self._render(
                order, token, error=_("Each score must be between 1 and 5."), values=post
            )
        # sudo: anonymous visitor holding the link; recorded_by stays empty for them
        if user._is_public():
            vals["recorded_by_id"] = False
        # an anonymous visitor holding the link: OdooBot records and closes
        Feedback = request.env["service.feedback"].sudo()
        if user._is_public():
            Feedback = Feedback.with_user(SUPERUSER_ID)
        try:
            with request.env.cr.savepoint():
                feedback = Feedback.create(vals)
                order._rating_from_token(token).write(
                    {"rating": feedback.score, "feedback": feedback.comment, "consumed": True}
                )
        except ValidationError as error:
            return self._render(order, token, error=str(error.args[0]), values=post)
        # a low score opens a complaint (automated action): the page says what happens next
        return self._render(
            order, token, thanks=True, low_score=feedback.score <= LOW_SCORE, feedback=feedback
        )
