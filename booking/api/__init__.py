"""The patient's REST API under /api/v1/, one module per resource: catalogue (clinics,
treatments, practitioners, slots), appointments, consents (documents, screenings, signed
consents); the check-in is care.api.symptoms. base.py holds what the patient and staff
actions share."""
