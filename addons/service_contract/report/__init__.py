from . import service_kpi_report
from . import service_parts_forecast
