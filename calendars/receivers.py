"""Booking's news: a visit confirmed, moved or cancelled queues its copy in the practitioner's
calendar (calendars.services.copies). Runs inside booking's transaction: rows only, no I/O.

A patient's name shows in the events of clinics that chose initials or full names, so a change of
name rewrites those events (erasure asks for it itself: compliance.erasure)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from accounts.models import Patient
from booking.models import Appointment
from booking.signals import Change, appointment_changed
from calendars.services import copies

# Changes that leave the event as it is: the visit keeps its time, status line and name.
_SAME_EVENT = (Change.COMPLETED, Change.NO_SHOW, Change.RED_FLAG)
_NAMES = ("legal_name", "preferred_name")
_BEFORE = "_calendars_names_before"  # stashed on the instance between pre_save and post_save


@receiver(appointment_changed, dispatch_uid="calendars.queue_copies")
def on_appointment_changed(sender: Any, *, appointment: Appointment, change: Change, **_: Any) -> None:
    if change not in _SAME_EVENT:
        copies.queue_copies(appointment=appointment)


@receiver(pre_save, sender=Patient, dispatch_uid="calendars.patient_names_before")
def remember_names(sender: Any, *, instance: Patient, raw: bool = False, update_fields: Any = None, **_: Any) -> None:
    """The names as stored, read only when this save may change them (one query by key; none
    for a save whose update_fields leave the names out)."""
    if raw or instance.pk is None or (update_fields is not None and not set(_NAMES) & set(update_fields)):
        return
    instance.__dict__[_BEFORE] = Patient.objects.filter(pk=instance.pk).values_list(*_NAMES).first()


@receiver(post_save, sender=Patient, dispatch_uid="calendars.patient_renamed")
def on_patient_saved(sender: Any, *, instance: Patient, created: bool, **_: Any) -> None:
    before = instance.__dict__.pop(_BEFORE, None)
    if created or before is None:
        return
    if tuple(getattr(instance, name) for name in _NAMES) != tuple(before):
        # Rows only, in the save's transaction; the copies are nudged after commit.
        copies.requeue_patient(patient_id=instance.pk)
