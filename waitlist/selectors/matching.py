"""Which waiting entries to offer a freed time to, in the order they joined.

A fixed number of queries whatever the number of entries (about ten): the slot's clinic and
practitioner, the practitioner's treatments, their schedule (booking.selectors.load_schedules,
four), the waiting entries (the `waitlist_match` index), the patients with a live visit then,
and the patients blocked by screening.

Blocked by screening: for a treatment that involves needling, the patient's newest
ScreeningResponse for the clinic's questionnaire (scope = the clinic's slug, as
consent.selectors.latest_screening reads it) has the outcome "block". Those are the answers
a new signature would rest on (booking.consent_flow refuses to sign on a block), so offering
them needling would only end in a refusal. Older answers, a review outcome or answers for
another clinic do not block; treatments without needling are never blocked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from accounts.models import Patient
from booking.models import Appointment, AppointmentType
from booking.selectors import live_appointments, load_schedules, slots_for_practitioner
from consent.models import ScreeningResponse
from consent.screening import BLOCK
from waitlist import matching
from waitlist.models import Entry, FreedSlot


@dataclass(frozen=True)
class Match:
    entry: Entry
    appointment_type: AppointmentType
    start: datetime  # UTC


def matches_for(slot: FreedSlot, *, now: datetime | None = None) -> list[Match]:
    """Entries that fit the freed time, in joining order, without busy or screening-blocked patients."""
    now = now or timezone.now()
    slot = FreedSlot.objects.select_related("clinic", "practitioner").get(pk=slot.pk)
    clinic, practitioner = slot.clinic, slot.practitioner
    if not practitioner.active:
        return []
    freed = matching.Freed(practitioner.pk, max(slot.start, now), slot.end, clinic.zone)
    if freed.end <= freed.start:
        return []
    types = {
        t.pk: t
        for t in AppointmentType.objects.filter(clinic=clinic, active=True, practitioners=practitioner).select_related(
            "clinic"
        )
    }
    if not types:
        return []
    fits = _fits(slot, freed, types, now)
    if not fits:
        return []
    fits = _without_busy(fits, types, now)
    fits = _without_blocked(fits, clinic.slug, types)
    entries = Entry.objects.in_bulk([fit.wish.pk for fit in fits])
    return [Match(entries[fit.wish.pk], types[fit.wish.appointment_type_id], fit.start) for fit in fits]


def _fits(
    slot: FreedSlot, freed: matching.Freed, types: dict[int, AppointmentType], now: datetime
) -> list[matching.Fit]:
    zone = freed.zone
    first_day = freed.start.astimezone(zone).date()
    last_day = freed.end.astimezone(zone).date()
    rows = (
        Entry.objects.filter(
            clinic=slot.clinic_id,
            status=Entry.Status.WAITING,
            appointment_type_id__in=list(types),
            first_day__lte=last_day,
            last_day__gte=first_day,
        )
        .filter(Q(practitioner__isnull=True) | Q(practitioner=slot.practitioner_id))
        .order_by("joined_at", "pk")
        .values_list(
            "pk",
            "patient_id",
            "appointment_type_id",
            "practitioner_id",
            "first_day",
            "last_day",
            "weekdays",
            "parts_of_day",
            "notice_minutes",
            "joined_at",
        )
    )
    wishes = [
        matching.Wish(
            pk, patient, type_id, pid, first, last, tuple(days or ()), tuple(parts or ()), timedelta(minutes=notice), at
        )
        for pk, patient, type_id, pid, first, last, days, parts, notice, at in rows
    ]
    if not wishes:
        return []
    wanted = {w.appointment_type_id for w in wishes}
    # The grid: the practitioner's bookable starts inside the freed time, per treatment, as
    # booking would offer them (hours, time off, other visits, credentials, notice policy).
    schedule = load_schedules(
        clinic=slot.clinic, practitioner_ids=[slot.practitioner_id], start=freed.start, end=freed.end, now=now
    )[slot.practitioner_id]
    grids = {
        type_id: [
            s.start
            for s in slots_for_practitioner(
                appointment_type=types[type_id], schedule=schedule, start=freed.start, end=freed.end, now=now
            )
        ]
        for type_id in wanted
    }
    offered = {type_id: types[type_id].service for type_id in wanted}
    return matching.match(freed, offered=offered, wishes=wishes, now=now, grids=grids)


def _without_busy(fits: list[matching.Fit], types: dict[int, AppointmentType], now: datetime) -> list[matching.Fit]:
    """Patients with a live visit (any practitioner) overlapping the offered visit's time."""
    spans = {fit.wish.pk: (fit.start, fit.start + types[fit.wish.appointment_type_id].service.duration) for fit in fits}
    lo, hi = min(s for s, _ in spans.values()), max(e for _, e in spans.values())
    busy: dict[int, list[tuple[datetime, datetime]]] = {}
    for patient_id, start, end in Appointment.objects.filter(
        live_appointments(now),
        patient_id__in={fit.wish.patient_id for fit in fits},
        start__lt=hi,
        end__gt=lo,
    ).values_list("patient_id", "start", "end"):
        busy.setdefault(patient_id, []).append((start, end))
    return [
        fit
        for fit in fits
        if not any(
            b_start < spans[fit.wish.pk][1] and spans[fit.wish.pk][0] < b_end
            for b_start, b_end in busy.get(fit.wish.patient_id, ())
        )
    ]


def _without_blocked(fits: list[matching.Fit], scope: str, types: dict[int, AppointmentType]) -> list[matching.Fit]:
    needling = [fit for fit in fits if types[fit.wish.appointment_type_id].involves_needling]
    if not needling:
        return fits
    newest = ScreeningResponse.objects.filter(patient=OuterRef("pk"), questionnaire_version__scope=scope).order_by(
        "-created_at", "-id"
    )
    blocked = set(
        Patient.objects.filter(pk__in={fit.wish.patient_id for fit in needling})
        .annotate(newest_outcome=Subquery(newest.values("outcome")[:1]))
        .filter(newest_outcome=BLOCK)
        .values_list("pk", flat=True)
    )
    return [
        fit
        for fit in fits
        if not (types[fit.wish.appointment_type_id].involves_needling and fit.wish.patient_id in blocked)
    ]
