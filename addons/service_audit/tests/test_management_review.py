from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import ServiceAuditCommon


@tagged("post_install", "-at_install")
class TestManagementReview(ServiceAuditCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        orders = cls._orders(5, date(2022, 1, 10))
        cls._complaints(1, date(2022, 2, 3), orders[0])
        cls.objective = cls.env["service.objective"].create(
            {
                "kpi": "complaint_rate",
                "target": 5,
                "date_from": date(2022, 1, 1),
                "date_to": date(2022, 6, 30),
            }
        )
        cls.objective_other_year = cls.objective.copy(
            {"date_from": date(2023, 1, 1), "date_to": date(2023, 12, 31)}
        )

    def _review(self, user=None, **vals):
        values = {
            "date": date(2022, 7, 10),
            "date_from": date(2022, 1, 1),
            "date_to": date(2022, 6, 30),
            "attendee_ids": [(6, 0, (self.inspector | self.inspector_2).ids)],
        }
        values.update(vals)
        return self.env["service.management.review"].with_user(user or self.manager).create(values)

    def _action(self, review, owner):
        return (
            self.env["service.corrective.action"]
            .with_user(self.manager)
            .create(
                {
                    "name": "Second calibration supplier",
                    "management_review_id": review.id,
                    "owner_id": owner.id,
                    "deadline": date(2022, 9, 30),
                }
            )
        )

    def test_review_cycle(self):
        review = self._review()
        self.assertTrue(review.name.startswith("MR/"))
        self.assertEqual(review.objective_ids, self.objective)
        with self.assertRaisesRegex(UserError, "record the decisions"):
            review.action_hold()
        with self.assertRaisesRegex(UserError, "must be held"):
            review.action_close()
        review.decisions = "<p>Add a second calibration supplier.</p>"
        review.action_hold()
        self.assertEqual(review.state, "held")
        action = self._action(review, self.inspector)
        self.assertEqual(review.open_action_count, 1)
        with self.assertRaisesRegex(UserError, "not verified: Second calibration supplier"):
            review.action_close()
        # followed up like any corrective action: reminder, done, checked by someone else
        with freeze_time("2022-09-29"):
            self.env["service.corrective.action"]._cron_send_reminders()
        self.assertEqual(action.reminder_sent_for, date(2022, 9, 30))
        action.with_user(self.inspector).action_done()
        action.with_user(self.inspector_2).write({"effectiveness": "effective"})
        action.with_user(self.inspector_2).action_verify()
        review.action_close()
        self.assertEqual(review.state, "closed")

    def test_minutes_in_both_languages(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["service_quality", "service_audit"], ["zh_CN"], overwrite=True
        )
        review = self._review(decisions="<p>Shorter appointment windows.</p>")
        self._action(review, self.inspector)
        with freeze_time("2022-07-10"):
            self.objective.action_refresh()
        self.assertEqual(review.action_print_minutes()["report_name"],
                         "service_audit.report_management_review")  # fmt: skip
        inputs = review._review_inputs()
        self.assertEqual(inputs["kpi"]["order_count"], 5)
        self.assertEqual(inputs["kpi"]["complaint_count"], 1)
        self.assertEqual(inputs["actions_by_state"], {})
        for lang, title in (("en_US", "Management Review Minutes"), ("zh_CN", "管理评审纪要")):
            html = (
                self.env["ir.actions.report"]
                .with_context(lang=lang)
                ._render_qweb_html("service_audit.report_management_review", review.ids)[0]
                .decode()
            )
            self.assertIn(title, html)
            self.assertIn("Second calibration supplier", html)
            self.assertIn("Shorter appointment windows.", html)
            self.assertIn("20.0", html, "complaints per 100 orders of the period")

    def test_action_needs_an_origin(self):
        with self.assertRaisesRegex(ValidationError, "management review"):
            self.env["service.corrective.action"].create(
                {"name": "Orphan", "owner_id": self.inspector.id, "deadline": date(2022, 1, 1)}
            )

    def test_access(self):
        review = self._review()
        self.assertTrue(review.with_user(self.inspector).read(["name"]))
        with self.assertRaises(AccessError):
            self._review(user=self.inspector)
        with self.assertRaises(AccessError):
            review.with_user(self.inspector).write({"decisions": "<p>x</p>"})
        with self.assertRaises(AccessError):
            review.with_user(self.technician).read(["name"])
        with self.assertRaises(AccessError):
            review.with_user(self.inspector_other_company).read(["name"])
