from datetime import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .quality_common import QualityCommon


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
