"""Pure matching: which waiting entries fit a freed interval, and at what start.

No Django and no database: the selector (waitlist.selectors.matching) loads plain data and
gets plain data back. Every instant is compared in UTC; local days, weekdays and parts of
the day are read in the clinic's zone, so a DST change moves nothing.

The freed interval is the span the practitioner has free again, buffers included (an
appointment's blocked span, booking.availability.occupancy). A treatment fits when its own
occupancy (buffers included) lies inside the interval. Its offered start is the first
start on the clinic's slot grid that fits (the selector computes the grid with
booking.availability.free_slots, so working hours, time off, other visits, credentials and
the clinic's booking policy all count); with no grid given, the start that puts the
treatment's occupancy at the interval's start.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from booking.availability import ServiceSpec, occupancy

MORNING, AFTERNOON, EVENING = "morning", "afternoon", "evening"
_NOON, _FIVE_PM = time(12), time(17)


@dataclass(frozen=True)
class Freed:
    practitioner_id: int
    start: datetime  # aware
    end: datetime  # aware, > start
    zone: ZoneInfo  # the clinic's


@dataclass(frozen=True)
class Wish:
    """What matching needs of a waitlist entry."""

    pk: int
    patient_id: int
    appointment_type_id: int
    practitioner_id: int | None  # None: anyone
    first_day: date
    last_day: date
    weekdays: tuple[int, ...]  # empty: any day
    parts_of_day: tuple[str, ...]  # empty: any part
    notice: timedelta
    joined_at: datetime


@dataclass(frozen=True)
class Fit:
    wish: Wish
    start: datetime  # UTC


def part_of_day(local: time) -> str:
    if local < _NOON:
        return MORNING
    return AFTERNOON if local < _FIVE_PM else EVENING


def offered_start(freed: Freed, service: ServiceSpec, grid: Sequence[datetime] | None = None) -> datetime | None:
    """The first start whose occupancy lies inside the freed interval, or None.

    `grid`: the bookable starts inside the interval, sorted; None means no grid (any start)."""
    lo, hi = freed.start.astimezone(UTC), freed.end.astimezone(UTC)
    candidates = [lo + service.buffer_before] if grid is None else [g.astimezone(UTC) for g in grid]
    for start in candidates:
        span = occupancy(start, start + service.duration, service)
        if span.start >= lo and span.end <= hi:
            return start
    return None


def wish_allows(wish: Wish, *, practitioner_id: int, start: datetime, zone: ZoneInfo, now: datetime) -> bool:
    """Everything about the entry except the treatment: practitioner, days, parts of day, notice."""
    if wish.practitioner_id is not None and wish.practitioner_id != practitioner_id:
        return False
    local = start.astimezone(zone)
    if not wish.first_day <= local.date() <= wish.last_day:
        return False
    if wish.weekdays and local.weekday() not in wish.weekdays:
        return False
    if wish.parts_of_day and part_of_day(local.time()) not in wish.parts_of_day:
        return False
    # Absolute durations in UTC: "2 hours' notice" means 2 real hours across a DST change.
    return start.astimezone(UTC) - now.astimezone(UTC) >= wish.notice


def match(
    freed: Freed,
    *,
    offered: Mapping[int, ServiceSpec],
    wishes: Iterable[Wish],
    now: datetime,
    grids: Mapping[int, Sequence[datetime]] | None = None,
) -> list[Fit]:
    """The wishes that fit the freed interval, in joining order (joined_at, then pk).

    `offered`: the practitioner's treatments (appointment type id -> service); `grids`: per
    treatment, the bookable starts inside the interval (see offered_start)."""
    starts: dict[int, datetime | None] = {}
    fits = []
    for wish in sorted(wishes, key=lambda w: (w.joined_at, w.pk)):
        type_id = wish.appointment_type_id
        if type_id not in offered:
            continue
        if type_id not in starts:
            grid = None if grids is None else grids.get(type_id, ())
            starts[type_id] = offered_start(freed, offered[type_id], grid)
        start = starts[type_id]
        if start is None:
            continue
        if wish_allows(wish, practitioner_id=freed.practitioner_id, start=start, zone=freed.zone, now=now):
            fits.append(Fit(wish, start))
    return fits


def merge(spans: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """Overlapping or touching spans joined, sorted, in UTC (for the freed times of one event)."""
    merged: list[tuple[datetime, datetime]] = []
    for start, end in sorted((s.astimezone(UTC), e.astimezone(UTC)) for s, e in spans if e > s):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def subtract(spans: Iterable[tuple[Any, Any]], blocks: Iterable[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """The parts of `spans` outside every block, sorted (any comparable ends: times or instants)."""
    pieces = sorted((s, e) for s, e in spans if e > s)
    for b_start, b_end in sorted(blocks):
        cut = []
        for s, e in pieces:
            if b_end <= s or e <= b_start:
                cut.append((s, e))
                continue
            if s < b_start:
                cut.append((s, b_start))
            if b_end < e:
                cut.append((b_end, e))
        pieces = cut
    return pieces


def wall_span(day: date, start: time, end: time, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """A wall-clock span of one local day as UTC instants. An end in a gap or a repeated hour
    takes the earlier reading, as the slot engine does: never time nobody works."""
    first = datetime.combine(day, start, zone).astimezone(UTC)
    last = min(datetime.combine(day, end, zone).replace(fold=f).astimezone(UTC) for f in (0, 1))
    return first, last
