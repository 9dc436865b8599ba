from . import test_reward_compensation
from . import test_objective_records
