"""Booking through the real services, and reading the outbox, for the notification tests.

booking's services announce each change (appointment_changed) inside their own
transaction; the notification receiver plans with the clock, so tests freeze time
at the `now` they give the services."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from accounts.models import Patient, User
from booking import consent_flow, services
from booking.models import Appointment, AppointmentType, Practitioner
from notifications.models import Notification

# Monday 1 June 2026, 09:00 in London (BST): the clock the `frozen` fixture stops at.
NOW = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)


def hold(
    patient: Patient, kind: AppointmentType, start: datetime, *, now: datetime, practitioner: Practitioner | None = None
) -> Appointment:
    return services.hold_appointment(patient, appointment_type=kind, start=start, practitioner=practitioner, now=now)


def confirm(appointment: Appointment, *, now: datetime, actor: User | None = None) -> Appointment:
    return services.confirm_appointment(appointment, actor=actor or appointment.patient.user, now=now)


def book(
    patient: Patient, kind: AppointmentType, start: datetime, *, now: datetime, practitioner: Practitioner | None = None
) -> Appointment:
    return confirm(hold(patient, kind, start, now=now, practitioner=practitioner), now=now)


def cancel(appointment: Appointment, *, now: datetime, actor: User | None = None, **kwargs: Any) -> Appointment:
    return services.cancel_appointment(appointment, actor=actor or appointment.patient.user, now=now, **kwargs)


def reschedule(appointment: Appointment, start: datetime, *, now: datetime, actor: User | None = None) -> Appointment:
    actor = actor or appointment.patient.user
    return services.reschedule_appointment(appointment, actor=actor, start=start, now=now)


def no_show(appointment: Appointment, *, now: datetime, actor: User) -> Appointment:
    return services.mark_no_show(appointment, actor=actor, now=now)


def decide_review(appointment: Appointment, *, reviewer: User, approve: bool, note: str) -> Appointment:
    return consent_flow.decide_review(appointment, reviewer=reviewer, approve=approve, note=note)


# --- The outbox ----------------------------------------------------------------------


def rows(appointment: Appointment, **filters: Any) -> list[Notification]:
    return list(Notification.objects.filter(appointment=appointment, **filters).order_by("due_at", "kind", "channel"))


def plan_of(appointment: Appointment, *, status: str = Notification.Status.PENDING) -> list[tuple[str, str, datetime]]:
    """(kind, channel, due_at) of the appointment's rows in `status`, by due time."""
    return [(n.kind, n.channel, n.due_at) for n in rows(appointment, status=status)]


def hours(n: float) -> timedelta:
    return timedelta(hours=n)
