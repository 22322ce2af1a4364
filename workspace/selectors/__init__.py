"""Reads for the practitioner workspace: who may see which appointment, the calendar
with its badges, the review queue, and everything the appointment page shows.

The visibility rule lives here, once (visibility.staff_appointments): a practitioner sees
their own appointments; a clinic admin sees every appointment at the clinics they run.
Anything else is a 404.

- visibility: who sees which appointments and clinics, and whose schedule they manage;
- badges: consent and screening badges, and appointments as calendar entries carrying them;
- calendar_queries: the day and week calendars;
- reviews: the review queue;
- appointment_page: everything the appointment page shows;
- staffing: working hours, time off and credentials.
"""
