from odoo import fields
from odoo.tests import new_test_user

from .common import ServiceQualityCommon


def run_job_to_end(cron, max_calls=200):
    """Run ``cron`` the way the cron runner does: call it again while it
    reports work left through ``ir.cron._notify_progress``. Returns the
    number of calls."""
    cron = cron.sudo()
    Progress = cron.env["ir.cron.progress"].sudo()
    for calls in range(1, max_calls + 1):
        cron.method_direct_trigger()
        progress = Progress.search([("cron_id", "=", cron.id)], order="id desc", limit=1)
        if not progress.remaining:
            return calls
    raise AssertionError(f"{cron.name} still reports work left after {max_calls} calls")


class RetentionCommon(ServiceQualityCommon):
    """Two archivists (requester and approver) and a clean slate of policies."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.archivist_2 = new_test_user(
            cls.env, "sq_archivist2", groups="service_quality.group_archivist", name="Bo Archivist"
        )
        # The shipped defaults would also pick the test records up.
        cls.env["service.retention.policy"].search([]).action_archive()
        cls.Policy = cls.env["service.retention.policy"]
        cls.Request = cls.env["service.retention.request"]
        cls.Register = cls.env["service.retention.register"]
        cls.model_complaint = cls.env["ir.model"]._get("service.complaint")
        cls.model_order = cls.env["ir.model"]._get("service.order")

    @classmethod
    def _apply_policies(cls):
        """The scheduled job of the retention policies, run to the end."""
        return run_job_to_end(cls.env.ref("service_quality.ir_cron_retention_apply_policies"))

    @classmethod
    def _destroy_approved(cls):
        """The scheduled destruction of approved requests, run to the end."""
        return run_job_to_end(cls.env.ref("service_quality.ir_cron_retention_destroy_approved"))

    @classmethod
    def _run_policy(cls, policy, user):
        """``user`` clicks Apply Now on ``policy``, then the job runs."""
        policy.with_user(user).action_run()
        return cls._apply_policies()

    @classmethod
    def _lend(cls, record, user, days=30):
        """An approved borrowing of the archived ``record`` for ``user``."""
        return (
            cls.env["service.records.borrowing"]
            .sudo()
            .create(
                {
                    "res_model": record._name,
                    "res_id": record.id,
                    "requester_id": user.id,
                    "reason": "Customer dispute",
                    "end_date": fields.Date.add(fields.Date.context_today(record), days=days),
                    "state": "approved",
                    "approved_by_id": cls.archivist.id,
                }
            )
        )

    def _count_queries(self, func, *args, **kwargs):
        """Run ``func`` after a flush and return (result, number of queries)."""
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        result = func(*args, **kwargs)
        self.env.flush_all()
        return result, self.env.cr.sql_log_count - before

    @classmethod
    def _complaints(cls, count, closed_at="2023-03-01 10:00:00", **extra):
        return cls.env["service.complaint"].create(
            [
                dict(
                    {
                        "partner_id": cls.customer.id,
                        "description": f"Drum noise, case {index}",
                        "state": "closed",
                        "closed_at": closed_at,
                    },
                    **extra,
                )
                for index in range(count)
            ]
        )

    @classmethod
    def _complaint_policy(cls, action="destroy", batch_size=1000, **extra):
        return cls.Policy.create(
            dict(
                {
                    "name": "Complaints 3 years",
                    "model_id": cls.model_complaint.id,
                    "date_field": "closed_at",
                    "years": 3,
                    "domain": "[('state', '=', 'closed')]",
                    "action": action,
                    "batch_size": batch_size,
                },
                **extra,
            )
        )
