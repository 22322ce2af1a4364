"""The review queue: screenings waiting for a practitioner's decision."""

from __future__ import annotations

from accounts.models import User
from booking.models import Appointment
from workspace.selectors.badges import Entry, entries
from workspace.selectors.visibility import staff_appointments


def review_queue(user: User) -> list[Entry]:
    """Screenings waiting for a decision on the user's appointments, oldest first."""
    waiting = staff_appointments(user).filter(status=Appointment.Status.PENDING_REVIEW, screening__isnull=False)
    return entries(waiting.order_by("screening__created_at", "start", "pk"))
