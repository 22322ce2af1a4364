"""The patient's REST API under /api/v1/, one module per resource: catalogue (clinics,
treatments, practitioners, slots), appointments, consents (documents, screenings, signed
consents), symptoms. base.py holds what the patient and staff actions share."""
