from . import portal, rating
from . import complaint_portal
