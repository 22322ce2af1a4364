"""What makes the published files stale: every change of free time stamps its clinic's files
after commit (interop.publishing.mark_changed); the beat job regenerates them.

- booking's news (appointment_changed, time_freed): confirmations, reviews, cancellations,
  moves, expired holds;
- a new hold, which takes time without news: the HELD audit row;
- working hours and time off: workspace's schedule services send no signal (and interop may not
  import workspace), but each change writes one PractitionerEvent in the same transaction;
- busy time read from calendars: no hook at all, see interop.publishing.due_clinic_ids."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from booking.models import AppointmentEvent, PractitionerEvent
from booking.signals import appointment_changed, time_freed
from interop.publishing import mark_changed

_SCHEDULE_CHANGES = {
    PractitionerEvent.Action.HOURS_CHANGED,
    PractitionerEvent.Action.TIME_OFF_ADDED,
    PractitionerEvent.Action.TIME_OFF_REMOVED,
}


@receiver(appointment_changed, dispatch_uid="interop.publish_on_change")
def _on_change(sender: Any, appointment: Any, **kwargs: Any) -> None:
    mark_changed(clinic_ids=[appointment.clinic_id])


@receiver(time_freed, dispatch_uid="interop.publish_on_freed")
def _on_freed(sender: Any, clinic_id: int, **kwargs: Any) -> None:
    mark_changed(clinic_ids=[clinic_id])


@receiver(post_save, sender=AppointmentEvent, dispatch_uid="interop.publish_on_hold")
def _on_hold(sender: Any, instance: AppointmentEvent, created: bool, **kwargs: Any) -> None:
    if created and instance.action == AppointmentEvent.Action.HELD:
        mark_changed(clinic_ids=[instance.appointment.clinic_id])


@receiver(post_save, sender=PractitionerEvent, dispatch_uid="interop.publish_on_schedule")
def _on_schedule(sender: Any, instance: PractitionerEvent, created: bool, **kwargs: Any) -> None:
    if created and instance.action in _SCHEDULE_CHANGES:
        mark_changed(practitioner_id=instance.practitioner_id)
