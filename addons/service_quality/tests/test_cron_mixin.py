from datetime import date

from odoo.tests import tagged
from odoo.tools import SQL

from .quality_common import QualityCommon


@tagged("post_install", "-at_install")
class TestCronMixin(QualityCommon):
    def test_remaining_counted_only_after_a_full_batch(self):
        Action = self.env["service.corrective.action"]
        complaint = self._complaint()
        actions = Action.create(
            [
                {
                    "name": f"Batch {i}",
                    "complaint_id": complaint.id,
                    "owner_id": self.technician.id,
                    "deadline": date(2026, 3, 10),
                }
                for i in range(3)
            ]
        )
        condition = SQL("id IN %s", tuple(actions.ids))
        # fewer rows than the batch size: the lock took every matching row
        batch = Action._cron_lock_batch(condition, 5)
        self.assertEqual(batch, actions)
        start = self.cr.sql_log_count
        self.assertEqual(Action._cron_remaining(condition, batch, 5), 0)
        self.assertEqual(self.cr.sql_log_count, start, "no query")
        # a full batch: what still matches is counted (here all three, as
        # the batch was not processed)
        batch = Action._cron_lock_batch(condition, 2)
        self.assertEqual(len(batch), 2)
        self.assertEqual(Action._cron_remaining(condition, batch, 2), 3)
