import bisect
import logging
from collections import defaultdict
from datetime import timedelta

import psycopg2
import pytz
from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL

from .service_order_selections import OPEN_STATES

_logger = logging.getLogger(__name__)

DEFAULT_RESPONSE_HOURS = 24.0
DEFAULT_RESOLVE_HOURS = 48.0
DEFAULT_WARNING_PERCENT = 80
SLA_NOTIFY_LISTED = 50  # orders listed by name in one SLA notification, per kind


class ServiceSlaMixin(models.AbstractModel):
    """SLA engine of service orders: policy selection, response and
    resolution deadlines on the working calendar, pauses while waiting on the
    customer, status, and the sweep job that marks, notes and escalates
    at-risk and breached orders. The SLA fields live on ``service.order``."""

    _name = "service.sla.mixin"
    _inherit = ["service.notify.mixin", "service.cron.mixin"]
    _description = "Service Level Agreement Engine"

    def _sla_is_24x7(self, policy):
        """Whether the deadlines of this order run on plain hours (24x7)
        rather than a working calendar; models add their own cases."""
        self.ensure_one()
        return bool(policy.use_24x7)

    def _sla_calendar(self):
        """Working calendar of the order's SLA, or False for plain 24x7 hours."""
        self.ensure_one()
        policy = self.sla_policy_id
        if self._sla_is_24x7(policy):
            return False
        return (
            policy.calendar_id or self.team_id.calendar_id or self.company_id.resource_calendar_id
        )

    @api.model
    def _sla_add_hours(self, calendar, pairs):
        """Deadlines for ``pairs`` [(start, hours)] counted in working hours of
        ``calendar`` (leaves and public holidays excluded), or plain hours when
        ``calendar`` is False. Work intervals are read once for all pairs."""
        if not calendar:
            return [start + timedelta(hours=hours) for start, hours in pairs]
        if not pairs:
            return []
        utc = pytz.utc
        min_start = min(start for start, _hours in pairs)
        max_start = max(start for start, _hours in pairs)
        max_hours = max(hours for _start, hours in pairs)
        span = timedelta(days=int(max_hours / 4) + 21)
        intervals = calendar._work_intervals_batch(
            utc.localize(min_start), utc.localize(max_start + span)
        )[False]
        starts, stops = [], []
        for start, stop, _meta in intervals:
            starts.append(start.astimezone(utc).replace(tzinfo=None))
            stops.append(stop.astimezone(utc).replace(tzinfo=None))
        result = []
        for start, hours in pairs:
            remaining = timedelta(hours=hours)
            index = bisect.bisect_right(stops, start)
            deadline = None
            while index < len(stops):
                begin = max(start, starts[index])
                available = stops[index] - begin
                if remaining <= available:
                    deadline = begin + remaining
                    break
                remaining -= available
                index += 1
            if deadline is None:  # beyond the prefetched window
                deadline = calendar.plan_hours(hours, start, compute_leaves=True)
            result.append(deadline)
        return result

    @api.model
    def _sla_work_hours_between(self, calendar, start, end):
        if end <= start:
            return 0.0
        if not calendar:
            return (end - start).total_seconds() / 3600.0
        utc = pytz.utc
        return calendar.get_work_hours_count(
            utc.localize(start), utc.localize(end), compute_leaves=True
        )

    def _sla_select_policies(self):
        """Policy per order, one search for the whole batch."""
        policies = (
            self.env["service.sla.policy"]
            .sudo()
            .search([("company_id", "in", self.company_id.ids)])
        )
        by_company = defaultdict(lambda: self.env["service.sla.policy"])
        for policy in policies:
            by_company[policy.company_id.id] |= policy
        cache = {}
        result = {}
        for order in self:
            key = (
                order.company_id.id,
                order.category_id.id,
                order.priority,
                order.partner_id.id,
                order.team_id.id,
            )
            if key not in cache:
                cache[key] = by_company[order.company_id.id]._select_for(
                    {
                        "category": order.category_id,
                        "priority": order.priority,
                        "partner": order.partner_id,
                        "team": order.team_id,
                    }
                )
            result[order] = cache[key]
        return result

    def _sla_compute_deadlines(self):
        """(Re)compute policy, deadlines and warning times of ``self`` in batch:
        one policy search, one work-interval read per calendar."""
        if not self:
            return
        policies = self._sla_select_policies()
        groups = defaultdict(list)
        for order in self:
            policy = policies[order]
            if order._sla_is_24x7(policy):
                calendar = False
            else:
                calendar = (
                    policy.calendar_id
                    or order.team_id.calendar_id
                    or order.company_id.resource_calendar_id
                )
            groups[calendar].append((order, policy))
        values = defaultdict(list)  # vals tuple -> orders (few distinct values)
        per_order = {}
        for calendar, items in groups.items():
            pairs = []
            for order, policy in items:
                response = policy.response_hours if policy else DEFAULT_RESPONSE_HOURS
                resolve = policy.resolve_hours if policy else DEFAULT_RESOLVE_HOURS
                warn = (policy.warning_percent if policy else DEFAULT_WARNING_PERCENT) / 100.0
                paused = order.paused_hours or 0.0
                base = order.received_at
                pairs += [
                    (base, response + paused),
                    (base, resolve + paused),
                    (base, response * warn + paused),
                    (base, resolve * warn + paused),
                ]
            deadlines = self._sla_add_hours(calendar, pairs)
            for index, (order, policy) in enumerate(items):
                d = deadlines[4 * index : 4 * index + 4]
                per_order[order] = {
                    "sla_policy_id": policy.id,
                    "response_deadline": d[0],
                    "resolve_deadline": d[1],
                    "response_warning_at": d[2],
                    "resolve_warning_at": d[3],
                }
        # Write through SQL-friendly grouped writes: identical values share one UPDATE.
        for order, vals in per_order.items():
            key = tuple(sorted(vals.items()))
            values[key].append(order.id)
        Order = self._with_workflow_pass().with_context(tracking_disable=True)
        for key, ids in values.items():
            Order.browse(ids).write(dict(key))
        self._sla_refresh_status()

    def _sla_status_now(self, now):
        """SLA status of one order from its stored fields at ``now``."""
        self.ensure_one()
        if self.state in ("done", "closed") and self.resolved_at:
            return "breached" if self.sla_breached else "met"
        if self.state == "cancelled":
            return self.sla_status
        if self.sla_breached:
            return "breached"
        if self.waiting:
            return self.sla_status if self.sla_status != "breached" else "on_track"
        if (
            not self.responded_at and self.response_warning_at and self.response_warning_at <= now
        ) or (not self.resolved_at and self.resolve_warning_at and self.resolve_warning_at <= now):
            return "at_risk"
        return "on_track"

    def _sla_refresh_status(self):
        now = fields.Datetime.now()
        buckets = defaultdict(list)
        for order in self:
            status = order._sla_status_now(now)
            if status != order.sla_status:
                buckets[status].append(order.id)
        for status, ids in buckets.items():
            self.browse(ids)._with_workflow_pass().with_context(tracking_disable=True).write(
                {"sla_status": status}
            )

    def _sla_register_response(self, when):
        for order in self.filtered(lambda o: not o.responded_at):
            vals = {"responded_at": when}
            if (
                order.response_deadline
                and when > order.response_deadline
                and not order.response_breached_at
            ):
                vals.update(response_breached_at=when, sla_breached=True)
            order._with_workflow_pass().with_context(tracking_disable=True).write(vals)
        self._sla_refresh_status()

    def _sla_register_resolution(self):
        for order in self:
            if (
                order.resolve_deadline
                and order.resolved_at
                and order.resolved_at > order.resolve_deadline
                and not order.resolve_breached_at
            ):
                order._with_workflow_pass().with_context(tracking_disable=True).write(
                    {"resolve_breached_at": order.resolved_at, "sla_breached": True}
                )
        self._sla_refresh_status()

    def _sla_add_pause(self, now):
        """Waiting on the customer ends: the paused working time extends the deadlines."""
        for order in self:
            calendar = order._sla_calendar()
            paused = self._sla_work_hours_between(calendar, order.waiting_since, now)
            order._workflow_write(
                {"paused_hours": (order.paused_hours or 0.0) + paused, "waiting_since": False}
            )

    @api.model
    def _sla_sweep_domain_sql(self, now):
        return SQL(
            """
            state IN %(open)s AND NOT COALESCE(waiting, FALSE) AND (
                (response_breached_at IS NULL AND responded_at IS NULL
                 AND response_deadline <= %(now)s)
             OR (resolve_breached_at IS NULL AND resolved_at IS NULL
                 AND resolve_deadline <= %(now)s)
             OR (NOT COALESCE(sla_warned, FALSE) AND sla_status = 'on_track' AND (
                    (responded_at IS NULL AND response_warning_at <= %(now)s)
                 OR (resolved_at IS NULL AND resolve_warning_at <= %(now)s)))
            )
            """,
            open=tuple(OPEN_STATES),
            now=now,
        )

    @api.model
    def _cron_sla_sweep(self, batch_size=1000):
        """Mark at-risk and breached orders, one locked batch per call (the
        cron runner calls again while some remain). Locked rows are skipped,
        so two runs at once share the work, and the per-order markers
        (``sla_warned``, ``*_breached_at``) make a second run a no-op: every
        breach is noted and escalated exactly once."""
        now = fields.Datetime.now()
        condition = self._sla_sweep_domain_sql(now)
        try:
            with self.env.cr.savepoint(flush=False):
                orders = self._cron_lock_batch(condition, batch_size)
                if orders:
                    orders._sla_process_batch(now)
                    self.env.flush_all()
        except psycopg2.errors.SerializationFailure:
            # A user changed one of these orders after this transaction began:
            # the batch is rolled back and waits for the next run.
            self.env.invalidate_all()
            _logger.info("SLA sweep: concurrent updates, the batch waits for the next run")
            return self._cron_done(0, 0)
        return self._cron_done(len(orders), self._cron_count(condition))

    def _sla_process_batch(self, now):
        """Classify, mark and notify one locked batch with a constant number
        of queries (grouped writes, one notification per group of escalation
        users)."""
        orders = self._with_workflow_pass().with_context(
            tracking_disable=True, mail_activity_quick_update=True
        )
        orders.fetch(
            [
                "name", "state", "sla_status", "sla_policy_id", "team_id", "responded_at",
                "resolved_at", "response_deadline", "resolve_deadline", "response_warning_at",
                "resolve_warning_at", "response_breached_at", "resolve_breached_at", "sla_warned",
                "waiting", "received_at", "intake_user_id", "company_id",
            ]
        )  # fmt: skip
        groups = defaultdict(list)
        breaches = []  # (order, kind)
        warnings = []
        for order in orders:
            vals = {}
            if (
                not order.response_breached_at
                and not order.responded_at
                and order.response_deadline <= now
            ):
                vals["response_breached_at"] = now
                breaches.append((order, "response"))
            if (
                not order.resolve_breached_at
                and not order.resolved_at
                and order.resolve_deadline <= now
            ):
                vals["resolve_breached_at"] = now
                breaches.append((order, "resolve"))
            if vals:
                vals.update(sla_breached=True, sla_status="breached", sla_warned=True)
            elif not order.sla_warned:
                vals.update(sla_status="at_risk", sla_warned=True)
                warnings.append(order)
            if vals:
                groups[tuple(sorted(vals.items()))].append(order.id)
        for key, ids in groups.items():
            orders.browse(ids).write(dict(key))
        self._sla_post_notes(warnings, breaches)

    def _sla_escalation_users(self):
        """Who hears of an SLA problem of the order (one record): the
        policy's escalation users and the team leader, else the intake user."""
        self.ensure_one()
        users = self.sla_policy_id.escalation_user_ids | self.team_id.leader_id
        return users or self.intake_user_id

    def _sla_post_notes(self, warnings, breaches):
        """Tell the escalation users of the batch's orders: one notification
        per distinct group of recipients (``message_notify``: inbox or email
        as each prefers, in the first recipient's language) with the number
        of orders that breached their SLA or are at risk and the first
        ``SLA_NOTIFY_LISTED`` of each, linked, with their deadlines in the
        order's company time zone (the *Breached* and *At risk* filters of
        the orders list show them all). The orders keep the breach times
        (``response_breached_at``, ``resolve_breached_at``) and the status on
        their form; a note or an activity per order would cost one sanitised
        message or one activity and follower each."""
        groups = defaultdict(lambda: ([], []))  # partners: (breaches, warnings)
        for order, kind in breaches:
            groups[order._sla_escalation_users().partner_id][0].append((order, kind))
        for order in warnings:
            groups[order._sla_escalation_users().partner_id][1].append((order, "risk"))
        groups.pop(self.env["res.partner"], None)
        if not groups:
            return
        formatters = {}
        base_url = self.browse().get_base_url()
        author = self.env.ref("base.partner_root")

        def fmt(order, value):
            if order.company_id not in formatters:
                formatters[order.company_id] = self.env[
                    "service.local.time"
                ]._local_datetime_formatter(reader=False, company=order.company_id)
            return formatters[order.company_id](value)

        def item(order, text):
            return Markup('<li><a href="%s/mail/view?model=%s&amp;res_id=%s">%s</a>: %s</li>') % (
                base_url,
                self._name,
                order.id,
                order.name,
                text,
            )

        def describe(env, order, kind):
            if kind == "response":
                return env._(
                    "no response by %(deadline)s", deadline=fmt(order, order.response_deadline)
                )
            if kind == "resolve":
                return env._(
                    "not resolved by %(deadline)s", deadline=fmt(order, order.resolve_deadline)
                )
            return env._(
                "response by %(response)s, resolution by %(resolve)s",
                response=fmt(order, order.response_deadline),
                resolve=fmt(order, order.resolve_deadline),
            )

        def section(env, title, entries):
            items = [
                item(order, describe(env, order, kind))
                for order, kind in entries[:SLA_NOTIFY_LISTED]
            ]
            more = (
                Markup("<p>%s</p>")
                % env._("… and %(count)s more.", count=len(entries) - len(items))
                if len(entries) > len(items)
                else ""
            )
            return Markup("<p>%s</p><ul>%s</ul>%s") % (title, Markup("").join(items), more)

        for partners, (group_breaches, group_warnings) in groups.items():
            env = self.with_context(lang=partners[:1].lang or "en_US").env
            parts = []
            if group_breaches:
                title = env._(
                    "%(count)s SLA breaches (no response or not resolved in time):",
                    count=len(group_breaches),
                )
                parts.append(section(env, title, group_breaches))
            if group_warnings:
                title = env._(
                    "%(count)s service orders at risk of breaching their SLA:",
                    count=len(group_warnings),
                )
                parts.append(section(env, title, group_warnings))
            self.env["mail.thread"].message_notify(
                partner_ids=partners.ids,
                author_id=author.id,
                subject=env._("SLA watch"),
                body=Markup("").join(parts),
                subtype_xmlid="mail.mt_note",
                email_layout_xmlid="mail.mail_notification_light",
            )
