from . import test_install
from . import test_checkout
from . import test_calibration
from . import test_parts
from . import test_plans
from . import test_faults
from . import test_retirement
from . import test_access
