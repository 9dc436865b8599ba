from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.service_quality.tests.common import batch_queries

from .common import TrainingCommon

# Queries of one job batch, whatever the number of records in it.
BATCH_QUERIES = 40


@tagged("post_install", "-at_install")
@freeze_time("2026-01-01")
class TestCertificationCron(TrainingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cron = cls.env.ref("service_training.ir_cron_training_certification_states")
        cls.cert = cls._cert(cls.tech, cls.type_electric, date(2025, 6, 1), date(2026, 6, 1))

    def _run(self, day):
        with freeze_time(day):
            self.cron.method_direct_trigger()
        self.cert.invalidate_recordset()

    def _reminders(self):
        return self.env["mail.message"].search(
            [
                ("model", "=", "training.certification"),
                ("res_id", "=", self.cert.id),
                ("subject", "=", "Certificate expiry reminder"),
            ]
        )

    def test_states_follow_time(self):
        self.assertEqual(self.cert.state, "valid")
        self._run("2026-03-01")  # 92 days left
        self.assertEqual(self.cert.state, "valid")
        self._run("2026-03-04")  # 89 days left
        self.assertEqual(self.cert.state, "expiring")
        self.assertIn(
            self.cert,
            self.env["training.certification"].search([("state", "=", "expiring")]),
        )
        self._run("2026-06-01")  # last valid day
        self.assertEqual(self.cert.state, "expiring")
        self._run("2026-06-02")
        self.assertEqual(self.cert.state, "expired")

    def test_reminders_each_threshold_once(self):
        officer_partner = self.officer.partner_id
        employee_partner = self.tech_user.partner_id
        self._run("2026-03-01")  # 92 days: nothing yet
        self.assertFalse(self._reminders())
        self._run("2026-03-03")  # 90 days
        reminders = self._reminders()
        self.assertEqual(len(reminders), 1)
        self.assertEqual(reminders.partner_ids, employee_partner)
        digest = self.env["mail.mail"].search(
            [("recipient_ids", "in", officer_partner.ids), ("subject", "like", "90-day")]
        )
        self.assertEqual(len(digest), 1, "one digest for the officers")
        self.assertIn(self.cert.number, digest.body_html)
        self.assertEqual(self.cert.reminder_threshold_sent, 90)
        holder_mail = self.env["mail.mail"].search(
            [
                ("recipient_ids", "in", employee_partner.ids),
                ("subject", "=", f"Certificate {self.cert.number} expires in 90 days"),
            ]
        )
        self.assertEqual(len(holder_mail), 1, "an email to the holder is queued")
        self.assertEqual(self.cert.activity_ids.user_id, self.tech_user)
        self._run("2026-03-03")  # same day again: never twice
        self._run("2026-03-20")  # 73 days: still the 90-day window
        self.assertEqual(len(self._reminders()), 1)
        self._run("2026-04-02")  # 60 days
        self.assertEqual(len(self._reminders()), 2)
        self.assertEqual(self.cert.reminder_threshold_sent, 60)
        self._run("2026-05-02")  # 30 days
        self._run("2026-05-25")  # 7 days
        self._run("2026-05-26")
        self.assertEqual(len(self._reminders()), 4)
        self.assertEqual(self.cert.reminder_threshold_sent, 7)

    def test_missed_runs_do_not_lose_reminder(self):
        # The job did not run between 92 and 25 days before expiry: one
        # reminder (the most urgent reached) on the next run, not three.
        self._run("2026-03-01")
        self._run("2026-05-07")  # 25 days left
        reminders = self._reminders()
        self.assertEqual(len(reminders), 1)
        self.assertIn("25 days", reminders.body)
        self.assertEqual(self.cert.reminder_threshold_sent, 30)
        self._run("2026-05-08")
        self.assertEqual(len(self._reminders()), 1)
        self._run("2026-05-26")  # 6 days
        self.assertEqual(len(self._reminders()), 2)

    def test_renewal_restarts_reminders_and_revoked_is_silent(self):
        self._run("2026-04-02")
        self.assertEqual(self.cert.reminder_threshold_sent, 60)
        self.cert._renew(date(2026, 4, 20))  # passed the refresher: 12 more months
        self.assertEqual(self.cert.expiry_date, date(2027, 6, 1))
        self.assertEqual(self.cert.reminder_threshold_sent, 0)
        self.assertEqual(self.cert.state, "valid")
        other = self._cert(self.tech_2, self.type_electric, date(2025, 6, 1), date(2026, 6, 1))
        other.action_revoke("Left the company")
        self._run("2026-05-30")
        self.assertFalse(
            self.env["mail.message"].search(
                [
                    ("model", "=", "training.certification"),
                    ("res_id", "=", other.id),
                    ("subject", "=", "Certificate expiry reminder"),
                ]
            )
        )
        self.assertEqual(other.state, "revoked")

    def _stale(self, count):
        return self.env["training.certification"].create(
            [
                {
                    "employee_id": (self.tech if i % 2 else self.tech_2).id,
                    "type_id": self.type_electric.id,
                    "issue_date": date(2025, 1, 1),
                    "expiry_date": date(2026, 5, 1 + i % 28),
                }
                for i in range(count)
            ]
        )

    def test_state_update_query_count_does_not_grow(self):
        Cert = self.env["training.certification"]
        with freeze_time("2026-03-10"):
            Cert._update_states()  # whatever else the database holds
        self.assertEqual(self.cert.state, "expiring")
        for count in (1, 60):
            certs = self._stale(count)  # valid when created, expiring on 03-10
            self.env.flush_all()
            with freeze_time("2026-03-10"), self.assertQueryCount(__system__=8):
                Cert._update_states()
            self.assertEqual(set(certs.mapped("state")), {"expiring"})

    def test_reminder_query_count_does_not_grow(self):
        Cert = self.env["training.certification"]
        with freeze_time("2026-03-10"):
            Cert._send_due_reminders()  # whatever else the database holds
        holders = {self.tech: self.tech_user.partner_id, self.tech_2: self.tech_user_2.partner_id}

        def make_certificates(count):
            # all expire within 60 days of 03-10: one batch, the 60-day reminder
            return self.env["training.certification"].create(
                [
                    {
                        "employee_id": (self.tech if i % 2 else self.tech_2).id,
                        "type_id": self.type_electric.id,
                        "issue_date": date(2025, 1, 1),
                        "expiry_date": date(2026, 5, 1 + i % 9),
                    }
                    for i in range(count)
                ]
            )

        # a first batch of one warms the caches; then 5 and 20 cost the same
        runs = batch_queries(
            self, Cert._send_due_reminders, make_certificates, (1, 5, 20), "2026-03-10"
        )
        self.assertEqual(runs[5][1], BATCH_QUERIES, "queries of a batch of 5")
        self.assertEqual(runs[20][1], runs[5][1], "the batch costs the same at 20 as at 5")
        for count, (certs, _queries) in runs.items():
            self.assertEqual(set(certs.mapped("reminder_threshold_sent")), {60})
            for cert in certs:
                reminder = self.env["mail.message"].search(
                    [
                        ("model", "=", "training.certification"),
                        ("res_id", "=", cert.id),
                        ("subject", "=", "Certificate expiry reminder"),
                    ]
                )
                self.assertEqual(len(reminder), 1)
                self.assertEqual(reminder.partner_ids, holders[cert.employee_id])
                self.assertEqual(cert.activity_ids.user_id.partner_id, holders[cert.employee_id])
            digest = self.env["mail.mail"].search(
                [
                    ("recipient_ids", "in", self.officer.partner_id.ids),
                    ("subject", "=", f"{count} certificates reach the 60-day expiry reminder"),
                ]
            )
            self.assertEqual(len(digest), 1, "one digest for the batch")
