from . import training_certification_type
from . import training_certification
from . import (
    hr_employee,
    service_category,
    service_order,
    survey_user_input,
    training_assessment,
    training_attendance,
    training_course,
    training_evaluation,
    training_plan,
    training_plan_line,
    training_session,
)
from . import service_dashboard
from . import training_cadence_rule
from . import training_cadence_gap
