from . import service_parts_forecast
