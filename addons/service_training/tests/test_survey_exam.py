from datetime import datetime

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import TrainingCommon


@tagged("post_install", "-at_install")
class TestSurveyExam(TrainingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.survey = cls.env["survey.survey"].create(
            {
                "title": "Refrigerant theory exam",
                "certification": True,
                "scoring_type": "scoring_with_answers",
                "scoring_success_min": 60,
                "access_mode": "token",
                "question_and_page_ids": [
                    (
                        0,
                        0,
                        {
                            "title": "Which refrigerant is mildly flammable?",
                            "question_type": "simple_choice",
                            "suggested_answer_ids": [
                                (0, 0, {"value": "R32", "is_correct": True, "answer_score": 10}),
                                (0, 0, {"value": "R22", "answer_score": 0}),
                            ],
                        },
                    ),
                    (
                        0,
                        0,
                        {
                            "title": "Recovery cylinders are filled to at most?",
                            "question_type": "simple_choice",
                            "suggested_answer_ids": [
                                (0, 0, {"value": "80%", "is_correct": True, "answer_score": 10}),
                                (0, 0, {"value": "100%", "answer_score": 0}),
                            ],
                        },
                    ),
                ],
            }
        )
        cls.course.survey_id = cls.survey
        cls.session = cls._session(start=datetime(2030, 3, 2, 1, 0), end=datetime(2030, 3, 4, 9, 0))
        cls.attendance = cls.env["training.attendance"].create(
            {"session_id": cls.session.id, "employee_id": cls.tech.id, "practical_score": 85}
        )

    def _answer_exam(self, answer, correct_count):
        for index, question in enumerate(self.survey.question_ids):
            choice = question.suggested_answer_ids.filtered(
                lambda a, good=index < correct_count: bool(a.is_correct) == good
            )
            answer._save_lines(question, choice.id)
        answer._mark_done()

    def test_exam_not_open_before_session_starts(self):
        with self.assertRaisesRegex(UserError, self.session.name):
            self.attendance.with_user(self.tech_user).action_start_exam()

    def test_survey_score_feeds_attendance(self):
        self.session.action_start()
        action = self.attendance.with_user(self.tech_user).action_start_exam()
        answer = self.attendance.survey_user_input_id
        self.assertTrue(answer)
        self.assertEqual(answer.partner_id, self.tech_user.partner_id)
        self.assertIn(answer.access_token, action["url"])
        self.assertEqual(self.attendance.result, "pending")
        self._answer_exam(answer, correct_count=2)
        self.assertEqual(self.attendance.theory_score, 100)
        self.assertTrue(self.attendance.theory_scored)
        self.assertEqual(self.attendance.result, "passed")
        self.session.action_done()
        self.assertTrue(self.attendance.certification_id)

    def test_failed_exam_fails_attendance(self):
        self.session.action_start()
        self.attendance.with_user(self.tech_user).action_start_exam()
        self._answer_exam(self.attendance.survey_user_input_id, correct_count=1)
        self.assertEqual(self.attendance.theory_score, 50)
        self.assertEqual(self.attendance.result, "failed")
