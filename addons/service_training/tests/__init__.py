from . import test_install
from . import test_retention_training
