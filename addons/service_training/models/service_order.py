from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date


class ServiceOrder(models.Model):
    _inherit = "service.order"

    required_certification_type_ids = fields.Many2many(
        "training.certification.type",
        related="category_id.required_certification_type_ids",
        string="Required Certificates",
    )
    allowed_technician_ids = fields.Many2many(
        "res.users",
        compute="_compute_allowed_technician_ids",
        string="Qualified Technicians",
        help="Technicians holding a valid certificate of every type the category requires "
        "on the appointment date.",
    )
    technician_hint = fields.Char(
        compute="_compute_allowed_technician_ids",
        string="Why No Technician",
        help="Says which certificates nobody holds when no technician qualifies.",
    )

    @api.depends("category_id", "appointment_start", "company_id")
    def _compute_allowed_technician_ids(self):
        technician_group = self.env.ref("service_quality.group_service_user")
        # sudo: the picker lists colleagues the dispatcher may book; only ids.
        users = (
            self.env["res.users"]
            .sudo()
            .search([("groups_id", "in", technician_group.id), ("share", "=", False)])
        )
        certifications = self.env["training.certification"]
        groups = defaultdict(lambda: self.browse())
        for order in self:
            key = (order.category_id.required_certification_type_ids, order._certification_date())
            groups[key] |= order
        for (types, on_date), orders in groups.items():
            if types:
                missing = certifications._get_missing_certifications(users.ids, types.ids, on_date)
                qualified = users.filtered(lambda u, m=missing: not m[u.id])
            else:
                qualified = users
            for order in orders:
                order.allowed_technician_ids = qualified.filtered(
                    lambda u, o=order: o.company_id in u.company_ids
                )
                order.technician_hint = (
                    _(
                        "No technician holds a valid %(certificates)s certificate on %(date)s, "
                        "as category %(category)s requires: issue or renew one in "
                        "Training > Certificates.",
                        certificates=", ".join(types.mapped("name")),
                        date=format_date(self.env, on_date),
                        category=order.category_id.name,
                    )
                    if types and not order.allowed_technician_ids
                    else False
                )

    def _certification_date(self, new_state=None):
        """Date a technician must hold the required certificates on: the
        appointment date, or today when the work starts now."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        if new_state == "in_progress" or not self.appointment_start:
            return today
        return fields.Date.context_today(self, self.appointment_start)

    # Orders already booked keep the certified-to-work rule when what it
    # depends on changes: the state whose check applies, per booked state.
    _CERTIFIED_STATES = {"scheduled": "scheduled", "in_progress": "in_progress"}
    _CERTIFIED_FIELDS = ("user_id", "appointment_start", "category_id")

    def write(self, vals):
        booked = self.browse()
        if any(name in vals for name in self._CERTIFIED_FIELDS):
            booked = self.filtered(lambda o: o.state in self._CERTIFIED_STATES)
        if not booked:
            return super().write(vals)
        # Reassigning the technician, moving the appointment or changing the
        # category of a booked order is checked like the booking itself; the
        # savepoint undoes the write when the check refuses it.
        with self.env.cr.savepoint():
            result = super().write(vals)
            for state, check in self._CERTIFIED_STATES.items():
                # taking the technician off is allowed: the order cannot start
                # (nor go on) until a certified one is booked again
                orders = booked.filtered(lambda o, s=state: o.state == s and o.user_id)
                if orders:
                    orders._check_certified_to_work(check)
        return result

    def _check_transition(self, new_state):
        super()._check_transition(new_state)
        if new_state in ("scheduled", "in_progress"):
            self._check_certified_to_work(new_state)
            self._check_training_cadence()

    def _check_training_cadence(self):
        """Training cadence at dispatch: a gap of a blocking rule refuses the
        order, a gap of a warning rule is noted on it. One query for the
        gaps of every technician of ``self``."""
        users = self.user_id
        if not users:
            return
        # sudo: dispatchers read no HR data; only the gaps of the booked technicians
        gaps = (
            self.env["training.cadence.gap"]
            .sudo()
            .search([("employee_id.user_id", "in", users.ids)])
        )
        for order in self.filtered("user_id"):
            own = gaps.filtered(
                lambda g, o=order: g.employee_id.user_id == o.user_id
                and g.employee_id.company_id == o.company_id
            )
            blocking = own.filtered(lambda g: g.enforcement == "block")
            if blocking:
                raise UserError(
                    _(
                        "Order %(name)s: technician %(technician)s cannot be dispatched: "
                        "%(gaps)s (training cadence).",
                        name=order.name,
                        technician=order.user_id.name,
                        gaps="; ".join(f"{g.rule_id.name}: {g.detail}" for g in blocking),
                    )
                )
            for gap in own:
                order.message_post(
                    body=_(
                        "Training cadence warning for %(technician)s: %(rule)s: %(detail)s",
                        technician=order.user_id.name,
                        rule=gap.rule_id.name,
                        detail=gap.detail,
                    )
                )

    def _check_certified_to_work(self, new_state):
        """Refuse orders whose technician lacks a valid required certificate.
        Costs one query per distinct check date, whatever the number of
        certificates, technicians or types."""
        to_check = self.filtered(lambda o: o.category_id.required_certification_type_ids)
        by_date = defaultdict(lambda: self.browse())
        for order in to_check:
            if not order.user_id:
                raise UserError(
                    _(
                        "Order %(name)s needs a certified technician before it can move on: "
                        "category %(category)s requires %(types)s.",
                        name=order.name,
                        category=order.category_id.name,
                        types=", ".join(
                            order.category_id.required_certification_type_ids.mapped("name")
                        ),
                    )
                )
            by_date[order._certification_date(new_state)] |= order
        certifications = self.env["training.certification"]
        for on_date, orders in by_date.items():
            types = orders.category_id.required_certification_type_ids
            missing = certifications._get_missing_certifications(
                orders.user_id.ids, types.ids, on_date
            )
            for order in orders:
                lacking = (
                    missing[order.user_id.id] & order.category_id.required_certification_type_ids
                )
                if lacking:
                    raise UserError(
                        _(
                            "Order %(name)s: technician %(technician)s has no valid "
                            "%(certificates)s certificate on %(date)s (certified-to-work rule "
                            "of category %(category)s).",
                            name=order.name,
                            technician=order.user_id.name,
                            certificates=", ".join(lacking.mapped("name")),
                            date=on_date,
                            category=order.category_id.name,
                        )
                    )
