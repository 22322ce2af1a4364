"""Booking factories: a clinic, its treatments and a practitioner ready to be booked.

Each makes one thing with sensible defaults; pass fields to change them. Only
`insert_appointment` bypasses the services, for tests of the database guards
and of the selectors' inputs."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.models import Patient, User
from booking import services
from booking.availability import occupancy
from booking.models import Appointment, AppointmentType, Clinic, Credential, Practitioner, TimeOff, WorkingHours
from tests.accounts.factories import make_staff

_seq = itertools.count(1)
WEEKDAYS = (0, 1, 2, 3, 4)
NINE_TO_FIVE = ((time(9), time(17)),)


def make_clinic(**fields: Any) -> Clinic:
    n = next(_seq)
    defaults: dict[str, Any] = {
        "name": f"Clinic {n}",
        "slug": f"clinic-{n}",
        "time_zone": "Europe/London",
        "phone": "+44 117 496 0123",
        "jurisdiction": "GB",
    }
    return Clinic.objects.create(**{**defaults, **fields})


def make_type(
    clinic: Clinic, *, minutes: int = 60, before: int = 0, after: int = 0, needling: bool = False, **fields: Any
) -> AppointmentType:
    defaults: dict[str, Any] = {"name": f"Treatment {next(_seq)}"}
    return AppointmentType.objects.create(
        clinic=clinic,
        duration_minutes=minutes,
        buffer_before_minutes=before,
        buffer_after_minutes=after,
        involves_needling=needling,
        **{**defaults, **fields},
    )


def make_practitioner(
    clinic: Clinic,
    *,
    types: Iterable[AppointmentType] = (),
    weekdays: Iterable[int] = WEEKDAYS,
    hours: Iterable[tuple[time, time]] = NINE_TO_FIVE,
    credentialled: bool = True,
    name: str | None = None,
) -> Practitioner:
    """A practitioner of `clinic` who offers `types` (default: all of the clinic's),
    works the given hours on the given weekdays, and by default holds a verified
    dry-needling credential for the clinic's jurisdiction that does not expire."""
    user = make_staff(User.Role.PRACTITIONER)
    practitioner = Practitioner.objects.create(user=user, display_name=name or f"Practitioner {user.pk}")
    practitioner.clinics.add(clinic)
    practitioner.appointment_types.add(*(list(types) or list(clinic.appointment_types.all())))
    windows = list(hours)
    for weekday in weekdays:
        for start, end in windows:
            add_hours(practitioner, clinic, weekday=weekday, start=start, end=end)
    if credentialled:
        make_credential(practitioner, jurisdiction=clinic.jurisdiction)
    return practitioner


def add_hours(practitioner: Practitioner, clinic: Clinic, *, weekday: int, start: time, end: time) -> WorkingHours:
    return WorkingHours.objects.create(practitioner=practitioner, clinic=clinic, weekday=weekday, start=start, end=end)


def make_credential(
    practitioner: Practitioner,
    *,
    jurisdiction: str = "GB",
    kind: str = Credential.Kind.DRY_NEEDLING,
    valid_from: date = date(2020, 1, 1),
    valid_until: date | None = None,
    verified: bool = True,
) -> Credential:
    verifier = make_staff(User.Role.CLINIC_ADMIN, totp=False) if verified else None
    return Credential.objects.create(
        practitioner=practitioner,
        kind=kind,
        jurisdiction=jurisdiction,
        number=f"DN{next(_seq):06d}",
        issuer="Acupuncture Association of Chartered Physiotherapists",
        valid_from=valid_from,
        valid_until=valid_until,
        verified_by=verifier,
        verified_at=timezone.now() if verified else None,
    )


def make_time_off(practitioner: Practitioner, start: datetime, end: datetime, reason: str = "Leave") -> TimeOff:
    return TimeOff.objects.create(practitioner=practitioner, start=start, end=end, reason=reason)


def insert_appointment(patient: Patient, practitioner: Practitioner, *args: Any, **fields: Any) -> Appointment:
    """Write appointment_row(...) directly, bypassing every check in booking.services."""
    row = appointment_row(patient, practitioner, *args, **fields)
    row.save(force_insert=True)
    return row


def appointment_row(
    patient: Patient,
    practitioner: Practitioner,
    appointment_type: AppointmentType,
    start: datetime,
    *,
    status: str = Appointment.Status.CONFIRMED,
    **fields: Any,
) -> Appointment:
    """The unsaved row insert_appointment writes (for bulk_create): a hold expires at its start."""
    end = start + appointment_type.service.duration
    blocked = occupancy(start, end, appointment_type.service)
    expires = start if status == Appointment.Status.HELD else None
    values: dict[str, Any] = {
        "patient": patient,
        "practitioner": practitioner,
        "clinic": appointment_type.clinic,
        "appointment_type": appointment_type,
        "start": start,
        "end": end,
        "blocked_start": blocked.start,
        "blocked_end": blocked.end,
        "status": status,
        "hold_expires_at": expires,
        "time_zone": appointment_type.clinic.time_zone,
    }
    return Appointment(**{**values, **fields})


def book(
    patient: Patient,
    appointment_type: AppointmentType,
    start: datetime,
    *,
    now: datetime,
    practitioner: Practitioner | None = None,
    confirm: bool = True,
) -> Appointment:
    """Hold through booking.services, then confirm unless told not to."""
    held = services.hold_appointment(
        patient, appointment_type=appointment_type, start=start, practitioner=practitioner, now=now
    )
    return services.confirm_appointment(held, actor=patient.user, now=now) if confirm else held


def local(clinic: Clinic, day: date, hh_mm: str) -> datetime:
    """A wall-clock time at the clinic, as an aware datetime."""
    return datetime.combine(day, time.fromisoformat(hh_mm), ZoneInfo(clinic.time_zone))


def minutes(n: int) -> timedelta:
    return timedelta(minutes=n)
