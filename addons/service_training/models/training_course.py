from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class TrainingCourse(models.Model):
    _name = "training.course"
    _description = "Training Course"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "sequence, name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    code = fields.Char(index=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    category = fields.Selection(
        [
            ("culture", "Company Culture"),
            ("product", "Product"),
            ("technical", "Technical"),
            ("communication", "Communication"),
            ("safety", "Safety"),
        ],
        required=True,
        default="technical",
        index=True,
    )
    mode = fields.Selection(
        [
            ("classroom", "Classroom"),
            ("practical", "On-site Practical"),
            ("external", "External"),
            ("online", "Online"),
        ],
        required=True,
        default="classroom",
    )
    programme = fields.Selection(
        [
            ("induction", "New Technician Induction"),
            ("in_service", "In-service Training"),
            ("other", "Other"),
        ],
        default="other",
        required=True,
        index=True,
        help="Induction: two weeks for new technicians. In-service: twice a year.",
    )
    duration_days = fields.Integer(string="Duration (Days)", default=1)
    hours = fields.Float(required=True, default=8.0)
    sessions_per_year = fields.Integer(default=1)
    theory_pass_mark = fields.Float(
        default=60.0, help="Minimum theory score to pass. 0 means no theory exam."
    )
    practical_pass_mark = fields.Float(
        default=60.0, help="Minimum practical score to pass. 0 means no practical test."
    )
    survey_id = fields.Many2one(
        "survey.survey",
        string="Theory Exam",
        domain=[("certification", "=", True)],
        help="Certification survey whose score becomes the attendee's theory score.",
    )
    certification_type_id = fields.Many2one(
        "training.certification.type",
        string="Certificate Granted",
        help="Passing this course issues or renews a certificate of this type.",
    )
    description = fields.Html(translate=True)
    session_ids = fields.One2many("training.session", "course_id")
    session_count = fields.Integer(compute="_compute_session_count")
    company_id = fields.Many2one(
        "res.company", index=True, help="Leave empty to share the course between companies."
    )

    def _compute_session_count(self):
        counts = dict(
            self.env["training.session"]._read_group(
                [("course_id", "in", self.ids)], ["course_id"], ["__count"]
            )
        )
        for course in self:
            course.session_count = counts.get(course, 0)

    @api.constrains("theory_pass_mark", "practical_pass_mark", "hours", "duration_days")
    def _check_marks(self):
        for course in self:
            for mark in (course.theory_pass_mark, course.practical_pass_mark):
                if not 0 <= mark <= 100:
                    raise ValidationError(
                        _(
                            "Course %(name)s: pass marks must be between 0 and 100.",
                            name=course.name,
                        )
                    )
            if course.hours < 0 or course.duration_days < 0:
                raise ValidationError(
                    _("Course %(name)s: hours and days cannot be negative.", name=course.name)
                )

    def action_view_sessions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "service_training.training_session_action"
        )
        action["domain"] = [("course_id", "=", self.id)]
        action["context"] = {"default_course_id": self.id}
        return action
