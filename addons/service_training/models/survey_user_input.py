from odoo import models


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    def _mark_done(self):
        """A finished theory exam becomes the attendee's theory score."""
        result = super()._mark_done()
        # sudo: the attendee (or a public exam link) finishes the exam; the
        # attendance is matched on the answer itself, not on user input.
        attendances = (
            self.env["training.attendance"]
            .sudo()
            .search([("survey_user_input_id", "in", self.ids)])
        )
        for attendance in attendances:
            answer = attendance.survey_user_input_id
            attendance.write({"theory_score": answer.scoring_percentage})
            attendance.message_post(
                body=self.env._(
                    "Theory exam %(survey)s completed: %(score)s%%.",
                    survey=answer.survey_id.title,
                    score=answer.scoring_percentage,
                )
            )
        return result
