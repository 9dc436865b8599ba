from . import (
    equipment_calibration,
    equipment_care_plan,
    equipment_checkout,
    equipment_retirement,
    maintenance_equipment,
    maintenance_equipment_category,
    maintenance_request,
    service_order,
    service_order_part,
)
