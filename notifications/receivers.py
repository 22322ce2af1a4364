"""Booking news -> outbox rows, in the booking's own transaction.

The receiver only writes rows. Sending happens later in a worker; after commit it
nudges one to look now, and that nudge may fail without harm."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.dispatch import receiver

from booking.models import Appointment
from booking.signals import Change, appointment_changed
from care.models import CourseVisit
from notifications import course, services


@receiver(appointment_changed, dispatch_uid="notifications.plan_messages")
def plan_messages(sender: Any, *, appointment: Appointment, change: str, **kwargs: Any) -> None:
    report = kwargs.get("report")
    context = {"report": report.pk} if report is not None else None
    added = services.record_change(appointment, change=Change(change), now=kwargs.get("now"), context=context)
    if added:
        transaction.on_commit(services.nudge_dispatcher)


@receiver(appointment_changed, dispatch_uid="notifications.course_messages")
def course_messages(sender: Any, *, appointment: Appointment, change: str, **kwargs: Any) -> None:
    """A course visit completed: if it was the last one booked, ask for the next (book next)."""
    if change != Change.COMPLETED:
        return
    visit = CourseVisit.objects.filter(appointment=appointment).select_related("plan__patient__user").first()
    if visit is not None and course.record_book_next(visit.plan, now=kwargs.get("now")):
        transaction.on_commit(services.nudge_dispatcher)
