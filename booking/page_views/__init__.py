"""The patient's booking pages, server-rendered and working without JavaScript.

choose.py: treatment, practitioner, day and time, hold. steps.py: details, health
questions, consent, outcome. manage.py: my appointments, cancel, reschedule, consents."""
