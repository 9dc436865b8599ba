from . import training_certification_revoke
