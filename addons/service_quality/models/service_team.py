from datetime import timedelta

import pytz

from odoo import api, fields, models

# How far ahead the next dispatcher on duty is looked for when nobody is on
# duty now (nights, week-ends, holidays).
ON_DUTY_LOOKAHEAD = timedelta(days=7)


class ServiceTeam(models.Model):
    _name = "service.team"
    _description = "Service Team"
    _inherit = ["mail.thread"]
    _order = "sequence, name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    leader_id = fields.Many2one(
        "res.users", string="Team Leader", tracking=True, check_company=True
    )
    member_ids = fields.Many2many("res.users", string="Members", check_company=True)
    dispatcher_ids = fields.Many2many(
        "res.users",
        "service_team_dispatcher_rel",
        "team_id",
        "user_id",
        string="Dispatcher Roster",
        check_company=True,
        domain="[('share', '=', False)]",
        help="Dispatchers who receive this team's requests from the customer portal. The "
        "one on duty (within his working hours, not on leave) becomes the first "
        "responder of a portal request.",
    )
    calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        check_company=True,
        help="Working calendar used for SLA deadlines. Defaults to the company's.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    order_ids = fields.One2many("service.order", "team_id", string="Orders")
    open_order_count = fields.Integer(compute="_compute_open_order_count")

    def _compute_open_order_count(self):
        counts = dict(
            self.env["service.order"]._read_group(
                [("team_id", "in", self.ids), ("state", "not in", ("done", "closed", "cancelled"))],
                ["team_id"],
                ["__count"],
            )
        )
        for team in self:
            team.open_order_count = counts.get(team, 0)

    @api.model
    def _dispatcher_on_duty(self, company, when=None):
        """``(user, team)`` who owns a request arriving at ``when`` (default
        now) for ``company``: the first-responder rule for requests nobody
        received in person (customer portal).

        1. Candidates: the dispatcher rosters of the company's teams, in
           team order; without any roster, every dispatcher of the company.
        2. On duty: ``when`` falls within the candidate's working hours
           (his employee's working calendar, else the team's, else the
           company's), leaves and public holidays excluded.
        3. Among those on duty, the one who is first responder of the
           fewest open orders (ties: roster order).
        4. Nobody on duty: the candidate whose next working period starts
           first within 7 days; still nobody: the first candidate, then a
           service manager of the company.
        Reads across record rules (sudo): it assigns, it shows nothing."""
        # sudo: rosters, calendars, leaves and open orders of other users
        teams_sudo = self.sudo()
        when = when or fields.Datetime.now()
        teams = teams_sudo.search([("company_id", "=", company.id)])
        candidates = []  # (user, team) in roster order
        for team in teams:
            for user in team.dispatcher_ids.filtered(lambda u: u.active and not u.share):
                if user not in [c[0] for c in candidates]:
                    candidates.append((user, team))
        if not candidates:
            group = teams_sudo.env.ref("service_quality.group_service_dispatcher")
            for user in group.users.filtered(
                lambda u: u.active and not u.share and company in u.company_ids
            ).sorted("id"):
                candidates.append((user, teams_sudo.browse()))
        if not candidates:
            managers = teams_sudo.env.ref("service_quality.group_service_manager").users
            user = managers.filtered(
                lambda u: u.active and not u.share and company in u.company_ids
            ).sorted("id")[:1]
            return user, teams_sudo.browse()
        starts = teams_sudo._next_duty_starts(candidates, company, when)
        on_duty = [c for c in candidates if starts.get(c[0].id) == when]
        if on_duty:
            load = dict(
                teams_sudo.env["service.order"]._read_group(
                    [
                        ("intake_user_id", "in", [user.id for user, _team in on_duty]),
                        ("state", "not in", ("done", "closed", "cancelled")),
                    ],
                    ["intake_user_id"],
                    ["__count"],
                )
            )
            return min(on_duty, key=lambda c: (load.get(c[0], 0), on_duty.index(c)))
        upcoming = [c for c in candidates if starts.get(c[0].id)]
        if upcoming:
            return min(upcoming, key=lambda c: (starts[c[0].id], candidates.index(c)))
        return candidates[0]

    @api.model
    def _next_duty_starts(self, candidates, company, when):
        """``{user_id: start}``: ``when`` itself for the candidates working at
        ``when``, else the start of their next working period within the
        look-ahead (absent: none). One interval query per calendar."""
        utc_when = pytz.utc.localize(when)
        company = company.with_env(self.env)
        by_calendar = {}
        for user, team in candidates:
            employee = user.employee_ids.filtered(lambda e, c=company: e.company_id == c)[:1]
            calendar = (
                employee.resource_calendar_id or team.calendar_id or company.resource_calendar_id
            )
            if calendar:
                by_calendar.setdefault(calendar, []).append((user, employee.resource_id))
        starts = {}
        for calendar, users in by_calendar.items():
            resources = self.env["resource.resource"].browse(
                {resource.id for _user, resource in users if resource}
            )
            intervals = calendar._work_intervals_batch(
                utc_when, utc_when + ON_DUTY_LOOKAHEAD, resources=resources or None
            )
            for user, resource in users:
                periods = intervals.get(resource.id if resource else False, [])
                for start, stop, _meta in periods:
                    if stop <= utc_when:
                        continue
                    starts[user.id] = (
                        when
                        if start <= utc_when
                        else start.astimezone(pytz.utc).replace(tzinfo=None)
                    )
                    break
        return starts

    def action_view_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "service_quality.service_order_action"
        )
        action["domain"] = [("team_id", "=", self.id)]
        action["context"] = {"default_team_id": self.id}
        return action
