"""The practitioners' workspace: calendar, appointments and their actions, session notes,
reviews of flagged screenings, working hours and time off, credentials with their expiry,
and the calendar feed. Pages under /staff/ (views/), the staff API under /api/v1/staff/ (api/),
writes in services.py, reads in selectors/. Its models stay in booking (their migrations are
there); it imports booking, consent and accounts, never the other way round."""
