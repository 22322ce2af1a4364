"""Can this time be booked, and if not, why: shared by holding and rescheduling.

Each check raises a BookingError subclass with a message for the patient; the
database constraints stay the final guard."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Patient
from booking import errors, selectors
from booking.models import Appointment, AppointmentType, Practitioner
from core.precompiled import Precompiled


def _offered(
    kind: AppointmentType, schedule: selectors.Schedule, start: datetime, now: datetime, *, busy: bool = True
) -> bool:
    return selectors.offers_start(appointment_type=kind, schedule=schedule, start=start, now=now, ignore_busy=not busy)


def as_utc(value: datetime) -> datetime:
    # Adding a duration to a ZoneInfo datetime is wall-clock arithmetic: across a
    # DST change the visit would be stored an hour too long or too short.
    if timezone.is_naive(value):
        raise errors.InvalidStart(_("Give the time with its UTC offset, e.g. 2026-03-02T09:00:00+00:00."))
    return value.astimezone(UTC)


def practitioners_free_at(appointment_type: AppointmentType, start: datetime, now: datetime) -> list[int]:
    """Who is free at `start`, least busy first: "any" spreads the work, as
    selectors.available_slots does when it lists the slots."""
    ids = list(selectors.practitioners_offering(appointment_type).values_list("id", flat=True))
    schedules = selectors.load_schedules(
        clinic=appointment_type.clinic, practitioner_ids=ids, start=start, end=start + timedelta(minutes=1), now=now
    )
    free = [pid for pid in ids if _offered(appointment_type, schedules[pid], start, now)]
    if free or not ids:
        return sorted(free, key=lambda pid: (len(schedules[pid].busy), pid))
    # Nobody is free. If someone works then, the time is taken; asking only the
    # first practitioner would blame, say, their missing credential instead.
    if any(_offered(appointment_type, schedules[pid], start, now, busy=False) for pid in ids):
        raise errors.SlotUnavailable(_("No practitioner is free at that time. Please choose another."))
    raise _why_not_bookable(appointment_type, [schedules[pid] for pid in ids], start, now)


def check_offers(practitioner: Practitioner, appointment_type: AppointmentType) -> None:
    if not selectors.offers(appointment_type, practitioner.pk):
        raise errors.InvalidStart(
            _("%(practitioner)s does not offer %(treatment)s.")
            % {"practitioner": practitioner.display_name, "treatment": appointment_type.shown_name},
            code="practitioner_unavailable",
        )


def check_bookable(
    appointment_type: AppointmentType,
    practitioner_id: int,
    start: datetime,
    now: datetime,
    *,
    exclude_appointment_id: int | None = None,
) -> datetime:
    """Return the end of the visit if `start` is free, else raise with the reason."""
    schedule = selectors.load_schedules(
        clinic=appointment_type.clinic,
        practitioner_ids=[practitioner_id],
        start=start,
        end=start + timedelta(minutes=1),
        now=now,
        exclude_appointment_id=exclude_appointment_id,
    )[practitioner_id]
    if _offered(appointment_type, schedule, start, now):
        return start + appointment_type.service.duration
    if _offered(appointment_type, schedule, start, now, busy=False):
        raise errors.SlotUnavailable(_("That time has just been taken. Please choose another."))
    raise _why_not_bookable(appointment_type, [schedule], start, now)


def _why_not_bookable(
    appointment_type: AppointmentType, schedules: list[selectors.Schedule], start: datetime, now: datetime
) -> errors.BookingError:
    clinic = appointment_type.clinic
    policy = clinic.policy
    local_day = start.astimezone(clinic.zone).date()
    if start <= now:
        return errors.InvalidStart(_("That time has already passed."))
    if start < now + policy.min_notice:
        hours = policy.min_notice.total_seconds() / 3600
        return errors.InvalidStart(
            ngettext(
                "Bookings need at least %(hours)s hour's notice. Please choose a later time.",
                "Bookings need at least %(hours)s hours' notice. Please choose a later time.",
                int(hours) if hours == int(hours) else 2,
            )
            % {"hours": f"{hours:g}"}
        )
    if start > now + policy.max_advance:
        return errors.InvalidStart(
            ngettext(
                "Bookings open %(days)s day ahead. Please choose an earlier time.",
                "Bookings open %(days)s days ahead. Please choose an earlier time.",
                policy.max_advance.days,
            )
            % {"days": policy.max_advance.days}
        )
    if appointment_type.involves_needling and not any(
        selectors.credentialled_on(schedule, local_day, clinic.jurisdiction) for schedule in schedules
    ):
        return errors.NotCredentialled(_("This practitioner cannot offer dry needling on that date."))
    return errors.InvalidStart(
        _("That is not one of the offered times (outside working hours, time off or off the grid).")
    )


def _patient_clash(patient_id: int, start: datetime, end: datetime, now: datetime) -> QuerySet[Appointment]:
    return Appointment.objects.filter(
        selectors.live_appointments(now), patient_id=patient_id, start__lt=end, end__gt=start
    )


# Every hold and move asks: compiled once (core/precompiled.py).
_PATIENT_CLASH = Precompiled(
    lambda pid, start, end, now: _patient_clash(pid, start, end, now).values_list("pk")[:1],
    int,
    datetime,
    datetime,
    datetime,
)
_PATIENT_CLASH_BUT = Precompiled(
    lambda pid, start, end, now, but: _patient_clash(pid, start, end, now).exclude(pk=but).values_list("pk")[:1],
    int,
    datetime,
    datetime,
    datetime,
    int,
)


def check_patient_free(
    patient: Patient, start: datetime, end: datetime, *, exclude_id: int | None, now: datetime
) -> None:
    # The caller's `now`, not the clock: the same instant decided which holds
    # were released and which slots are free.
    if exclude_id is None:
        clash = _PATIENT_CLASH(patient.pk, start, end, now)
    else:
        clash = _PATIENT_CLASH_BUT(patient.pk, start, end, now, exclude_id)
    if clash:
        raise errors.PatientBusy(_("You already have an appointment at that time."))
