"""Booking news -> the waitlist, inside the booking's own transaction (rows only, no I/O)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from booking.models import Appointment
from booking.signals import Change, appointment_changed
from waitlist.services import entries

# A visit becomes confirmed either straight away or when a practitioner approves it after review.
_CONFIRMED = {Change.CONFIRMED, Change.APPROVED}


@receiver(appointment_changed, dispatch_uid="waitlist.end_satisfied")
def end_satisfied_entries(sender: Any, *, appointment: Appointment, change: str, **kwargs: Any) -> None:
    if change in _CONFIRMED:
        entries.end_satisfied(appointment, now=kwargs.get("now"))
