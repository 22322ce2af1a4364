"""Reads for the staff waitlist page: who could use one practitioner's time on one day, that
day's free times (booking's slot engine), the times freed that day with their offers, and an
entry's offers. Scoping to what a staff member may see is the caller's (workspace) job: these
take the practitioner and the clinics already allowed."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.db.models import Prefetch, Q, QuerySet

from booking.availability import Slot
from booking.models import AppointmentType, Clinic, Practitioner
from booking.selectors import load_schedules, slots_for_practitioner
from waitlist.models import Entry, FreedSlot, Offer


def day_bounds(day: date, clinic: Clinic) -> tuple[datetime, datetime]:
    """The UTC instants a local day starts and ends at (DST days are 23 or 25 hours long)."""
    zone = clinic.zone
    return datetime.combine(day, time(), zone), datetime.combine(day + timedelta(days=1), time(), zone)


def entries_for(practitioner: Practitioner, day: date, *, clinics: Iterable[Clinic]) -> QuerySet[Entry]:
    """Waiting entries that could use this practitioner on this day, in joining order: the
    practitioner named or "anyone" (then only for a treatment they offer), the day inside the
    range and on a weekday the patient allowed (an empty list allows every day)."""
    offered = practitioner.appointment_types.values("pk")
    return (
        Entry.objects.filter(
            Q(practitioner=practitioner) | Q(practitioner__isnull=True, appointment_type__in=offered),
            # Not `weekdays__contains=[d]`: JSON containment is PostgreSQL's alone, and the zero-install
            # default is SQLite. The list holds single digits 0-6, so its text holds "d" exactly
            # when d is in it.
            Q(weekdays=[]) | Q(weekdays__icontains=str(day.weekday())),
            status=Entry.Status.WAITING,
            clinic__in=[c.pk for c in clinics],
            first_day__lte=day,
            last_day__gte=day,
        )
        .select_related("patient", "appointment_type__clinic", "clinic")
        .order_by("joined_at", "pk")
    )


def visible_entry(practitioner: Practitioner, day: date, pk: int, *, clinics: Iterable[Clinic]) -> Entry | None:
    return entries_for(practitioner, day, clinics=clinics).filter(pk=pk).first()


def free_times(
    practitioner: Practitioner, day: date, types: Iterable[AppointmentType], *, now: datetime
) -> dict[int, list[Slot]]:
    """The practitioner's free starts on the day for each treatment, from booking's engine: one
    schedule load (four queries) per clinic, whatever the number of treatments."""
    by_clinic: dict[int, list[AppointmentType]] = defaultdict(list)
    for kind in types:
        by_clinic[kind.clinic_id].append(kind)
    found: dict[int, list[Slot]] = {}
    for kinds in by_clinic.values():
        clinic = kinds[0].clinic
        start, end = day_bounds(day, clinic)
        schedule = load_schedules(clinic=clinic, practitioner_ids=[practitioner.pk], start=start, end=end, now=now)[
            practitioner.pk
        ]
        for kind in kinds:
            found[kind.pk] = slots_for_practitioner(
                appointment_type=kind, schedule=schedule, start=start, end=end, now=now
            )
    return found


def freed_on(practitioner: Practitioner, start: datetime, end: datetime) -> list[FreedSlot]:
    """Times of the practitioner freed inside [start, end), each with its offers (two queries)."""
    offers = Offer.objects.select_related("entry__patient", "appointment_type").order_by("created_at", "pk")
    return list(
        FreedSlot.objects.filter(practitioner=practitioner, start__lt=end, end__gt=start)
        .prefetch_related(Prefetch("offers", queryset=offers, to_attr="history"))
        .order_by("start", "pk")
    )


def entry_offers(entry: Entry) -> list[Offer]:
    return list(
        Offer.objects.filter(entry=entry)
        .select_related("slot", "practitioner", "appointment_type")
        .order_by("created_at", "pk")
    )
