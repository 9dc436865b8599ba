from . import service_records_wizard_mixin
from . import service_order_cancel
from . import service_complaint_ledger_wizard
from . import service_quality_monthly_wizard
from . import service_workflow_reopen
from . import service_legal_hold
