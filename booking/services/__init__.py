"""Writes for booking. Each service is atomic and leaves an AppointmentEvent.

Callers use `from booking import services` and `services.hold_appointment(...)`;
the functions live in the modules below, by job:

- `holds`: holding a slot, confirming it, releasing holds that ran out.
- `changes`: cancelling, rescheduling, completion and no-show.
- `checks`: whether a time can be booked, and why not.
- `locks`: the row locks, taken in one order everywhere (see there).
- `events`: the audit row and the news for the apps above booking."""

from __future__ import annotations

from booking.services.changes import cancel_appointment, mark_completed, mark_no_show, reschedule_appointment
from booking.services.events import announce_freed, announce_freed_by, record_event
from booking.services.holds import confirm_appointment, hold_appointment, key_used, release_expired_holds

__all__ = [
    "announce_freed",
    "announce_freed_by",
    "cancel_appointment",
    "confirm_appointment",
    "hold_appointment",
    "key_used",
    "mark_completed",
    "mark_no_show",
    "record_event",
    "release_expired_holds",
    "reschedule_appointment",
]
