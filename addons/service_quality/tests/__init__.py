from . import test_install
from . import test_complaint_flow
from . import test_complaint_deadline
from . import test_complaint_access
from . import test_corrective_action
from . import test_inspection
from . import test_kpi_report
from . import test_kpi_prints
