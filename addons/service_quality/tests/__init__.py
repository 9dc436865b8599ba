from . import test_install
from . import test_order_flow
from . import test_sla
from . import test_sla_cron
from . import test_feedback
from . import test_portal
from . import test_order_crm_alias
