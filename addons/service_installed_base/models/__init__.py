from . import product_template
from . import service_category
from . import service_installed_product
from . import service_order
from . import res_partner
from . import service_kpi_report
