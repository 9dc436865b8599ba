from . import test_install
from . import test_retention_policy
from . import test_retention_destruction
from . import test_retention_access
from . import test_retention_concurrency
from . import test_retention_web
