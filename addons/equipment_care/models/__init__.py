from . import maintenance_equipment
