"""Recording time that frees up, and asking a worker to offer it to the waitlist.

What is recorded (record_freed):
- Only the future: a span is clipped to start no earlier than `now`; nothing is recorded
  when nothing of it is left (the caller gets None).
- Merged with a neighbour: an open freed time of the same practitioner and clinic that
  overlaps or touches the new span, and that has no offers yet, grows to cover both, so
  that two adjacent 30-minute cancellations can be offered as one 60-minute treatment. A
  freed time with offers already out is left as it is (its offers name its start), and
  the new span gets its own row. A visit later booked into part of an open freed time marks
  all of it booked elsewhere (mark_booked_elsewhere): the rest is not offered again.
- Schedule changes (free_time_off, free_new_hours) look only HORIZON ahead (14 days): a
  waitlist entry asks for soon-ish time, and a whole year of new hours would otherwise
  become hundreds of rows at once. Later days reach patients through the normal times pages.
- The fill task is queued after commit (never for a rolled-back change), best effort: with
  the broker down the row stays open and is logged (the offers' beat can pick it up).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from celery import current_app
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from booking.models import Appointment, Clinic, Practitioner, TimeOff, WorkingHours
from booking.occupying import blocking
from booking.selectors import live_appointments
from waitlist import matching
from waitlist.models import FreedSlot, Offer

logger = logging.getLogger(__name__)

HORIZON = timedelta(days=14)
_GIVE_UP_AT_ONCE = {"max_retries": 0, "socket_connect_timeout": 2, "socket_timeout": 2}
# A weekly window as (weekday, start, end) in the clinic's wall clock.
Weekly = tuple[int, time, time]
Span = tuple[datetime, datetime]


def record_freed(
    *,
    practitioner: Practitioner,
    start: datetime,
    end: datetime,
    cause: str,
    source: Appointment | int | None = None,
    clinic: Clinic | None = None,
    now: datetime | None = None,
) -> FreedSlot | None:
    """Record that [start, end) of the practitioner's time is free again (see the module's
    docstring for clipping and merging). `clinic` defaults to the source appointment's, else
    the practitioner's first clinic. `source` is the appointment (or its id) that freed it."""
    now = now or timezone.now()
    start = max(start, now)
    if end <= start:
        return None
    source_id = source.pk if isinstance(source, Appointment) else source
    clinic_id = _clinic_id(practitioner, clinic, source)
    with transaction.atomic():
        neighbours = list(
            FreedSlot.objects.select_for_update()
            .filter(
                practitioner=practitioner,
                clinic_id=clinic_id,
                outcome=FreedSlot.Outcome.OPEN,
                start__lte=end,
                end__gte=start,
                end__gt=now,
            )
            .filter(~Exists(Offer.objects.filter(slot=OuterRef("pk"))))
            .order_by("start", "pk")
        )
        if neighbours:
            slot = neighbours[0]
            slot.start = max(now, min([start, *(n.start for n in neighbours)]))
            slot.end = max([end, *(n.end for n in neighbours)])
            slot.save(update_fields=["start", "end"])
            # The others are covered by the first now and have no offers: counting them too
            # would count the same time twice in the fill rate.
            FreedSlot.objects.filter(pk__in=[n.pk for n in neighbours[1:]]).delete()
        else:
            slot = FreedSlot.objects.create(
                clinic_id=clinic_id,
                practitioner=practitioner,
                start=start,
                end=end,
                cause=cause,
                source_id=source_id,
                freed_at=now,
            )
        slot_id = slot.pk
        transaction.on_commit(lambda: enqueue_fill(slot_id))
    return slot


def enqueue_fill(slot_id: int) -> None:
    """Queue waitlist.tasks.fill_slot; a broker failure must not fail the change that freed the time.

    By the task's name: the tasks module imports the services, so the services never import it."""
    if not settings.WAITLIST_FILL:
        return
    try:
        # A connection of its own that gives up at once, like notifications' nudge: with the
        # broker down, the change that freed the time must not wait for reconnection attempts.
        with current_app.connection_for_write(transport_options=_GIVE_UP_AT_ONCE) as connection:
            current_app.send_task("waitlist.fill_slot", args=(slot_id,), retry=False, producer=connection.Producer())
    except Exception as exc:  # the broker's errors vary by transport
        logger.warning("waitlist: could not queue fill_slot for freed time %s (%s)", slot_id, exc)


def _clinic_id(practitioner: Practitioner, clinic: Clinic | None, source: Appointment | int | None) -> int:
    if clinic is not None:
        return clinic.pk
    if isinstance(source, Appointment):
        return source.clinic_id
    if source is not None:
        return Appointment.objects.values_list("clinic_id", flat=True).get(pk=source)
    first = practitioner.clinics.order_by("pk").values_list("pk", flat=True).first()
    if first is None:
        raise ValueError(f"practitioner {practitioner.pk} works at no clinic")
    return first


def mark_booked_elsewhere(appointment: Appointment, *, now: datetime | None = None) -> int:
    """A visit booked without the waitlist took (part of) open freed time: those rows are
    booked elsewhere, with the time it happened. Freed times offered to this visit's patient
    are left alone: a visit from an offer is the offers' claim to mark filled."""
    now = now or timezone.now()
    offered_to_patient = Offer.objects.filter(slot=OuterRef("pk"), entry__patient_id=appointment.patient_id)
    return (
        FreedSlot.objects.filter(
            practitioner_id=appointment.practitioner_id,
            outcome=FreedSlot.Outcome.OPEN,
            start__lt=appointment.blocked_end,
            end__gt=appointment.blocked_start,
        )
        .exclude(Exists(offered_to_patient))
        .update(outcome=FreedSlot.Outcome.BOOKED_ELSEWHERE, filled_at=now)
    )


# --- Schedule changes (called by workspace.services.schedule inside its transaction) -------


def free_time_off(
    practitioner: Practitioner, *, start: datetime, end: datetime, now: datetime | None = None
) -> list[FreedSlot]:
    """Removed time off: the part of it inside working hours (at each of the practitioner's
    clinics), not under other time off or a live visit, in the next HORIZON."""
    now = now or timezone.now()
    start, end = max(start, now), min(end, now + HORIZON)
    if end <= start:
        return []
    hours = WorkingHours.objects.filter(practitioner=practitioner).select_related("clinic")
    by_clinic: dict[int, tuple[Clinic, list[Weekly]]] = {}
    for h in hours:
        by_clinic.setdefault(h.clinic_id, (h.clinic, []))[1].append((h.weekday, h.start, h.end))
    freed = []
    for clinic, windows in by_clinic.values():
        freed += _record_spans(
            practitioner, clinic, _weekly_spans(windows, clinic.zone, start, end), FreedSlot.Cause.TIME_OFF_REMOVED, now
        )
    return freed


def free_new_hours(
    practitioner: Practitioner,
    *,
    clinic: Clinic,
    before: Sequence[Weekly],
    after: Sequence[Weekly],
    now: datetime | None = None,
) -> list[FreedSlot]:
    """New working hours: the wall-clock time `after` adds to `before`, on each day of the
    next HORIZON, not under time off or a live visit."""
    now = now or timezone.now()
    added: list[Weekly] = []
    for weekday in range(7):
        old = [(s, e) for d, s, e in before if d == weekday]
        new = [(s, e) for d, s, e in after if d == weekday]
        added += [(weekday, s, e) for s, e in matching.subtract(new, old)]
    if not added:
        return []
    spans = _weekly_spans(added, clinic.zone, now, now + HORIZON)
    return _record_spans(practitioner, clinic, spans, FreedSlot.Cause.HOURS_CHANGED, now)


def _weekly_spans(
    windows: Iterable[Weekly], zone: ZoneInfo, start: datetime, end: datetime
) -> list[tuple[datetime, datetime]]:
    windows = list(windows)
    spans = []
    day = start.astimezone(zone).date()
    while day <= end.astimezone(zone).date():
        for weekday, w_start, w_end in windows:
            if weekday == day.weekday():
                spans.append(matching.wall_span(day, w_start, w_end, zone))
        day += timedelta(days=1)
    lo, hi = start.astimezone(UTC), end.astimezone(UTC)
    return [(max(s, lo), min(e, hi)) for s, e in matching.merge(spans) if e > lo and s < hi]


def _record_spans(
    practitioner: Practitioner, clinic: Clinic, spans: list[Span], cause: str, now: datetime
) -> list[FreedSlot]:
    """Record each span less the practitioner's time off and live visits (two queries)."""
    if not spans:
        return []
    lo, hi = spans[0][0], spans[-1][1]
    blocks = list(
        TimeOff.objects.filter(practitioner=practitioner, start__lt=hi, end__gt=lo).values_list("start", "end")
    )
    booked = Appointment.objects.filter(live_appointments(now), blocking(practitioner.pk, lo, hi))
    blocks += booked.values_list("blocked_start", "blocked_end")
    recorded = []
    for s, e in matching.subtract(spans, blocks):
        slot = record_freed(practitioner=practitioner, start=s, end=e, cause=cause, clinic=clinic, now=now)
        if slot is not None:
            recorded.append(slot)
    return recorded
