from . import test_installed_base
from . import test_warranty
