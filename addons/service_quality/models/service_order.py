from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

# Forward path of the order life cycle. ``cancelled`` is reachable from every
# open state and is handled apart.
STATE_FLOW = [
    "new",
    "assessed",
    "approved",
    "scheduled",
    "in_progress",
    "to_accept",
    "done",
    "closed",
]
OPEN_STATES = STATE_FLOW[:-2]


class ServiceOrder(models.Model):
    _name = "service.order"
    _description = "Service Order"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "priority desc, received_at desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="New", index=True
    )
    partner_id = fields.Many2one(
        "res.partner", string="Customer", required=True, index=True, tracking=True
    )
    contact_phone = fields.Char()
    contact_email = fields.Char()
    address = fields.Text()
    channel = fields.Selection(
        [
            ("phone", "Phone"),
            ("email", "Email"),
            ("web", "Website"),
            ("portal", "Portal"),
            ("walk_in", "Walk-in"),
            ("other", "Other"),
        ],
        default="phone",
        required=True,
    )
    category_id = fields.Many2one("service.category", string="Category", index=True, tracking=True)
    priority = fields.Selection(
        [("0", "Normal"), ("1", "Urgent"), ("2", "Critical")],
        default="0",
        required=True,
        index=True,
    )
    description = fields.Html()
    received_at = fields.Datetime(default=fields.Datetime.now, required=True, index=True)
    intake_user_id = fields.Many2one(
        "res.users",
        string="First Responder",
        default=lambda self: self.env.user,
        required=True,
        index=True,
        tracking=True,
        readonly=True,
        help="Whoever received the request stays accountable until closure "
        "(first-responder rule). Only a service manager can transfer it.",
    )
    user_id = fields.Many2one(
        "res.users", string="Technician", index=True, tracking=True, check_company=True
    )
    team_id = fields.Many2one("service.team", string="Team", index=True, tracking=True, check_company=True)
    appointment_start = fields.Datetime(tracking=True, index=True)
    appointment_end = fields.Datetime(tracking=True)
    state = fields.Selection(
        [
            ("new", "New"),
            ("assessed", "Assessed"),
            ("approved", "Approved"),
            ("scheduled", "Scheduled"),
            ("in_progress", "In Progress"),
            ("to_accept", "To Accept"),
            ("done", "Done"),
            ("closed", "Closed"),
            ("cancelled", "Cancelled"),
        ],
        default="new",
        required=True,
        tracking=True,
        index=True,
        copy=False,
    )
    sla_policy_id = fields.Many2one("service.sla.policy", string="SLA Policy", index=True, copy=False)
    response_deadline = fields.Datetime(index=True, copy=False)
    resolve_deadline = fields.Datetime(index=True, copy=False)
    responded_at = fields.Datetime(copy=False)
    resolved_at = fields.Datetime(copy=False)
    sla_status = fields.Selection(
        [
            ("on_track", "On Track"),
            ("at_risk", "At Risk"),
            ("breached", "Breached"),
            ("met", "Met"),
        ],
        default="on_track",
        index=True,
        copy=False,
        tracking=True,
    )
    customer_signature = fields.Binary(copy=False, attachment=True)
    signed_by = fields.Char(copy=False)
    signed_on = fields.Datetime(copy=False)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    @api.constrains("appointment_start", "appointment_end")
    def _check_appointment_dates(self):
        for order in self:
            if (
                order.appointment_start
                and order.appointment_end
                and order.appointment_end <= order.appointment_start
            ):
                raise ValidationError(
                    _(
                        "Order %(name)s: the appointment must end after it starts.",
                        name=order.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        seq = self.env["ir.sequence"]
        for vals in vals_list:
            if vals.get("name", "New") == "New":
                vals["name"] = seq.next_by_code("service.order") or "New"
        return super().create(vals_list)

    # ------------------------------------------------------------------
    # State machine
    # ------------------------------------------------------------------
    def _check_transition(self, new_state):
        """Refuse a move of ``self`` to ``new_state`` with a message naming the
        missing step. Other addons extend it (certified-to-work rule, tools
        still checked out, ...) and must call ``super()``."""
        labels = dict(self._fields["state"]._description_selection(self.env))
        for order in self:
            if order.state == "cancelled":
                raise UserError(
                    _("Order %(name)s is cancelled and cannot be changed.", name=order.name)
                )
            if new_state == "cancelled":
                if order.state not in OPEN_STATES:
                    raise UserError(
                        _(
                            "Order %(name)s is %(state)s and can no longer be cancelled.",
                            name=order.name,
                            state=labels[order.state],
                        )
                    )
                continue
            expected = order._expected_previous_states(new_state)
            if order.state not in expected:
                raise UserError(
                    _(
                        "Order %(name)s cannot move to %(target)s from %(state)s: "
                        "it must be %(expected)s first.",
                        name=order.name,
                        target=labels[new_state],
                        state=labels[order.state],
                        expected=_(" or ").join(labels[s] for s in expected),
                    )
                )

    def _expected_previous_states(self, new_state):
        self.ensure_one()
        index = STATE_FLOW.index(new_state)
        previous = [STATE_FLOW[index - 1]] if index else []
        # Without a mandatory approval, an assessed order may be scheduled.
        if new_state == "scheduled" and not self.category_id.approval_required:
            previous.append("assessed")
        return previous

    def _set_state(self, new_state, extra_vals=None):
        self._check_transition(new_state)
        vals = dict(extra_vals or {}, state=new_state)
        self.write(vals)
        return True

    def action_assess(self):
        return self._set_state("assessed")

    def action_approve(self):
        return self._set_state("approved")

    def action_schedule(self):
        return self._set_state("scheduled")

    def action_start(self):
        return self._set_state("in_progress")

    def action_finish(self):
        return self._set_state("to_accept")

    def action_accept(self):
        return self._set_state("done")

    def action_close(self):
        return self._set_state("closed")

    def action_cancel(self):
        return self._set_state("cancelled")

    # ------------------------------------------------------------------
    # KPIs reused by training (evaluations, periodic assessments)
    # ------------------------------------------------------------------
    @api.model
    def _get_technician_kpis(self, user_ids, date_from, date_to):
        """Service KPIs per technician over ``[date_from, date_to)``.

        Returns ``{user_id: {"orders": int, "sla_met_rate": float|None,
        "feedback_avg": float|None, "feedback_count": int, "complaints": int}}``
        for every id of ``user_ids``, computed with one grouped query per
        source whatever the number of technicians. Rates are percentages.
        """
        user_ids = list(user_ids)
        result = {
            uid: {
                "orders": 0,
                "sla_met_rate": None,
                "feedback_avg": None,
                "feedback_count": 0,
                "complaints": 0,
            }
            for uid in user_ids
        }
        if not user_ids:
            return result
        date_from = fields.Datetime.to_datetime(date_from)
        date_to = fields.Datetime.to_datetime(date_to)
        orders = self.sudo()  # KPIs are aggregates: read across record rules
        for user, sla_status, count in orders._read_group(
            [
                ("user_id", "in", user_ids),
                ("received_at", ">=", date_from),
                ("received_at", "<", date_to),
                ("state", "!=", "cancelled"),
            ],
            ["user_id", "sla_status"],
            ["__count"],
        ):
            kpi = result[user.id]
            kpi["orders"] += count
            kpi.setdefault("_met", 0)
            kpi.setdefault("_judged", 0)
            if sla_status in ("met", "breached"):
                kpi["_judged"] += count
                if sla_status == "met":
                    kpi["_met"] += count
        for kpi in result.values():
            judged = kpi.pop("_judged", 0)
            met = kpi.pop("_met", 0)
            kpi["sla_met_rate"] = round(100.0 * met / judged, 1) if judged else None
        for user, count, score_sum in self.env["service.feedback"].sudo()._read_group(
            [
                ("technician_id", "in", user_ids),
                ("create_date", ">=", date_from),
                ("create_date", "<", date_to),
            ],
            ["technician_id"],
            ["__count", "score:sum"],
        ):
            result[user.id]["feedback_count"] = count
            result[user.id]["feedback_avg"] = round(score_sum / count, 2) if count else None
        for user, count in self.env["service.complaint"].sudo()._read_group(
            [
                ("technician_id", "in", user_ids),
                ("received_at", ">=", date_from),
                ("received_at", "<", date_to),
            ],
            ["technician_id"],
            ["__count"],
        ):
            result[user.id]["complaints"] = count
        return result
