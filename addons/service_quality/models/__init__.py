from . import service_category
from . import service_team
from . import service_sla_policy
from . import service_order
from . import service_feedback
from . import service_complaint
from . import crm_lead
from . import res_partner
