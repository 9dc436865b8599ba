from . import test_reward_compensation
from . import test_objective_records
from . import test_audit_workflow_guard
from . import test_evidence_access
