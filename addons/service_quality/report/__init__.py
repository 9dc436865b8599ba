from . import service_kpi_report
