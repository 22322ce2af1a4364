"""Reads for booking: the slot engine's inputs, loaded in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import IntegerField, Q, QuerySet, Value
from django.shortcuts import get_object_or_404

from accounts.models import Patient
from booking import blockers, free_starts, lookups, schedule_cache
from booking.availability import Interval, Slot, WorkingWindow, free_slots
from booking.models import (
    Appointment,
    AppointmentType,
    Clinic,
    Credential,
    Practitioner,
    WorkingHours,
)
from booking.models.wording import in_language
from booking.occupying import blocking
from consent.models import SignedConsent
from core.precompiled import Precompiled, columns, instances

_PAD = free_starts.PAD


@dataclass
class Schedule:
    """What the engine needs to know about one practitioner."""

    working_hours: list[WorkingWindow] = field(default_factory=list)
    time_off: list[Interval] = field(default_factory=list)
    busy: list[Interval] = field(default_factory=list)
    credentials: list[Credential] = field(default_factory=list)
    # The start of the appointment being moved (left out of `busy`): moving it
    # there would change nothing, so it is not offered as a new time.
    moving_start: datetime | None = None


@dataclass(frozen=True)
class OfferedSlot:
    start: datetime
    end: datetime
    practitioner_id: int


def live_appointments(now: datetime) -> Q:
    """Appointments that occupy time: a hold counts only until it expires."""
    return Q(status__in=[Appointment.Status.PENDING_REVIEW, Appointment.Status.CONFIRMED]) | Q(
        status=Appointment.Status.HELD, hold_expires_at__gt=now
    )


def practitioners_offering(appointment_type: AppointmentType) -> QuerySet[Practitioner]:
    return lookups.offering(appointment_type.clinic_id, appointment_type.pk)


# The precompiled lookups (booking/lookups.py), under the names callers know.
active_treatment = lookups.active_treatment
active_practitioner = lookups.active_practitioner
offers = lookups.offers
practitioner_offering = lookups.practitioner_offering


# The annotation naming which link table a row came from, then the practitioner.
_LINK_COLUMNS = ("table", "practitioner_id")


def treatment_cards(types: QuerySet[AppointmentType]) -> list[dict[str, Any]]:
    """The treatments as booking.api.serializers.AppointmentTypeSerializer writes them (name and
    description in the reader's language), from plain rows: see practitioner_cards."""
    rows = types.values_list(
        "id", "clinic_id", "name", "description", "translations", "duration_minutes", "involves_needling"
    )
    return [
        {
            "id": pk,
            "clinic": clinic_id,
            "name": in_language(translations, "name", name),
            "description": in_language(translations, "description", description),
            "duration_minutes": minutes,
            "involves_needling": needling,
        }
        for pk, clinic_id, name, description, translations, minutes, needling in rows
    ]


def practitioner_cards(people: QuerySet[Practitioner]) -> list[dict[str, Any]]:
    """The public profiles as booking.api.serializers.PractitionerSerializer writes them (the bio
    in the reader's language; the ids of their clinics and active treatments, sorted), in
    two queries of plain rows (prefetch_related took three): the catalogue is read on every
    visit, and building a model instance per practitioner, clinic and treatment (and a
    related manager per prefetch) cost more than the rest of the request."""
    rows = list(people.values_list("id", "display_name", "bio", "translations"))
    ids = [row[0] for row in rows]
    # Both link tables in one round trip: (0, practitioner, clinic) and (1, practitioner, treatment).
    clinic_links = (
        Practitioner.clinics.through.objects.filter(practitioner_id__in=ids)
        .annotate(table=Value(0, output_field=IntegerField()))
        .order_by()
        .values_list(*_LINK_COLUMNS, "clinic_id")
    )
    kind_links = (
        Practitioner.appointment_types.through.objects.filter(practitioner_id__in=ids, appointmenttype__active=True)
        .annotate(table=Value(1, output_field=IntegerField()))
        .order_by()
        .values_list(*_LINK_COLUMNS, "appointmenttype_id")
    )
    links: tuple[dict[int, list[int]], dict[int, list[int]]] = (defaultdict(list), defaultdict(list))
    for table, pid, other in clinic_links.union(kind_links, all=True):
        links[table][pid].append(other)
    clinics, kinds = links
    return [
        {
            "id": pid,
            "display_name": name,
            "bio": in_language(translations, "bio", bio),
            "clinics": sorted(clinics[pid]),
            "appointment_types": sorted(kinds[pid]),
        }
        for pid, name, bio, translations in rows
    ]


# load_schedules for one practitioner (holding, moving and checking a time do this inside
# their transaction, under the practitioner's lock), compiled once: core/precompiled.py.
_ONE_HOURS = Precompiled(
    lambda clinic_id, pid: WorkingHours.objects.filter(practitioner_id=pid, clinic_id=clinic_id).values_list(
        "weekday", "start", "end"
    ),
    int,
    int,
)
_ONE_OFF = Precompiled(lambda pid, lo, hi: blockers.time_off_and_blocked([pid], lo, hi), int, datetime, datetime)
_ONE_BOOKED = Precompiled(
    lambda pid, lo, hi, now: Appointment.objects.filter(live_appointments(now), blocking(pid, lo, hi)).values_list(
        "pk", "start", "blocked_start", "blocked_end"
    ),
    int,
    datetime,
    datetime,
    datetime,
)
_ONE_CREDENTIALS = Precompiled(
    lambda pid: Credential.objects.filter(
        practitioner_id=pid, kind=Credential.Kind.DRY_NEEDLING, verified_at__isnull=False
    ).values_list(*columns(Credential)),
    int,
)


def _one_schedule(
    clinic: Clinic, pid: int, lo: datetime, hi: datetime, now: datetime, exclude_appointment_id: int | None
) -> Schedule:
    schedule = Schedule(
        working_hours=[
            WorkingWindow(weekday, w_start, w_end) for weekday, w_start, w_end in _ONE_HOURS(clinic.pk, pid)
        ],
        time_off=[Interval(o_start, o_end) for _pid, o_start, o_end in _ONE_OFF(pid, lo, hi)],
        credentials=[instances(row, Credential)[0] for row in _ONE_CREDENTIALS(pid)],
    )
    for pk, a_start, b_start, b_end in _ONE_BOOKED(pid, lo, hi, now):
        if pk == exclude_appointment_id:
            schedule.moving_start = a_start
        else:
            schedule.busy.append(Interval(b_start, b_end))
    return schedule


def load_schedules(
    *,
    clinic: Clinic,
    practitioner_ids: Iterable[int],
    start: datetime,
    end: datetime,
    now: datetime,
    exclude_appointment_id: int | None = None,
) -> dict[int, Schedule]:
    """Four queries, whatever the range and however many practitioners. The
    appointment `exclude_appointment_id` (one being moved) is not busy: the move
    may overlap its own current time."""
    ids = list(practitioner_ids)
    if len(ids) == 1:  # a hold, a move, a check: the same four queries, compiled once
        return {ids[0]: _one_schedule(clinic, ids[0], start - _PAD, end + _PAD, now, exclude_appointment_id)}
    schedules: dict[int, Schedule] = defaultdict(Schedule)
    for pid in ids:
        schedules[pid] = Schedule()
    hours = WorkingHours.objects.filter(practitioner_id__in=ids, clinic=clinic).values_list(
        "practitioner_id", "weekday", "start", "end"
    )
    for pid, weekday, w_start, w_end in hours:
        schedules[pid].working_hours.append(WorkingWindow(weekday, w_start, w_end))
    for pid, o_start, o_end in blockers.time_off_and_blocked(ids, start - _PAD, end + _PAD):
        schedules[pid].time_off.append(Interval(o_start, o_end))
    appointments = Appointment.objects.filter(live_appointments(now), blocking(ids, start - _PAD, end + _PAD))
    for pk, pid, a_start, b_start, b_end in appointments.values_list(
        "pk", "practitioner_id", "start", "blocked_start", "blocked_end"
    ):
        if pk == exclude_appointment_id:
            schedules[pid].moving_start = a_start
        else:
            schedules[pid].busy.append(Interval(b_start, b_end))
    for credential in Credential.objects.filter(
        practitioner_id__in=ids, kind=Credential.Kind.DRY_NEEDLING, verified_at__isnull=False
    ):
        schedules[credential.practitioner_id].credentials.append(credential)
    return dict(schedules)


def credentialled_on(schedule: Schedule, day: date, jurisdiction: str) -> bool:
    return free_starts.covered(schedule.credentials, day, jurisdiction)


def slots_for_practitioner(
    *,
    appointment_type: AppointmentType,
    schedule: Schedule,
    start: datetime,
    end: datetime,
    now: datetime,
    ignore_busy: bool = False,
) -> list[Slot]:
    clinic = appointment_type.clinic
    slots = free_slots(
        working_hours=schedule.working_hours,
        time_off=schedule.time_off,
        busy=[] if ignore_busy else schedule.busy,
        service=appointment_type.service,
        policy=clinic.policy,
        now=now,
        zone=clinic.zone,
        start=start,
        end=end,
    )
    if schedule.moving_start is not None:
        slots = [slot for slot in slots if slot.start != schedule.moving_start]
    if appointment_type.involves_needling:
        zone, jurisdiction = clinic.zone, clinic.jurisdiction
        # Decide once per local date, not once per slot: a 28-day range has
        # hundreds of slots but only 28 dates.
        covered: dict[date, bool] = {}
        kept = []
        for slot in slots:
            day = slot.start.astimezone(zone).date()
            if day not in covered:
                covered[day] = credentialled_on(schedule, day, jurisdiction)
            if covered[day]:
                kept.append(slot)
        slots = kept
    return slots


def offers_start(
    *, appointment_type: AppointmentType, schedule: Schedule, start: datetime, now: datetime, ignore_busy: bool = False
) -> bool:
    """Is `start` itself one of the practitioner's slots? With ignore_busy, would
    it be but for other appointments?"""
    slots = slots_for_practitioner(
        appointment_type=appointment_type,
        schedule=schedule,
        start=start,
        end=start + timedelta(minutes=1),
        now=now,
        ignore_busy=ignore_busy,
    )
    return any(s.start == start for s in slots)


def available_slots(
    *,
    appointment_type: AppointmentType,
    practitioner: Practitioner | None,
    start: datetime,
    end: datetime,
    now: datetime,
    exclude_appointment_id: int | None = None,
) -> list[OfferedSlot]:
    """Free slots of one practitioner, or of any ("first available"): then one
    slot per start time, given to the practitioner with the fewest bookings in
    the range, so that "any" spreads the work.

    For moving an appointment, `exclude_appointment_id` names it: it is not
    counted as busy, and its own start with its own practitioner is left out
    (moving there changes nothing)."""
    if not appointment_type.active:
        return []  # booking.services refuses an inactive treatment; offer nothing
    clinic = appointment_type.clinic
    # A named practitioner too must offer this treatment at this clinic and be
    # active: else the list shows slots that booking.services then refuses.
    if schedule_cache.usable(exclude_appointment_id):
        span = free_starts.window(appointment_type=appointment_type, start=start, end=end, now=now)
        if span is None:
            return []  # nothing in the range can be booked any more
        # The ids with their schedule versions and the versions of the days the range depends
        # on, in one query and before any schedule row.
        ids_of, days = (clinic.pk, appointment_type.pk), span.utc_days
        rows = (
            lookups.VERSIONS_AND_DAYS_ALL(*ids_of, days[0], days[-1])
            if practitioner is None
            else lookups.VERSIONS_AND_DAYS_ONE(*ids_of, practitioner.pk, days[0], days[-1])
        )
        versions = {pid: int(version) for pid, version, day in sorted(row for row in rows if row[2] is None)}
        day_versions = {(pid, day): int(version) for pid, version, day in rows if day is not None and pid in versions}
        offer = free_starts.offer(
            appointment_type=appointment_type,
            versions=versions,
            day_versions=day_versions,
            span=span,
            start=start,
            end=end,
            now=now,
        )
        duration = appointment_type.service.duration
        chosen: dict[datetime, OfferedSlot] = {}
        for pid in sorted(offer, key=lambda p: (offer[p][0], p)):
            for slot_start in offer[pid][1]:
                if slot_start not in chosen:
                    chosen[slot_start] = OfferedSlot(slot_start, slot_start + duration, pid)
        return sorted(chosen.values(), key=lambda s: s.start)
    offering = practitioners_offering(appointment_type)
    if practitioner is not None:
        offering = offering.filter(pk=practitioner.pk)
    ids = list(offering.values_list("id", flat=True))
    schedules = load_schedules(
        clinic=clinic,
        practitioner_ids=ids,
        start=start,
        end=end,
        now=now,
        exclude_appointment_id=exclude_appointment_id,
    )
    offered: dict[datetime, OfferedSlot] = {}
    # Least busy first; a stable tie-break by id keeps answers repeatable.
    for pid in sorted(ids, key=lambda p: (len(schedules[p].busy), p)):
        for slot in slots_for_practitioner(
            appointment_type=appointment_type, schedule=schedules[pid], start=start, end=end, now=now
        ):
            offered.setdefault(slot.start, OfferedSlot(slot.start, slot.end, pid))
    return sorted(offered.values(), key=lambda s: s.start)


def consent_zone(consent: SignedConsent) -> str:
    """The zone a signed consent's times are shown in: its clinic's (UTC if the clinic is gone)."""
    zone = Clinic.objects.filter(slug=consent.scope).values_list("time_zone", flat=True).first()
    return zone or "UTC"


def own_appointment(patient: Patient, pk: int, *, clinic: Clinic | None = None) -> Appointment:
    """One of the patient's own appointments (at `clinic`, when given). Pages, the API and the
    check-in all look up through here: another patient's id is a 404, never a 403."""
    found = Appointment.objects.select_related("clinic", "appointment_type", "practitioner").filter(
        pk=pk, patient=patient
    )
    return get_object_or_404(found.filter(clinic=clinic) if clinic is not None else found)
