"""The audit row every booking change leaves, and the news it sends upwards."""

from __future__ import annotations

from typing import Any

from accounts.models import User
from booking.models import Appointment, AppointmentEvent
from booking.signals import Change, appointment_changed

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
