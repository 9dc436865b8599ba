from . import (
    test_access,
    test_assessment,
    test_certification,
    test_certification_cron,
    test_certified_to_work,
    test_plan_and_file,
    test_session,
    test_survey_exam,
)
from . import test_retention_training
from . import test_workflow_guard
from . import test_display_names
from . import test_demo_logins
from . import test_evidence_lock
from . import test_training_evidence
