"""Booking news -> outbox rows, in the booking's own transaction.

The receiver only writes rows. Sending happens later in a worker; after commit it
nudges one to look now, and that nudge may fail without harm."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.dispatch import receiver

from booking.models import Appointment
from booking.signals import Change, appointment_changed
from notifications import services


@receiver(appointment_changed, dispatch_uid="notifications.plan_messages")
def plan_messages(sender: Any, *, appointment: Appointment, change: str, **kwargs: Any) -> None:
    report = kwargs.get("report")
    context = {"report": report.pk} if report is not None else None
    added = services.record_change(appointment, change=Change(change), now=kwargs.get("now"), context=context)
    if added:
        transaction.on_commit(services.nudge_dispatcher)
