from . import models
from . import report
from .models.service_order import RESERVE_STATES


def _create_warehouse_data(env):
    """Give warehouses that exist before the installation their service parts
    operation type, quarantine and van locations, then reserve the parts of
    the orders already approved or scheduled (those taken from a location of
    a warehouse)."""
    env["stock.warehouse"].search([])._service_parts_setup()
    parts = env["service.order.part"].search(
        [
            ("state", "=", "draft"),
            ("service_order_id.state", "in", RESERVE_STATES),
            ("location_id.warehouse_id", "!=", False),
        ]
    )
    parts._parts_reserve()
