from . import test_install
from . import test_checkout
from . import test_calibration
from . import test_parts
