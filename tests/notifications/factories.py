"""Notification factories: an outbox row written directly, for the dispatch tests. Rows the
planner writes come from booking through the real services (tests/notifications/helpers.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from booking.models import Appointment
from notifications.models import Channel, Kind, Notification


def add_row(
    appointment: Appointment,
    kind: str = Kind.REMINDER,
    *,
    due_at: datetime,
    channel: str = Channel.EMAIL,
    **fields: Any,
) -> Notification:
    """An outbox row written directly, for dispatch tests."""
    values: dict[str, Any] = {
        "appointment": appointment,
        "appointment_version": appointment.version,
        "kind": kind,
        "channel": channel,
        "due_at": due_at,
        "next_attempt_at": due_at,
    }
    return Notification.objects.create(**{**values, **fields})
