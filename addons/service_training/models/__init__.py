from . import training_certification_type
from . import training_certification
from . import training_certification_retention
