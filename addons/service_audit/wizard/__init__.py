from . import service_evidence_pack_wizard
