from time import monotonic

from odoo import api, models
from odoo.tools import SQL

# What one call of a job may spend on the slow part of its batch (rendering
# reports or messages): the cron runner calls a job up to ten times per
# cycle, and the cron worker is killed when its cycle runs past
# limit_time_real_cron (default: limit_time_real, 120 s; 1800 s in
# deploy/odoo-node.conf), rolling the current call back.
CRON_CALL_SECONDS = 10


class ServiceCronMixin(models.AbstractModel):
    """One batch per call for scheduled jobs.

    A job selects its work with an SQL condition on the model's table, locks
    one batch of rows (``FOR UPDATE SKIP LOCKED``: two runs at once share the
    work, never do it twice), processes it and reports what it did and what
    is left with ``ir.cron._notify_progress``. The cron runner commits after
    each call and calls the job again while work remains (see
    ``ir.cron._run_job``), so no business method commits or cares whether it
    runs inside a test.
    """

    _name = "service.cron.mixin"
    _description = "Batched Scheduled Job"

    @api.model
    def _cron_lock_batch(self, condition, batch_size, order=None, alias=None):
        """Lock and return up to ``batch_size`` records of this model whose
        row matches ``condition`` (an ``SQL`` on the table, aliased ``alias``
        when given), skipping rows another transaction holds."""
        self.env.flush_all()
        table = (
            SQL("%s AS %s", SQL.identifier(self._table), SQL.identifier(alias))
            if alias
            else SQL.identifier(self._table)
        )
        lock = (
            SQL("FOR UPDATE OF %s SKIP LOCKED", SQL.identifier(alias))
            if alias
            else SQL("FOR UPDATE SKIP LOCKED")
        )
        self.env.cr.execute(
            SQL(
                "SELECT %s FROM %s WHERE %s ORDER BY %s LIMIT %s %s",
                SQL.identifier(alias, "id") if alias else SQL("id"),
                table,
                condition,
                order or SQL("id"),
                batch_size,
                lock,
            )
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    @api.model
    def _cron_count(self, condition, alias=None):
        """Rows of this model matching ``condition`` (after a flush)."""
        self.env.flush_all()
        table = (
            SQL("%s AS %s", SQL.identifier(self._table), SQL.identifier(alias))
            if alias
            else SQL.identifier(self._table)
        )
        self.env.cr.execute(SQL("SELECT COUNT(*) FROM %s WHERE %s", table, condition))
        return self.env.cr.fetchone()[0]

    @api.model
    def _cron_remaining(self, condition, batch, batch_size, alias=None):
        """Rows of this model still matching ``condition`` once ``batch``,
        locked by ``_cron_lock_batch`` with ``batch_size``, is processed (so
        that it no longer matches): none, without a query, when the lock
        took fewer than ``batch_size`` rows, since it took every matching
        row but those another run holds and handles; else counted."""
        if len(batch) < batch_size:
            return 0
        return self._cron_count(condition, alias=alias)

    @api.model
    def _cron_until(self, items, seconds=CRON_CALL_SECONDS):
        """Yield ``items`` one by one until the call has used ``seconds``
        since the first one (one at least): a job handles the rest of its
        locked batch in its next call (the lock ends with the runner's
        commit), so a batch that is slow to render under load never makes
        the cron worker's cycle run past its time limit."""
        deadline = monotonic() + seconds
        for item in items:
            yield item
            if monotonic() > deadline:
                return

    @api.model
    def _cron_done(self, done, remaining):
        """End of one call of a job: report the progress to the cron runner
        (which calls again while ``remaining``), drop the batch from the
        cache so memory stays flat over many calls, and return ``done``."""
        self.env.flush_all()
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        self.env.invalidate_all()
        return done
