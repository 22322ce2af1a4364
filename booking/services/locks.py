"""Row locks for booking's writes.

Locking order, everywhere: the patient row, the appointment row (when changing
one), then practitioner rows by id. The exclusion constraints on PostgreSQL are
the final guard against overlap; the locks and checks exist to give the user a
clear answer first."""

from __future__ import annotations

from accounts.models import Patient
from booking.models import Appointment, Practitioner
from core.precompiled import Precompiled

# Row locks are FOR NO KEY UPDATE: they exclude one another, which is all the
# booking checks need, but not the FOR KEY SHARE that PostgreSQL takes when a new
# row elsewhere refers to the locked one (a consent naming the patient, say).
# Every hold takes them: compiled once (core/precompiled.py).
_PATIENT = Precompiled(lambda pk: Patient.objects.select_for_update(no_key=True).filter(pk=pk).values_list("pk"), int)
_PRACTITIONER = Precompiled(
    lambda pk: Practitioner.objects.select_for_update(no_key=True).filter(pk=pk).values_list("pk"), int
)


def lock_patient(pk: int) -> None:
    _PATIENT(pk)


def lock_practitioners(ids: list[int]) -> None:
    wanted = sorted(set(ids))
    if len(wanted) == 1:
        _PRACTITIONER(wanted[0])
        return
    locked = Practitioner.objects.select_for_update(no_key=True).filter(pk__in=wanted).order_by("pk")
    list(locked.values("pk"))


def locked_appointment(appointment: Appointment) -> Appointment:
    # of=self: a bare FOR UPDATE also locks the joined clinic row, which every new
    # appointment's foreign key check needs: a hold that waits for it while holding
    # the practitioner a reschedule waits for is a deadlock.
    joined = Appointment.objects.select_related("clinic", "appointment_type")
    return joined.select_for_update(of=("self",), no_key=True).get(pk=appointment.pk)
