from . import test_reward_compensation
