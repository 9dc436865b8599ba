from odoo import fields
from odoo.tests import new_test_user

from .common import ServiceQualityCommon


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
