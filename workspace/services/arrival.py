"""Marking a patient arrived: an audit row, allowed from an hour before the visit."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from booking import errors, services
from booking.models import (
    Appointment,
    AppointmentEvent,
)
from booking.services.locks import locked_appointment

log = logging.getLogger(__name__)
Status = Appointment.Status
Action = AppointmentEvent.Action

# A patient may be marked arrived this long before the visit starts.
ARRIVAL_EARLIEST = timedelta(hours=1)


# --- Appointments -----------------------------------------------------------------------


def has_arrived(appointment: Appointment) -> bool:
    return appointment.events.filter(action=Action.ARRIVED).exists()


def mark_arrived(appointment: Appointment, *, actor: User, now: datetime | None = None) -> Appointment:
    """Record that the patient is here. Marking twice changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        appt = locked_appointment(appointment)
        if appt.status != Status.CONFIRMED:
            raise errors.InvalidTransition(
                _("A %(status)s appointment cannot be marked arrived.") % {"status": appt.get_status_display().lower()}
            )
        if now < appt.start - ARRIVAL_EARLIEST:
            raise errors.InvalidTransition(
                _("It is too early to mark this patient arrived: the visit is not today yet.")
            )
        if not has_arrived(appt):
            services.record_event(appt, Action.ARRIVED, actor, arrived_at=now.isoformat())
    return appt
