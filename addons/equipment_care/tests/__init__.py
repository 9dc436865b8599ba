from . import test_calibration, test_checkout, test_install
