"""The hot lookups of booking, compiled once (core/precompiled.py): the treatment a slot
list or a hold names, a practitioner named with it, and the practitioners with their schedule
versions (booking.models.schedule_versions). booking.selectors offers them under the same
names."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import DateField, OuterRef, QuerySet, Subquery, Value
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


def _versions_and_days(
    people: QuerySet[Practitioner], first: date, last: date, *, one: int | None = None
) -> QuerySet[Any, Any]:
    """Rows (id, schedule version, None) for each of `people`, then (id, version, day) for
    their UTC days in [first, last] that have a version (by id alone when `one` names the only
    one): one statement, so both are read from the same snapshot, and before any schedule row
    (booking/schedule_cache.py)."""
    people = people.order_by()  # a part of a UNION takes no ORDER BY (SQLite refuses one)
    version = Subquery(ScheduleVersion.objects.filter(practitioner_id=OuterRef("pk")).values("version")[:1])
    own = people.annotate(schedule_version=Coalesce(version, 0), no_day=Value(None, output_field=DateField()))
    whose = {"practitioner_id": one} if one is not None else {"practitioner_id__in": people.values("id")}
    days = ScheduleDayVersion.objects.filter(**whose, day__gte=first, day__lte=last)
    return own.values_list("id", "schedule_version", "no_day").union(
        days.values_list("practitioner_id", "version", "day"), all=True
    )


VERSIONS_AND_DAYS_ALL = Precompiled(
    lambda clinic_id, type_id, first, last: _versions_and_days(offering(clinic_id, type_id), first, last),
    int,
    int,
    date,
    date,
)
VERSIONS_AND_DAYS_ONE = Precompiled(
    lambda clinic_id, type_id, pk, first, last: _versions_and_days(
        offering(clinic_id, type_id).filter(pk=pk), first, last, one=pk
    ),
    int,
    int,
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
