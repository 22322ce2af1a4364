"""Where each remaining session of a course goes: pure, no Django, no database.

The patient picks a weekday and a time of day. For each session the planner takes the ideal day
(the chosen weekday nearest to the previous visit + the plan's spacing) and proposes, in order:

1. the chosen time on the ideal day, when it is free;
2. else the free time nearest to it on the same day (moved: OTHER_TIME, reason TAKEN);
3. else the nearest day within the spacing window, at the chosen time or the nearest free time
   (moved: OTHER_DAY, reason DAY_FULL); days the same distance away: the later one first, so
   that visits do not bunch up.

Spacing tolerance: consecutive visits are between `spacing_days - 2` and `spacing_days + 2` days
apart, and never closer than 1 day (one visit a day at most). When the window holds no day of
the chosen weekday (a spacing of 3 days, say), the ideal day is simply previous + spacing and the
visit is marked moved to another day with reason SPACING, so the patient sees why.

A session for which no free time exists in its window is left unplaced (start None, reason
NO_TIME); the next sessions are planned from its ideal day as if it were there. A proposal with
an unplaced session cannot be booked.

Times: wall clock in the clinic's zone, kept across a DST change (10:00 stays 10:00 in March
and in October); every start is returned in UTC. A wall time that does not exist on a
spring-forward day is never among the free starts, so step 2 finds the nearest real one.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

TOLERANCE_DAYS = 2
MIN_GAP_DAYS = 1


class Moved(enum.StrEnum):
    # The same values as care.models.CourseVisit.Moved, which stores them.
    NOT_MOVED = ""
    OTHER_TIME = "other_time"
    OTHER_DAY = "other_day"


class Reason(enum.StrEnum):
    NONE = ""
    TAKEN = "taken"  # the chosen time was not free; another time the same day
    DAY_FULL = "day_full"  # no free time on the ideal day; another day in the window
    SPACING = "spacing"  # the spacing window holds no day of the chosen weekday
    NO_TIME = "no_time"  # nothing free in the whole window: unplaced


@dataclass(frozen=True)
class PlannedVisit:
    number: int  # the session's number in the plan (1-based)
    start: datetime | None  # UTC; None when unplaced
    wanted: datetime  # the chosen weekday and time it aimed for, in the clinic's zone
    moved: Moved
    reason: Reason


@dataclass(frozen=True)
class Request:
    first_number: int  # number of the first session to place
    count: int
    spacing_days: int
    weekday: int  # 0 = Monday, as date.weekday()
    time_of_day: time
    zone: ZoneInfo
    earliest: date  # the first local day a visit may fall on (today + notice)
    after: date | None = None  # local day of the patient's last booked visit of the course


FreeStarts = Callable[[date], Sequence[datetime]]


def window(spacing_days: int) -> tuple[int, int]:
    """The allowed gap in days between two consecutive visits."""
    return max(MIN_GAP_DAYS, spacing_days - TOLERANCE_DAYS), spacing_days + TOLERANCE_DAYS


def plan_series(request: Request, free: FreeStarts) -> list[PlannedVisit]:
    """One PlannedVisit per session; `free(day)` gives the free starts (aware) on a local day."""
    low, high = window(request.spacing_days)
    visits: list[PlannedVisit] = []
    previous = request.after
    for i in range(request.count):
        if previous is None or previous + timedelta(days=high) < request.earliest:
            ideal = _next_weekday(request.earliest, request.weekday)
            first, last = request.earliest, ideal + timedelta(days=TOLERANCE_DAYS)
            spacing_ok = True
        else:
            first = max(request.earliest, previous + timedelta(days=low))
            last = previous + timedelta(days=high)
            target = previous + timedelta(days=request.spacing_days)
            ideal, spacing_ok = _ideal_day(target, request.weekday, first, last)
        visit = _place(request, request.first_number + i, ideal, first, last, spacing_ok, free)
        visits.append(visit)
        previous = visit.start.astimezone(request.zone).date() if visit.start else ideal
    return visits


def _next_weekday(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _ideal_day(target: date, weekday: int, first: date, last: date) -> tuple[date, bool]:
    """The day of `weekday` nearest to `target` within [first, last]; else target itself."""
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    matching = [d for d in days if d.weekday() == weekday]
    if not matching:
        return max(target, first), False
    return min(matching, key=lambda d: (abs((d - target).days), -d.toordinal())), True


def _wall(day: date, at: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, at, zone)


def _minutes(value: datetime, zone: ZoneInfo) -> int:
    local = value.astimezone(zone)
    return local.hour * 60 + local.minute


def _best_on(day: date, request: Request, free: FreeStarts) -> tuple[datetime, bool] | None:
    """The chosen time on `day` if free (True), else the free start nearest on the wall clock."""
    starts = sorted({s.astimezone(UTC) for s in free(day)})
    if not starts:
        return None
    wanted = _wall(day, request.time_of_day, request.zone).astimezone(UTC)
    if wanted in starts and wanted.astimezone(request.zone).time() == request.time_of_day:
        return wanted, True
    goal = request.time_of_day.hour * 60 + request.time_of_day.minute
    return min(starts, key=lambda s: (abs(_minutes(s, request.zone) - goal), s)), False


def _place(
    request: Request, number: int, ideal: date, first: date, last: date, spacing_ok: bool, free: FreeStarts
) -> PlannedVisit:
    wanted = _wall(ideal, request.time_of_day, request.zone)
    order = sorted(
        (first + timedelta(days=n) for n in range((last - first).days + 1)),
        key=lambda d: (abs((d - ideal).days), -d.toordinal()),
    )
    for day in order:
        found = _best_on(day, request, free)
        if found is None:
            continue
        start, exact = found
        if day != ideal:
            return PlannedVisit(number, start, wanted, Moved.OTHER_DAY, Reason.DAY_FULL)
        if not spacing_ok:
            return PlannedVisit(number, start, wanted, Moved.OTHER_DAY, Reason.SPACING)
        if exact:
            return PlannedVisit(number, start, wanted, Moved.NOT_MOVED, Reason.NONE)
        return PlannedVisit(number, start, wanted, Moved.OTHER_TIME, Reason.TAKEN)
    return PlannedVisit(number, None, wanted, Moved.NOT_MOVED, Reason.NO_TIME)
