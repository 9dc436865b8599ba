from . import portal, rating
from . import complaint_portal
from . import service_request
