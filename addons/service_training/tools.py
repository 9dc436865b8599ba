import threading

from odoo.modules import module as odoo_module


def commit_batch(env):
    """Commit a cron batch so finished work survives a later failure; never
    inside tests, where the test transaction must stay open, nor when the
    caller asks for one transaction (``training_no_commit`` in the context)."""
    if (
        odoo_module.current_test
        or getattr(threading.current_thread(), "testing", False)
        or env.context.get("training_no_commit")
    ):
        return
    env.cr.commit()
