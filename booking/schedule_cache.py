"""The slot engine's inputs from memory while nothing in them changed.

`load_schedules` reads four tables for every slot list. Most lists ask about the same
practitioners and days as the one before, and nothing changed meanwhile. So this module
keeps, per practitioner and UTC day, the rows that day is made of (time off, busy time from
calendars, appointments that occupy time), and per practitioner and clinic their working
hours and credentials, each with the practitioner's schedule version
(booking.models.schedule_versions) at the time it was read.

Correctness rests on three things:
- the version is read *before* the rows (the caller reads it with the practitioners), so a
  change that commits after the read moves the version past the one stored with the rows;
- database triggers bump the version in the transaction of every change to those tables,
  whatever writes it, so a stored day is used only while its version is still the current
  one: a freed slot shows as soon as the change is committed;
- what depends on the time is decided at read time, not cached: a hold occupies time only
  until it expires, and the engine applies notice and horizon with the caller's `now`.

Never used inside a transaction (its own uncommitted writes could be stored under a version
that a rollback never makes true) nor for a move (the moved appointment is left out). A
double booking is refused by the services' locked re-check and the exclusion constraints in
any case: a slot list is advice. The memory is the worker process's own: no pickling, no
round trip; it is bounded by emptying it when it grows past _MAX_ENTRIES.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db import connection

from booking import blockers
from booking.availability import Interval, WorkingWindow
from booking.models import Appointment, Clinic, Credential, TimeOff, WorkingHours

_DAY = timedelta(days=1)
_MAX_ENTRIES = 20_000  # practitioner-days: 20 practitioners over the 60-day horizon take 1,300
_OCCUPYING = (Appointment.Status.HELD, Appointment.Status.PENDING_REVIEW, Appointment.Status.CONFIRMED)

Span = tuple[datetime, datetime]
# pk, start, blocked_start, blocked_end, status, hold_expires_at
Booked = tuple[int, datetime, datetime, datetime, str, datetime | None]


@dataclass(frozen=True)
class _Day:
    time_off: tuple[Span, ...]
    booked: tuple[Booked, ...]


@dataclass(frozen=True)
class _Base:
    working_hours: tuple[WorkingWindow, ...]
    credentials: tuple[Credential, ...]


_days: dict[tuple[int, date], tuple[int, _Day]] = {}
_bases: dict[tuple[int, int], tuple[int, _Base]] = {}


def usable(exclude_appointment_id: int | None) -> bool:
    return exclude_appointment_id is None and not connection.in_atomic_block


def clear() -> None:
    _days.clear()
    _bases.clear()


def _utc_days(lo: datetime, hi: datetime) -> list[date]:
    first, last = lo.astimezone(UTC).date(), (hi - timedelta(microseconds=1)).astimezone(UTC).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def _fresh(pid: int, version: int, clinic_id: int, days: Iterable[date]) -> bool:
    base = _bases.get((clinic_id, pid))
    if base is None or base[0] != version:
        return False
    return all((entry := _days.get((pid, day))) is not None and entry[0] == version for day in days)


def _load(clinic: Clinic, versions: dict[int, int], days: list[date]) -> bool:
    """Read the rows of `days` for these practitioners (four queries) and store them per day.
    True if the memory was emptied first (then the others' days are gone too)."""
    ids = list(versions)
    lo, hi = _midnight(days[0]), _midnight(days[-1]) + _DAY
    hours: dict[int, list[WorkingWindow]] = {pid: [] for pid in ids}
    for pid, weekday, w_start, w_end in WorkingHours.objects.filter(practitioner_id__in=ids, clinic=clinic).values_list(
        "practitioner_id", "weekday", "start", "end"
    ):
        hours[pid].append(WorkingWindow(weekday, w_start, w_end))
    off = (
        TimeOff.objects.filter(practitioner_id__in=ids, start__lt=hi, end__gt=lo)
        .order_by()
        .values_list("practitioner_id", "start", "end")
    )
    outside = blockers.blocked(ids, lo, hi)
    spans: dict[int, list[Span]] = {pid: [] for pid in ids}
    for pid, o_start, o_end in off.union(*outside, all=True) if outside else off:
        spans[pid].append((o_start, o_end))
    booked: dict[int, list[Booked]] = {pid: [] for pid in ids}
    for pk, pid, start, b_start, b_end, status, expires in Appointment.objects.filter(
        practitioner_id__in=ids, status__in=_OCCUPYING, blocked_start__lt=hi, blocked_end__gt=lo
    ).values_list("pk", "practitioner_id", "start", "blocked_start", "blocked_end", "status", "hold_expires_at"):
        booked[pid].append((pk, start, b_start, b_end, status, expires))
    credentials: dict[int, list[Credential]] = {pid: [] for pid in ids}
    for credential in Credential.objects.filter(
        practitioner_id__in=ids, kind=Credential.Kind.DRY_NEEDLING, verified_at__isnull=False
    ):
        credentials[credential.practitioner_id].append(credential)
    emptied = len(_days) + len(ids) * len(days) > _MAX_ENTRIES
    if emptied:
        clear()
    for pid in ids:
        version = versions[pid]
        _bases[(clinic.pk, pid)] = (version, _Base(tuple(hours[pid]), tuple(credentials[pid])))
        for day in days:
            d_lo, d_hi = _midnight(day), _midnight(day) + _DAY
            _days[(pid, day)] = (
                version,
                _Day(
                    tuple(s for s in spans[pid] if s[0] < d_hi and s[1] > d_lo),
                    tuple(b for b in booked[pid] if b[2] < d_hi and b[3] > d_lo),
                ),
            )
    return emptied


def schedules(
    *, clinic: Clinic, versions: dict[int, int], lo: datetime, hi: datetime, now: datetime
) -> dict[int, tuple[tuple[WorkingWindow, ...], tuple[Credential, ...], list[Interval], list[Interval]]]:
    """Per practitioner: working hours, credentials, time off and occupied time overlapping
    [lo, hi), exactly as load_schedules would read them now."""
    days = _utc_days(lo, hi)
    stale = {pid: v for pid, v in versions.items() if not _fresh(pid, v, clinic.pk, days)}
    if stale and _load(clinic, stale, days) and len(stale) < len(versions):
        _load(clinic, versions, days)
    try:
        return _assemble(clinic, versions, days, lo, hi, now)
    except KeyError:  # another thread emptied the memory meanwhile: read this request's days again
        _load(clinic, versions, days)
        return _assemble(clinic, versions, days, lo, hi, now)


def _assemble(
    clinic: Clinic, versions: dict[int, int], days: list[date], lo: datetime, hi: datetime, now: datetime
) -> dict[int, tuple[tuple[WorkingWindow, ...], tuple[Credential, ...], list[Interval], list[Interval]]]:
    out = {}
    for pid in versions:
        base = _bases[(clinic.pk, pid)][1]
        spans: set[Span] = set()
        booked: dict[int, Booked] = {}
        for day in days:
            entry = _days[(pid, day)][1]
            spans.update(entry.time_off)
            booked.update((b[0], b) for b in entry.booked)
        time_off = [Interval(s, e) for s, e in spans if s < hi and e > lo]
        busy = [
            Interval(b_start, b_end)
            for _pk, _start, b_start, b_end, status, expires in booked.values()
            if b_start < hi
            and b_end > lo
            and (status != Appointment.Status.HELD or (expires is not None and expires > now))
        ]
        out[pid] = (base.working_hours, base.credentials, time_off, busy)
    return out
