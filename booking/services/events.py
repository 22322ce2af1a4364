"""The audit row every booking change leaves, and the news it sends upwards."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from accounts.models import User
from booking.models import Appointment, AppointmentEvent
from booking.signals import Change, FreeCause, appointment_changed, time_freed

Action = AppointmentEvent.Action

# The audit actions that the apps above booking (notifications) need to hear about.
_NEWS = {
    Action.CONFIRMED: Change.CONFIRMED,
    Action.SENT_FOR_REVIEW: Change.SENT_FOR_REVIEW,
    Action.DECLINED: Change.DECLINED,
    Action.CANCELLED: Change.CANCELLED,
    Action.RESCHEDULED: Change.RESCHEDULED,
    Action.COMPLETED: Change.COMPLETED,
    Action.NO_SHOW: Change.NO_SHOW,
    Action.CONSENT_ENDED: Change.CONSENT_ENDED,
}


def record_event(appointment: Appointment, action: AppointmentEvent.Action, actor: User | None, **data: Any) -> None:
    """Audit a change and announce it, inside the caller's transaction, so that
    the notification outbox rows commit (or roll back) with the change itself."""
    AppointmentEvent.objects.create(appointment=appointment, action=action, actor=actor, data=data)
    change = _NEWS.get(action)
    if change is not None:
        appointment_changed.send(sender=Appointment, appointment=appointment, change=change, actor=actor)


def announce_freed(
    *, appointment_id: int, practitioner_id: int, clinic_id: int, start: datetime, end: datetime, cause: FreeCause
) -> None:
    """Tell the apps above booking (the waitlist) that a blocked span is free again, inside the
    caller's transaction: a receiver's rows commit or roll back with the change itself."""
    time_freed.send(
        sender=Appointment,
        practitioner_id=practitioner_id,
        clinic_id=clinic_id,
        start=start,
        end=end,
        cause=cause,
        source=appointment_id,
    )


def announce_freed_by(appointment: Appointment, cause: FreeCause) -> None:
    """announce_freed for an appointment's current blocked span."""
    announce_freed(
        appointment_id=appointment.pk,
        practitioner_id=appointment.practitioner_id,
        clinic_id=appointment.clinic_id,
        start=appointment.blocked_start,
        end=appointment.blocked_end,
        cause=cause,
    )
