"""The patient's booking pages, server-rendered and working without JavaScript.

home.py: the home page and the web app manifest. choose.py: treatment, practitioner, day and
time, hold. steps.py: details, health questions, consent, outcome. manage.py: my
appointments, cancel, reschedule, consents. common.py: what they share."""
