from . import maintenance_equipment
from . import maintenance_equipment_retention
