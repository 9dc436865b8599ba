from . import service_contract
from . import service_contract_line
from . import service_contract_line_part
from . import service_contract_plan
from . import service_contract_plan_review
from . import service_contract_visit
from . import service_order
from . import service_installed_product
