"""Booking's news: a visit confirmed, moved or cancelled queues its copy in the practitioner's
calendar (calendars.services.copies). Runs inside booking's transaction: rows only, no I/O."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from booking.models import Appointment
from booking.signals import Change, appointment_changed
from calendars.services import copies

# Changes that leave the event as it is: the visit keeps its time, status line and name.
_SAME_EVENT = (Change.COMPLETED, Change.NO_SHOW, Change.RED_FLAG)


@receiver(appointment_changed, dispatch_uid="calendars.queue_copies")
def on_appointment_changed(sender: Any, *, appointment: Appointment, change: Change, **_: Any) -> None:
    if change not in _SAME_EVENT:
        copies.queue_copies(appointment=appointment)
