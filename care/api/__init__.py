"""The clinical record's REST API under /api/v1/, one module per resource: symptoms (the
patient's check-in after a session)."""
