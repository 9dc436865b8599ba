from . import service_order_cancel
