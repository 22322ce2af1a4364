"""The hot lookups of booking, compiled once (core/precompiled.py): the treatment a slot
list or a hold names, a practitioner named with it, and the practitioners with their schedule
versions (booking.models.schedule_versions). booking.selectors offers them under the same
names."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from booking.models import AppointmentType, Clinic, Practitioner, ScheduleDayVersion, ScheduleVersion
from core.precompiled import Precompiled, columns, instances


def offering(clinic_id: int, type_id: int) -> QuerySet[Practitioner]:
    return Practitioner.objects.filter(active=True, clinics=clinic_id, appointment_types=type_id).order_by("id")


# The hot lookups of a slot list, compiled once (core/precompiled.py): the treatment asked
# for, a practitioner named in the query, and the practitioners with their schedule versions.
_ACTIVE_TREATMENT = Precompiled(
    lambda pk: AppointmentType.objects.filter(active=True, pk=pk).values_list(
        *columns(AppointmentType), *columns(Clinic, "clinic__")
    ),
    int,
)
_OFFERING_ONE = Precompiled(
    lambda clinic_id, type_id, pk: offering(clinic_id, type_id).filter(pk=pk).values_list(*columns(Practitioner)),
    int,
    int,
    int,
)


def _with_versions(people: QuerySet[Practitioner]) -> QuerySet[Any, tuple[int, int]]:
    version = Subquery(ScheduleVersion.objects.filter(practitioner_id=OuterRef("pk")).values("version")[:1])
    return people.annotate(schedule_version=Coalesce(version, 0)).values_list("id", "schedule_version")


VERSIONS_ALL = Precompiled(lambda clinic_id, type_id: _with_versions(offering(clinic_id, type_id)), int, int)
VERSIONS_ONE = Precompiled(
    lambda clinic_id, type_id, pk: _with_versions(offering(clinic_id, type_id).filter(pk=pk)), int, int, int
)
DAY_VERSIONS_ALL = Precompiled(
    lambda clinic_id, type_id, first, last: ScheduleDayVersion.objects.filter(
        practitioner_id__in=offering(clinic_id, type_id).values("id"), day__gte=first, day__lte=last
    ).values_list("practitioner_id", "day", "version"),
    int,
    int,
    date,
    date,
)
DAY_VERSIONS_ONE = Precompiled(
    lambda pk, first, last: ScheduleDayVersion.objects.filter(
        practitioner_id=pk, day__gte=first, day__lte=last
    ).values_list("practitioner_id", "day", "version"),
    int,
    date,
    date,
)


def active_treatment(pk: int) -> AppointmentType | None:
    """The active treatment `pk` with its clinic, as active_types().filter(pk=pk).first()."""
    rows = _ACTIVE_TREATMENT(pk)
    if not rows:
        return None
    treatment, clinic = instances(rows[0], AppointmentType, Clinic)
    AppointmentType._meta.get_field("clinic").set_cached_value(treatment, clinic)
    return treatment


_ACTIVE_PRACTITIONER = Precompiled(
    lambda pk: Practitioner.objects.filter(active=True, pk=pk).values_list(*columns(Practitioner)), int
)
_OFFERS = Precompiled(
    lambda clinic_id, type_id, pk: offering(clinic_id, type_id).filter(pk=pk).values_list("id"), int, int, int
)


def active_practitioner(pk: int) -> Practitioner | None:
    """Practitioner.objects.filter(active=True, pk=pk).first(), precompiled."""
    rows = _ACTIVE_PRACTITIONER(pk)
    return instances(rows[0], Practitioner)[0] if rows else None


def offers(appointment_type: AppointmentType, practitioner_id: int) -> bool:
    """Does this active practitioner offer this treatment at its clinic?"""
    return bool(_OFFERS(appointment_type.clinic_id, appointment_type.pk, practitioner_id))


def practitioner_offering(appointment_type: AppointmentType, pk: int) -> Practitioner | None:
    """Practitioner `pk` if they offer this treatment at its clinic and are active."""
    rows = _OFFERING_ONE(appointment_type.clinic_id, appointment_type.pk, pk)
    return instances(rows[0], Practitioner)[0] if rows else None
