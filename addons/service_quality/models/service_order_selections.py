"""Selections of service orders, shared by the order, its SLA engine, the
SLA policies and the KPI report."""

STATES = [
    ("new", "New"),
    ("assessed", "Assessed"),
    ("approved", "Approved"),
    ("scheduled", "Scheduled"),
    ("in_progress", "In Progress"),
    ("to_accept", "To Accept"),
    ("done", "Done"),
    ("closed", "Closed"),
    ("cancelled", "Cancelled"),
]
PRIORITIES = [("0", "Normal"), ("1", "Urgent"), ("2", "Critical")]
SLA_STATUSES = [
    ("on_track", "On Track"),
    ("at_risk", "At Risk"),
    ("breached", "Breached"),
    ("met", "Met"),
]
# States in which an order is still being handled (its SLA clock runs).
OPEN_STATES = ("new", "assessed", "approved", "scheduled", "in_progress", "to_accept")
