from . import test_installed_base
from . import test_warranty
from . import test_installed_base_integrity
