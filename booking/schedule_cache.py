"""The slot engine's inputs from memory while nothing in them changed.

`load_schedules` reads four tables for every slot list. Most lists ask about the same
practitioners and days as the one before, and nothing changed meanwhile. So this module
keeps, per practitioner and UTC day, the rows that day is made of (time off, busy time from
calendars, appointments that occupy time) with the practitioner's schedule version and the
day's (booking.models.schedule_versions) at the time it was read, and per practitioner and
clinic their working hours and credentials with the practitioner's version.

Correctness rests on three things:
- the versions are read *before* the rows (the caller reads them with the practitioners), so
  a change that commits after the read moves a version past the one stored with the rows;
- database triggers bump the versions in the transaction of every change to those tables,
  whatever writes it, so a stored day is used only while its versions are still the current
  ones: a freed slot shows as soon as the change is committed. On PostgreSQL a hold moves
  only its own day's version, so the practitioner's other days stay stored;
- what depends on the time is decided at read time, not cached: a hold occupies time only
  until it expires, and the engine applies notice and horizon with the caller's `now`.

Never used inside a transaction (its own uncommitted writes could be stored under a version
that a rollback never makes true) nor for a move (the moved appointment is left out). A
double booking is refused by the services' locked re-check and the exclusion constraints in
any case: a slot list is advice. The memory is the worker process's own: no pickling, no
round trip; it is bounded by emptying it when it grows past _MAX_ENTRIES.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar

from django.db import connection
from django.db.models import QuerySet

from booking import blockers
from booking.availability import Interval, WorkingWindow
from booking.models import Appointment, Clinic, Credential, WorkingHours
from booking.occupying import blocking
from core.precompiled import Precompiled, as_array

_DAY = timedelta(days=1)
T = TypeVar("T")
_MAX_ENTRIES = 20_000  # practitioner-days: 20 practitioners over the 60-day horizon take 1,300

Span = tuple[datetime, datetime]
# pk, start, blocked_start, blocked_end, status, hold_expires_at
Booked = tuple[int, datetime, datetime, datetime, str, datetime | None]


def _occupying(ids: list[int], lo: datetime, hi: datetime) -> QuerySet[Appointment, tuple[Any, ...]]:
    return Appointment.objects.filter(blocking(ids, lo, hi)).values_list(
        "practitioner_id", "pk", "start", "blocked_start", "blocked_end", "status", "hold_expires_at"
    )


# The days of one practitioner (of one or two elsewhere than on PostgreSQL), what holds
# elsewhere leave to read again nearly every time: the same two queries per practitioner,
# compiled once (core/precompiled.py). Compiling the query for several cost more than running
# two of these (bench/README, "Issue 22, fifth pass").
_ONE_BY_ONE = 2
_ONE_OFF = Precompiled(lambda pid, lo, hi: blockers.time_off_and_blocked([pid], lo, hi), int, datetime, datetime)
_ONE_OCCUPYING = Precompiled(lambda pid, lo, hi: _occupying([pid], lo, hi), int, datetime, datetime)
# On PostgreSQL the ids of several go in as one array (core.precompiled.any_of), so the query
# for any number of them is compiled once too: an "any" list after holds elsewhere read its
# stale days through two ORM queries built afresh each time, about 3 % of a worker's CPU under
# bench.load (bench/README, "Issue 22, eighth pass").
_MANY_OFF = Precompiled(lambda ids, lo, hi: blockers.time_off_and_blocked(ids, lo, hi), list, datetime, datetime)
_MANY_OCCUPYING = Precompiled(lambda ids, lo, hi: _occupying(ids, lo, hi), list, datetime, datetime)


@dataclass(frozen=True)
class _Day:
    time_off: tuple[Span, ...]
    booked: tuple[Booked, ...]
    # Of `booked`, those that begin on this day: how many always count (not holds), and the
    # expiries of the holds. busy_counts counts a whole day in its range from these alone.
    firm_starting: int
    holds_starting: tuple[datetime | None, ...]


def _day(midnight: datetime, time_off: tuple[Span, ...], booked: tuple[Booked, ...]) -> _Day:
    starting = [b for b in booked if b[2] >= midnight]
    held = Appointment.Status.HELD
    return _Day(
        time_off,
        booked,
        sum(1 for b in starting if b[4] != held),
        tuple(b[5] for b in starting if b[4] == held),
    )


@dataclass(frozen=True)
class _Base:
    working_hours: tuple[WorkingWindow, ...]
    credentials: tuple[Credential, ...]


# A day's rows are stored with (the practitioner's version, the day's version): on SQLite
# every change moves the first, on PostgreSQL a span's change moves only the second.
Stamp = tuple[int, int]
DayVersions = dict[tuple[int, date], int]  # (practitioner, UTC day): version; absent is 0

_days: dict[tuple[int, date], tuple[Stamp, _Day]] = {}
_bases: dict[tuple[int, int], tuple[int, _Base]] = {}


def usable(exclude_appointment_id: int | None) -> bool:
    return exclude_appointment_id is None and not connection.in_atomic_block


def clear() -> None:
    _days.clear()
    _bases.clear()


def utc_days(lo: datetime, hi: datetime) -> list[date]:
    """The UTC days [lo, hi) touches: the days whose versions a read of it depends on."""
    first, last = lo.astimezone(UTC).date(), (hi - timedelta(microseconds=1)).astimezone(UTC).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def _stale(
    clinic_id: int, versions: dict[int, int], day_versions: DayVersions, days: list[date]
) -> tuple[list[int], dict[int, list[date]]]:
    """The practitioners whose hours and credentials, and per practitioner the days, that
    are missing or stored under another version."""
    bases = []
    stale_days: dict[int, list[date]] = {}
    for pid, version in versions.items():
        base = _bases.get((clinic_id, pid))
        if base is None or base[0] != version:
            bases.append(pid)
        for day in days:
            entry = _days.get((pid, day))
            if entry is None or entry[0] != (version, day_versions.get((pid, day), 0)):
                stale_days.setdefault(pid, []).append(day)
    return bases, stale_days


def _load(
    clinic: Clinic,
    versions: dict[int, int],
    day_versions: DayVersions,
    bases: list[int],
    wanted: dict[int, list[date]],
) -> bool:
    """Read the hours and credentials of `bases` and the rows of the `wanted` days (two queries
    for hours and credentials, two per practitioner for one or two, else two in all) and store
    them. True if the memory was emptied first (then other days are gone too)."""
    hours: dict[int, list[WorkingWindow]] = {pid: [] for pid in bases}
    credentials: dict[int, list[Credential]] = {pid: [] for pid in bases}
    if bases:
        for pid, weekday, w_start, w_end in WorkingHours.objects.filter(
            practitioner_id__in=bases, clinic=clinic
        ).values_list("practitioner_id", "weekday", "start", "end"):
            hours[pid].append(WorkingWindow(weekday, w_start, w_end))
        for credential in Credential.objects.filter(
            practitioner_id__in=bases, kind=Credential.Kind.DRY_NEEDLING, verified_at__isnull=False
        ):
            credentials[credential.practitioner_id].append(credential)
    ids = list(wanted)
    spans: dict[int, list[Span]] = {pid: [] for pid in ids}
    booked: dict[int, list[Booked]] = {pid: [] for pid in ids}
    days = sorted({day for pid_days in wanted.values() for day in pid_days})
    if ids:
        # One range over every wanted day: the days between them come along and are stored too.
        days = [days[0] + timedelta(days=n) for n in range((days[-1] - days[0]).days + 1)]
        lo, hi = _midnight(days[0]), _midnight(days[-1]) + _DAY
        off: Iterable[tuple[Any, ...]]
        occupying: Iterable[tuple[Any, ...]]
        if as_array(ids):
            off, occupying = _MANY_OFF(ids, lo, hi), _MANY_OCCUPYING(ids, lo, hi)
        elif len(ids) <= _ONE_BY_ONE:
            off = [row for pid in ids for row in _ONE_OFF(pid, lo, hi)]
            occupying = [row for pid in ids for row in _ONE_OCCUPYING(pid, lo, hi)]
        else:
            off, occupying = blockers.time_off_and_blocked(ids, lo, hi), _occupying(ids, lo, hi)
        for pid, o_start, o_end in off:
            spans[pid].append((o_start, o_end))
        for pid, pk, start, b_start, b_end, status, expires in occupying:
            booked[pid].append((pk, start, b_start, b_end, status, expires))
    emptied = len(_days) + len(ids) * len(days) + len(_bases) > _MAX_ENTRIES
    if emptied:
        clear()
    for pid in bases:
        _bases[(clinic.pk, pid)] = (versions[pid], _Base(tuple(hours[pid]), tuple(credentials[pid])))
    for pid in ids:
        for day in days:
            d_lo, d_hi = _midnight(day), _midnight(day) + _DAY
            _days[(pid, day)] = (
                (versions[pid], day_versions.get((pid, day), 0)),
                _day(
                    d_lo,
                    tuple(s for s in spans[pid] if s[0] < d_hi and s[1] > d_lo),
                    tuple(b for b in booked[pid] if b[2] < d_hi and b[3] > d_lo),
                ),
            )
    return emptied


# Per practitioner: working hours, credentials, time off, occupied time, and the span of
# `now` in which the holds among the rows count as they did (booking.slot_cache.Steady).
Found = dict[
    int,
    tuple[
        tuple[WorkingWindow, ...],
        tuple[Credential, ...],
        list[Interval],
        list[Interval],
        tuple[datetime | None, datetime | None],
    ],
]


def schedules(
    *,
    clinic: Clinic,
    versions: dict[int, int],
    day_versions: DayVersions,
    lo: datetime,
    hi: datetime,
    now: datetime,
) -> Found:
    """Per practitioner: working hours, credentials, time off and occupied time overlapping
    [lo, hi), exactly as load_schedules would read them now, and the span of time in which a
    hold among them would neither start nor stop counting. `versions` and `day_versions`
    (for the days utc_days(lo, hi) names) must have been read before this call."""
    days = utc_days(lo, hi)
    return _current(clinic, versions, day_versions, days, lambda: _assemble(clinic, versions, days, lo, hi, now))


def busy_counts(
    *, clinic: Clinic, versions: dict[int, int], day_versions: DayVersions, lo: datetime, hi: datetime, now: datetime
) -> dict[int, int]:
    """Per practitioner: how many appointments occupy time in [lo, hi) at `now` (the length of
    schedules()'s busy list), without building the lists."""
    days = utc_days(lo, hi)
    return _current(
        clinic, versions, day_versions, days, lambda: {pid: _count(pid, days, lo, hi, now) for pid in versions}
    )


def _current(
    clinic: Clinic, versions: dict[int, int], day_versions: DayVersions, days: list[date], read: Callable[[], T]
) -> T:
    """`read()` of the memory once the practitioners' bases and `days` in it are current."""
    everything = (list(versions), {pid: days for pid in versions})
    bases, wanted = _stale(clinic.pk, versions, day_versions, days)
    if (bases or wanted) and _load(clinic, versions, day_versions, bases, wanted):
        _load(clinic, versions, day_versions, *everything)  # the memory was emptied: this request's all
    try:
        return read()
    except KeyError:  # another thread emptied the memory meanwhile: read this request's days again
        _load(clinic, versions, day_versions, *everything)
        return read()


def _count(pid: int, days: list[date], lo: datetime, hi: datetime, now: datetime) -> int:
    """The appointments that occupy time in [lo, hi) at `now`, each counted once: on the day
    of max(its start, lo), a point of [lo, hi) it occupies, so that day holds it. A day that
    lies wholly in [lo, hi) is counted from its stored totals; only the two edge days walk
    their appointments."""
    held = Appointment.Status.HELD
    count = 0
    for day in days:
        entry = _days[(pid, day)][1]
        d_lo = _midnight(day)
        d_hi = d_lo + _DAY
        # A day after lo's that ends by hi: all it holds occupies [lo, hi), and what began
        # before it was counted on an earlier day (where max(start, lo) lies).
        if lo < d_lo and d_hi <= hi:
            count += entry.firm_starting + sum(1 for e in entry.holds_starting if e is not None and e > now)
            continue
        for _pk, _start, b_start, b_end, status, expires in entry.booked:
            if (
                b_start < hi
                and b_end > lo
                and d_lo <= max(b_start, lo) < d_hi
                and (status != held or (expires is not None and expires > now))
            ):
                count += 1
    return count


def _assemble(
    clinic: Clinic, versions: dict[int, int], days: list[date], lo: datetime, hi: datetime, now: datetime
) -> Found:
    out: Found = {}
    held = Appointment.Status.HELD
    for pid in versions:
        base = _bases[(clinic.pk, pid)][1]
        spans: set[Span] = set()
        booked: dict[int, Booked] = {}
        for day in days:
            entry = _days[(pid, day)][1]
            spans.update(entry.time_off)
            booked.update((b[0], b) for b in entry.booked)
        time_off = [Interval(s, e) for s, e in spans if s < hi and e > lo]
        busy = []
        since: datetime | None = None  # the latest expiry passed: before it, that hold counted
        until: datetime | None = None  # the earliest expiry to come: from it, that hold stops counting
        for _pk, _start, b_start, b_end, status, expires in booked.values():
            if not (b_start < hi and b_end > lo):
                continue
            if status == held:
                if expires is None:  # a hold without an expiry never occupies time
                    continue
                if expires <= now:
                    since = expires if since is None or expires > since else since
                    continue
                until = expires if until is None or expires < until else until
            busy.append(Interval(b_start, b_end))
        out[pid] = (base.working_hours, base.credentials, time_off, busy, (since, until))
    return out
