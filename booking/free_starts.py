"""Slot lists from memory: each practitioner's free starts per local day (booking.slot_cache),
made from booking.schedule_cache's rows where a day no longer stands.

booking.selectors.available_slots comes here for every list outside a transaction that moves
nothing; the answer equals the one load_schedules and free_slots give from the tables
(docs/ARCHITECTURE.md, "free starts"; tests/booking/test_schedule_cache.py)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from booking import schedule_cache, slot_cache
from booking.availability import ServiceSpec, WorkingWindow, bookable_span, open_starts
from booking.models import AppointmentType, Credential

# Appointments and time off are loaded this far beyond the range, so that a
# slot near its edge still sees a neighbour's buffers.
PAD = timedelta(days=1)


def treatment_shape(appointment_type: AppointmentType) -> tuple[Any, ...]:
    """Everything about a treatment and its clinic that shapes a day's free starts, so that an
    edit to any of it is a new booking.slot_cache key (the catalogue is read per request)."""
    clinic = appointment_type.clinic
    return (
        appointment_type.pk,
        appointment_type.service,
        clinic.policy.step,
        clinic.time_zone,
        clinic.jurisdiction,
        appointment_type.involves_needling,
    )


def covered(credentials: Iterable[Credential], day: date, jurisdiction: str) -> bool:
    """May one with these credentials needle on local `day` under `jurisdiction`?"""
    return any(c.covers(day, jurisdiction) for c in credentials)


# More than any DST shift: a wall time read in the wrong fold is off by at most this.
_FOLD = timedelta(hours=3)


def _depends_on(
    day: date,
    working_hours: Sequence[WorkingWindow],
    service: ServiceSpec,
    zone: ZoneInfo,
    bounds: tuple[datetime, datetime],
) -> tuple[date, ...]:
    """The UTC days whose rows can take a start of local `day` away: those its working windows
    touch, widened by the treatment's buffers (a slot and its buffers lie within a window
    and its buffers), within the padding load_schedules reads. No day on a day off."""
    windows = [w for w in working_hours if w.weekday == day.weekday()]
    if not windows:
        return ()
    first = min(datetime.combine(day, w.start, tzinfo=zone).astimezone(UTC) for w in windows)
    last = max(datetime.combine(day, w.end, tzinfo=zone).astimezone(UTC) for w in windows)
    lo = max(first - service.buffer_before - _FOLD, bounds[0] - PAD)
    hi = min(last + service.buffer_after + _FOLD, bounds[1] + PAD)
    return tuple(schedule_cache.utc_days(lo, hi))


def _local_midnight(day: date, zone: ZoneInfo) -> datetime:
    # A midnight a DST change skips still names an instant within an hour of the day's start,
    # well inside PAD.
    return datetime.combine(day, time(), tzinfo=zone)


@dataclass(frozen=True)
class Window:
    """What a slot list of [start, end) at `now` covers: the bookable part [earliest, stop),
    the clinic's local days it touches with their bounds, and the padded range [lo, hi)
    whose rows and day versions it depends on."""

    earliest: datetime
    stop: datetime
    days: list[date]
    bounds: dict[date, tuple[datetime, datetime]]
    lo: datetime
    hi: datetime

    @property
    def utc_days(self) -> list[date]:
        return schedule_cache.utc_days(self.lo, self.hi)


def window(*, appointment_type: AppointmentType, start: datetime, end: datetime, now: datetime) -> Window | None:
    """The Window of a slot list, or None when nothing in [start, end) can be booked at `now`."""
    clinic = appointment_type.clinic
    zone = clinic.zone
    earliest, stop = bookable_span(policy=clinic.policy, now=now, start=start, end=end)
    if earliest >= stop:
        return None
    # stop is exclusive: a range ending at midnight asks nothing of the day it begins.
    first, last = earliest.astimezone(zone).date(), (stop - timedelta(microseconds=1)).astimezone(zone).date()
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    bounds = {day: (_local_midnight(day, zone), _local_midnight(day + timedelta(days=1), zone)) for day in days}
    lo, hi = min(bounds[days[0]][0], start) - PAD, max(bounds[days[-1]][1], end) + PAD
    return Window(earliest, stop, days, bounds, lo, hi)


def offer(
    *,
    appointment_type: AppointmentType,
    versions: dict[int, int],
    day_versions: schedule_cache.DayVersions,
    span: Window,
    start: datetime,
    end: datetime,
    now: datetime,
) -> dict[int, tuple[int, list[datetime]]]:
    """Per practitioner: the bookings counted for "any" and the free starts of `span` at
    `now`, from booking.slot_cache where the practitioner's day still stands. `versions` and
    `day_versions` (those of span.utc_days) were read together, before any row."""
    clinic = appointment_type.clinic
    policy, zone = clinic.policy, clinic.zone
    earliest, stop, days, bounds, lo, hi = span.earliest, span.stop, span.days, span.bounds, span.lo, span.hi
    shape = treatment_shape(appointment_type)
    found = {
        (pid, day): slot_cache.get((pid, shape, day), version, day_versions, now)
        for pid, version in versions.items()
        for day in days
    }
    missing = {pid: versions[pid] for (pid, _day), starts in found.items() if starts is None}
    if missing:  # made from the rows, one range for every missing practitioner
        service = appointment_type.service
        found_rows = schedule_cache.schedules(
            clinic=clinic, versions=missing, day_versions=day_versions, lo=lo, hi=hi, now=now
        )
        for pid, (hours, credentials, time_off, busy, steady) in found_rows.items():
            made = open_starts(
                working_hours=hours,
                time_off=time_off,
                busy=busy,
                service=service,
                policy=policy,
                zone=zone,
                days=[day for day in days if found[(pid, day)] is None],
            )
            for day, starts in made.items():
                if appointment_type.involves_needling and not covered(credentials, day, clinic.jurisdiction):
                    starts = ()
                needs = _depends_on(day, hours, service, zone, bounds[day])
                stamp = (versions[pid], needs, tuple(day_versions.get((pid, u), 0) for u in needs))
                slot_cache.put((pid, shape, day), stamp, steady, starts)
                found[(pid, day)] = starts
    # "Any" gives a start to the practitioner with the fewest bookings in the request's own
    # padded range, as load_schedules counts them; one named practitioner needs no count.
    counts = (
        schedule_cache.busy_counts(
            clinic=clinic, versions=versions, day_versions=day_versions, lo=start - PAD, hi=end + PAD, now=now
        )
        if len(versions) > 1
        else dict.fromkeys(versions, 0)
    )
    return {
        pid: (counts[pid], [s for day in days for s in found[(pid, day)] or () if earliest <= s < stop])
        for pid in versions
    }
