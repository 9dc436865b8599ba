from . import test_quote
from . import test_invoice
from . import test_access
from . import test_portal
from . import test_quote_integrity
