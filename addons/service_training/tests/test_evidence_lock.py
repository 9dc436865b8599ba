from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.service_quality.tests.evidence_common import EvidenceLockMixin

from .common import TrainingCommon


@tagged("post_install", "-at_install")
class TestTrainingEvidenceLock(EvidenceLockMixin, TrainingCommon):
    def test_walk_every_final_record(self):
        roles = (self.officer, self.dispatcher, self.tech_user, self.tech_user_2)
        covered = {}
        with freeze_time("2026-03-10 09:00:00"):
            session = self._session()
            session._workflow_write({"state": "done"})
            covered["training.session/done"] = session
            plan = self.env["training.plan"].create(
                {
                    "name": "Field service 2026",
                    "year": 2026,
                    "line_ids": [
                        Command.create(
                            {
                                "course_id": self.course.id,
                                "date_start": datetime(2026, 4, 1, 1, 0),
                                "date_end": datetime(2026, 4, 3, 9, 0),
                            }
                        )
                    ],
                }
            )
            plan._workflow_write({"state": "approved", "approved_by_id": self.officer.id})
            covered["training.plan/approved"] = plan
            expired = self._cert(self.tech, self.type_electric, date(2024, 1, 1), date(2025, 1, 1))
            covered["training.certification/expired"] = expired
            revoked = self._cert(self.tech_2, self.type_refrigerant, date(2026, 1, 5))
            revoked.with_user(self.officer).action_revoke("Refrigerant vented on site")
            covered["training.certification/revoked"] = revoked
            assessment = self.env["training.assessment"].create(
                {
                    "employee_id": self.tech.id,
                    "date_from": date(2026, 2, 1),
                    "date_to": date(2026, 2, 28),
                    "technical_score": 80,
                    "attitude_score": 85,
                    "safety_score": 90,
                    "training_need": "Inverter diagnostics",
                }
            )
            assessment.with_user(self.officer).action_sign()
            covered["training.assessment/signed"] = assessment
            for key, record in covered.items():
                self.assertEqual(record.state, key.split("/")[1])
                self.assertEvidenceLocked(record, roles, self.officer)
        expected = {
            f"{model}/{state}"
            for model in self._final_state_models("service_training")
            for state in self.env[model]._workflow_final_states
        }
        self.assertEqual(set(covered), expected)

    def test_approved_plan_cannot_go_back_to_draft(self):
        plan = self.env["training.plan"].create({"name": "Field service 2026", "year": 2026})
        plan._workflow_write({"state": "approved", "approved_by_id": self.officer.id})
        with self.assertRaisesRegex(UserError, "cannot move to Draft from Approved"):
            plan.with_user(self.officer).action_draft()
        with self.assertRaisesRegex(UserError, "cannot move to Cancelled from Approved"):
            plan.with_user(self.officer).action_cancel()
        self.assertEqual(plan.state, "approved")
        self.assertEqual(plan.approved_by_id, self.officer)
