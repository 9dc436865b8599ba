from odoo import SUPERUSER_ID, api
from odoo.tests import tagged
from odoo.tests.common import TransactionCase


@tagged("post_install", "-at_install")
class TestRetentionConcurrency(TransactionCase):
    """Two destruction runs at once, on two real database connections.

    The data is committed (a second connection cannot see uncommitted rows)
    and removed at the end. The lines point to records that are already gone,
    so no register row (append-only) is written and the cleanup is complete."""

    def test_locked_lines_are_skipped_by_a_concurrent_run(self):
        registry = self.env.registry
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
            policy = env["service.retention.policy"].create(
                {
                    "name": "Concurrency test policy",
                    "model_id": env["ir.model"]._get("service.complaint").id,
                    "date_field": "closed_at",
                    "years": 3,
                    "action": "destroy",
                    "active": False,
                }
            )
            request = env["service.retention.request"].create(
                {
                    "policy_id": policy.id,
                    "line_ids": [
                        (0, 0, {"res_model": "service.complaint", "res_id": 2_000_000_000 + i})
                        for i in range(4)
                    ],
                }
            )
            request._workflow_write(
                {"state": "approved", "approved_by_id": env.ref("base.user_admin").id}
            )
            request_id, policy_id = request.id, policy.id
            line_ids = request.line_ids.ids
            cr.commit()
        try:
            with registry.cursor() as locker, registry.cursor() as runner:
                # Run 1 holds the first two lines (it is destroying them).
                locker.execute(
                    "SELECT id FROM service_retention_request_line WHERE id IN %s FOR UPDATE",
                    [tuple(line_ids[:2])],
                )
                # Run 2 starts meanwhile: it must not wait for, nor process, them.
                env = api.Environment(runner, SUPERUSER_ID, {})
                processed = env["service.retention.request.line"]._destroy_batch(10, [request_id])
                self.assertEqual(processed, 2)
                runner.execute(
                    "SELECT id, state FROM service_retention_request_line WHERE id IN %s ORDER BY id",
                    [tuple(line_ids)],
                )
                states = dict(runner.fetchall())
                self.assertEqual(
                    [states[i] for i in line_ids], ["pending", "pending", "missing", "missing"]
                )
                runner.rollback()
                locker.rollback()
        finally:
            with registry.cursor() as cr:
                for table in ("mail_followers", "mail_message"):
                    cr.execute(
                        f"DELETE FROM {table} WHERE model = 'service.retention.request' AND res_id = %s"
                        if table == "mail_message"
                        else f"DELETE FROM {table} WHERE res_model = 'service.retention.request' AND res_id = %s",
                        [request_id],
                    )
                cr.execute("DELETE FROM service_retention_request WHERE id = %s", [request_id])
                cr.execute("DELETE FROM service_retention_policy WHERE id = %s", [policy_id])
                cr.commit()
