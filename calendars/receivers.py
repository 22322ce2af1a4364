"""Booking's news: a visit confirmed, moved or cancelled queues its copy in the practitioner's
calendar (calendars.services.copies)."""
