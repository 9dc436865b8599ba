from . import models
from . import report


def _create_warehouse_data(env):
    """Give warehouses that exist before the installation their service parts
    operation type, quarantine and van locations."""
    for warehouse in env["stock.warehouse"].search([]):
        warehouse._create_missing_locations({})
        values = warehouse._create_or_update_sequences_and_picking_types()
        if values:
            warehouse.write(values)
