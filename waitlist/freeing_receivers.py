"""Booking's news that frees or takes time, turned into freed-time rows (waitlist.services.freeing).

Both run inside booking's transaction (booking.signals): the rows commit or roll back with
the change, and the fill task is queued only after commit. Imported from WaitlistConfig.ready.

- time_freed (a cancellation, the old time of a move, a declined review, an expired hold):
  a FreedSlot. A sequential offer's exclusive hold that is let go before it is claimed
  (expired or withdrawn) is skipped: the offers pass that time to the next patient
  themselves. Once claimed it is an ordinary visit, and cancelling it frees time as usual.
- appointment_changed CONFIRMED, SENT_FOR_REVIEW or RESCHEDULED (the new time): open freed
  time the visit now occupies is marked booked elsewhere, unless it was offered to this
  patient (then it is the offers' claim that marks it filled).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.dispatch import receiver

from booking.models import Appointment, Clinic, Practitioner
from booking.signals import Change, FreeCause, appointment_changed, time_freed
from waitlist.models import Offer
from waitlist.services import freeing

_TAKES_TIME = (Change.CONFIRMED, Change.SENT_FOR_REVIEW, Change.RESCHEDULED)


@receiver(time_freed, dispatch_uid="waitlist.record_freed")
def on_time_freed(
    sender: Any,
    *,
    practitioner_id: int,
    clinic_id: int,
    start: datetime,
    end: datetime,
    cause: FreeCause,
    source: int | None,
    **_: Any,
) -> None:
    if source and Offer.objects.filter(hold_id=source).exclude(status=Offer.Status.CLAIMED).exists():
        return  # an offer's own hold let go (expired or withdrawn): the offers pass it on themselves
    freeing.record_freed(
        practitioner=Practitioner.objects.get(pk=practitioner_id),
        start=start,
        end=end,
        cause=str(cause),
        source=source,
        clinic=Clinic.objects.get(pk=clinic_id),
    )


@receiver(appointment_changed, dispatch_uid="waitlist.booked_elsewhere")
def on_time_taken(sender: Any, *, appointment: Appointment, change: Change, **_: Any) -> None:
    if change in _TAKES_TIME and appointment.status in Appointment.LIVE:
        freeing.mark_booked_elsewhere(appointment)
