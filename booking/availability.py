"""Pure slot engine: working hours minus time off and appointments, on a wall-clock grid.

No Django and no database: callers pass plain data and get plain data back. Every
instant is converted to UTC before comparison or arithmetic, because Python compares
and subtracts two datetimes that share a tzinfo as wall-clock values, which is wrong
across a DST change.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

__all__ = [
    "Interval",
    "Policy",
    "ServiceSpec",
    "Slot",
    "WorkingWindow",
    "bookable_span",
    "free_slots",
    "occupancy",
    "open_starts",
]


@dataclass(frozen=True)
class WorkingWindow:
    """A weekly wall-clock rule in the clinic's zone; several per weekday make breaks."""

    weekday: int  # 0 = Monday ... 6 = Sunday, as datetime.weekday()
    start: time  # naive local wall-clock
    end: time  # naive local wall-clock, > start: windows do not cross midnight


@dataclass(frozen=True)
class Interval:
    """An absolute half-open span [start, end) of aware datetimes, in any zone."""

    start: datetime
    end: datetime


@dataclass(frozen=True)
class ServiceSpec:
    duration: timedelta
    buffer_before: timedelta = timedelta(0)
    buffer_after: timedelta = timedelta(0)


@dataclass(frozen=True)
class Policy:
    min_notice: timedelta = timedelta(hours=2)
    max_advance: timedelta = timedelta(days=60)
    step: timedelta = timedelta(minutes=15)


@dataclass(frozen=True)
class Slot:
    start: datetime  # aware, UTC
    end: datetime  # aware, UTC


def occupancy(start: datetime, end: datetime, service: ServiceSpec) -> Interval:
    """The span an appointment blocks, buffers included, in UTC.

    Buffers are real durations: subtracting from a zoned datetime would move the
    wall clock instead, which is off by the DST shift on a transition day.
    """
    _require_aware(start=start, end=end)
    return Interval(
        start.astimezone(UTC) - service.buffer_before,
        end.astimezone(UTC) + service.buffer_after,
    )


def free_slots(
    *,
    working_hours: Sequence[WorkingWindow],
    time_off: Sequence[Interval],
    busy: Sequence[Interval],
    service: ServiceSpec,
    policy: Policy,
    now: datetime,
    zone: ZoneInfo,
    start: datetime,
    end: datetime,
) -> list[Slot]:
    """Bookable slots whose start lies in [start, end), sorted, in UTC.

    `busy` holds the other appointments' occupancies (buffers already applied).
    """
    earliest, stop = bookable_span(policy=policy, now=now, start=start, end=end)
    _check_rules(working_hours, service, policy)
    blocked = _Blocked([*time_off, *busy])
    days = _local_dates(earliest, stop, zone)
    found = _scan(working_hours, blocked, service, policy.step, zone, days, earliest, stop)
    return [Slot(s, s + service.duration) for s in sorted(found)]


def bookable_span(*, policy: Policy, now: datetime, start: datetime, end: datetime) -> tuple[datetime, datetime]:
    """[earliest, stop) in UTC: the starts of [start, end) that notice and horizon allow at
    `now` (empty when earliest >= stop). free_slots offers its starts there, and
    booking.free_starts filters a day's open_starts to it."""
    _require_aware(now=now, start=start, end=end)
    if end <= start:
        raise ValueError("end must be after start")
    now = now.astimezone(UTC)
    earliest = max(start.astimezone(UTC), now + policy.min_notice)
    latest = now + policy.max_advance  # inclusive, unlike the range end
    return earliest, min(end.astimezone(UTC), latest + _TICK)


def open_starts(
    *,
    working_hours: Sequence[WorkingWindow],
    time_off: Sequence[Interval],
    busy: Sequence[Interval],
    service: ServiceSpec,
    policy: Policy,
    zone: ZoneInfo,
    days: Iterable[date],
) -> dict[date, tuple[datetime, ...]]:
    """Per local date, the sorted UTC starts free_slots would offer that day if notice and
    horizon allowed all of it: free_slots(now, start, end) is exactly these starts that lie in
    [max(start, now + min_notice), end) and not after now + max_advance. booking.slot_cache
    keeps them, because only that filter depends on the time of the request."""
    _check_rules(working_hours, service, policy)
    blocked = _Blocked([*time_off, *busy])
    return {
        day: tuple(sorted(_scan(working_hours, blocked, service, policy.step, zone, [day], _DAWN, _DUSK)))
        for day in days
    }


# Bounds no instant reaches, and the smallest step between two: `slot_start > latest` is
# `slot_start >= latest + _TICK` (datetimes count in microseconds).
_DAWN = datetime.min.replace(tzinfo=UTC) + timedelta(days=2)
_DUSK = datetime.max.replace(tzinfo=UTC) - timedelta(days=2)
_TICK = timedelta(microseconds=1)


def _scan(
    working_hours: Sequence[WorkingWindow],
    blocked: _Blocked,
    service: ServiceSpec,
    step: timedelta,
    zone: ZoneInfo,
    days: Iterable[date],
    earliest: datetime,
    stop: datetime,
) -> set[datetime]:
    """The free grid starts in [earliest, stop) on the local `days`, as UTC instants."""
    by_weekday: dict[int, list[WorkingWindow]] = {}
    for window in working_hours:
        by_weekday.setdefault(window.weekday, []).append(window)

    duration, before, after = service.duration, service.buffer_before, service.buffer_after
    # blocked.overlaps, inlined: this loop runs for every grid instant of every practitioner.
    starts, ends = blocked._starts, blocked._ends
    spans = len(starts)
    found: set[datetime] = set()
    for day in days:
        for window in by_weekday.get(day.weekday(), []):
            window_end = _window_end(day, window.end, zone)
            for slot_start in _grid_instants(day, window, step, zone):
                slot_end = slot_start + duration
                # Grid instants increase with wall time, so nothing later fits either.
                if slot_end > window_end or slot_start >= stop:
                    break
                if slot_start < earliest:
                    continue
                # slot_start is already UTC: occupancy() inlined, without its checks.
                i = bisect_right(ends, slot_start - before)
                if not (i < spans and starts[i] < slot_end + after):
                    found.add(slot_start)
    return found


class _Blocked:
    """Time off and appointments merged into disjoint sorted spans.

    Merging once makes every overlap test a single bisect instead of a scan, which
    matters with hundreds of appointments over a month of slots.
    """

    def __init__(self, intervals: Iterable[Interval]) -> None:
        spans: list[tuple[datetime, datetime]] = []
        for interval in intervals:
            if interval.start.utcoffset() is None or interval.end.utcoffset() is None:  # naive: say which
                _require_aware(interval_start=interval.start, interval_end=interval.end)
            span = (interval.start.astimezone(UTC), interval.end.astimezone(UTC))
            if span[1] < span[0]:
                raise ValueError(f"interval ends before it starts: {interval!r}")
            if span[0] < span[1]:  # the bisect below would let an empty [x, x) block x
                spans.append(span)
        self._starts: list[datetime] = []
        self._ends: list[datetime] = []
        for span_start, span_end in sorted(spans):
            if self._ends and span_start <= self._ends[-1]:
                self._ends[-1] = max(self._ends[-1], span_end)
            else:
                self._starts.append(span_start)
                self._ends.append(span_end)

    def overlaps(self, start: datetime, end: datetime) -> bool:
        # Half-open: a span ending exactly at `start` does not count.
        i = bisect_right(self._ends, start)
        return i < len(self._starts) and self._starts[i] < end


def _grid(day: date, window: WorkingWindow, step: timedelta, zone: ZoneInfo) -> Iterator[datetime]:
    """Existing wall-clock starts of the window on `day`, as UTC instants.

    The grid is anchored at the window's start so that 09:10 opens 09:10, 09:25, ...
    A wall time in a spring-forward gap is skipped; a repeated one (fall back) means
    its first occurrence, so it is offered once.
    """
    wall = datetime.combine(day, window.start)
    last = datetime.combine(day, window.end)
    while wall < last:
        instant = wall.replace(tzinfo=zone).astimezone(UTC)
        if instant.astimezone(zone).replace(tzinfo=None) == wall:
            yield instant
        wall += step


@lru_cache(maxsize=8192)
def _grid_instants(day: date, window: WorkingWindow, step: timedelta, zone: ZoneInfo) -> tuple[datetime, ...]:
    # The same wall-clock grid serves every practitioner with the same hours.
    return tuple(_grid(day, window, step, zone))


@lru_cache(maxsize=8192)
def _window_end(day: date, end: time, zone: ZoneInfo) -> datetime:
    # An end in a gap or a repeated hour has two readings; the earlier one never
    # offers time the practitioner is not working.
    wall = datetime.combine(day, end)
    return min(wall.replace(tzinfo=zone, fold=fold).astimezone(UTC) for fold in (0, 1))


def _local_dates(first: datetime, last: datetime, zone: ZoneInfo) -> Iterator[date]:
    day = first.astimezone(zone).date()
    final = last.astimezone(zone).date()
    while day <= final:
        yield day
        day += timedelta(days=1)


def _require_aware(**values: datetime) -> None:
    for name, value in values.items():
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"{name} must be timezone-aware, got {value!r}")


def _check_rules(working_hours: Iterable[WorkingWindow], service: ServiceSpec, policy: Policy) -> None:
    # These would otherwise loop forever or silently offer nonsense slots.
    if policy.step <= timedelta(0):
        raise ValueError("policy.step must be positive")
    if service.duration <= timedelta(0):
        raise ValueError("service.duration must be positive")
    if service.buffer_before < timedelta(0) or service.buffer_after < timedelta(0):
        raise ValueError("service buffers must not be negative")
    for window in working_hours:
        if not 0 <= window.weekday <= 6 or window.end <= window.start:
            raise ValueError(f"invalid working window {window!r}")
