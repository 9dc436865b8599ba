from . import test_reservation
from . import test_van
from . import test_inspection
from . import test_supplier
from . import test_forecast
from . import test_emergency_parts
