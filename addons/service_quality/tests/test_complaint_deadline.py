from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import batch_queries
from .quality_common import QualityCommon

# Queries of one job batch, whatever the number of records in it (one of
# them reads the company's time zone the messages print their deadlines in).
BATCH_QUERIES = 21


@tagged("post_install", "-at_install")
class TestComplaintDeadline(QualityCommon):
    def _managers_partner_ids(self):
        return set(self.env["service.complaint"]._get_escalation_users().partner_id.ids)

    def test_major_complaint_escalated_at_once(self):
        complaint = self._complaint(severity="major")
        self.assertTrue(complaint.escalated_at)
        self.assertEqual(complaint.response_deadline, datetime(2026, 3, 4, 9, 0))
        activities = complaint.activity_ids
        self.assertIn(self.manager, activities.user_id)
        self.assertIn(self.manager_2, activities.user_id)
        self.assertNotIn(self.inspector, activities.user_id)
        message = complaint.message_ids.filtered(
            lambda m: "escalated to the service managers" in (m.body or "")
        )
        self.assertEqual(len(message), 1)
        self.assertIn(self.manager.partner_id, message.partner_ids)
        # Editing it again does not escalate twice.
        complaint.write({"severity": "major", "description": "<p>More details</p>"})
        self.assertEqual(len(complaint.activity_ids), len(activities))

    def test_general_complaint_escalated_when_raised_to_major(self):
        complaint = self._complaint()
        self.assertFalse(complaint.escalated_at)
        self.assertFalse(complaint.activity_ids)
        complaint.severity = "major"
        self.assertTrue(complaint.escalated_at)
        self.assertIn(self.manager, complaint.activity_ids.user_id)

    def test_deadline_job_marks_breaches_once(self):
        cron = self.env.ref("service_quality.ir_cron_complaint_deadlines")
        general_late = self._complaint(received_at=datetime(2026, 3, 2, 9, 0))
        general_ok = self._complaint(received_at=datetime(2026, 3, 2, 9, 0))
        major = self._complaint(received_at=datetime(2026, 3, 2, 9, 0), severity="major")
        acked = self._complaint(received_at=datetime(2026, 3, 2, 9, 0))
        with freeze_time("2026-03-02 20:00:00"):
            acked.action_acknowledge()
            general_ok.action_acknowledge()
        # Day 2, 10:00: the general one is 1 h late, the major one still has a day.
        with freeze_time("2026-03-03 10:00:00"):
            cron.method_direct_trigger()
        self.assertEqual(general_late.deadline_status, "breached")
        self.assertTrue(general_late.breach_notified_at)
        self.assertEqual(major.deadline_status, "on_track")
        self.assertEqual(acked.deadline_status, "met")
        count_messages = len(general_late.message_ids)
        count_activities = len(general_late.activity_ids)
        self.assertIn(self.manager, general_late.activity_ids.user_id)
        # Acknowledged but the major one is not in special handling after 48 h.
        with freeze_time("2026-03-04 10:00:00"):
            major.action_acknowledge()
            cron.method_direct_trigger()
            cron.method_direct_trigger()
        self.assertEqual(major.deadline_status, "breached")
        self.assertEqual(len(general_late.message_ids), count_messages, "notified once")
        self.assertEqual(len(general_late.activity_ids), count_activities)
        # The breach stays recorded after the late acknowledgement.
        with freeze_time("2026-03-04 11:00:00"):
            general_late.action_acknowledge()
        self.assertEqual(general_late.deadline_status, "breached")

    def test_deadline_job_query_count_does_not_grow(self):
        Complaint = self.env["service.complaint"]
        # the company's time zone is its partner's (not its calendar's,
        # another query), whatever the database holds
        self.company.partner_id.tz = "Asia/Shanghai"
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        with freeze_time("2026-03-03 10:00:00"):
            Complaint._cron_check_deadlines()  # whatever else the database holds
        # A batch costs a few queries per manager (their activities, their
        # subscription), none per complaint: the managers are fixed here so
        # the figure does not depend on the users the database holds.
        self.env.ref("service_quality.group_service_manager").write(
            {"users": [Command.set((self.manager | self.manager_2).ids)]}
        )

        def make_complaints(count):
            return Complaint.create(
                [
                    {
                        "partner_id": self.customer.id,
                        "service_order_id": self.order.id,
                        "category_id": self.complaint_category.id,
                        "description": f"<p>Leak {i}</p>",
                        "received_at": datetime(2026, 3, 2, 9, 0),
                    }
                    for i in range(count)
                ]
            )

        # a first batch of one warms the caches; then 5 and 20 cost the same
        runs = batch_queries(
            self,
            Complaint._cron_check_deadlines,
            make_complaints,
            (1, 5, 20),
            "2026-03-03 10:00:00",
        )
        self.assertEqual(runs[5][1], BATCH_QUERIES, "queries of a batch of 5")
        self.assertEqual(runs[20][1], runs[5][1], "the batch costs the same at 20 as at 5")
        for complaints, _queries in runs.values():
            managers = complaints[0]._get_escalation_users()
            self.assertEqual(managers, self.manager | self.manager_2)
            self.assertEqual(set(complaints.mapped("deadline_status")), {"breached"})
            for complaint in complaints:
                message = complaint.message_ids.filtered(
                    lambda m: "missed its response deadline" in (m.body or "")
                )
                self.assertEqual(len(message), 1)
                self.assertEqual(message.partner_ids, managers.partner_id)
                self.assertEqual(message.subtype_id, self.env.ref("mail.mt_note"))
                self.assertEqual(
                    complaint.activity_ids.filtered(
                        lambda a: a.activity_type_id == activity_type
                    ).user_id,
                    managers,
                )
