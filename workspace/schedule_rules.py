"""Pure checks for schedule changes: overlapping windows, and visits a change would strand.

No database. Working windows are local wall-clock rules in the clinic's zone, as in
booking/availability.py; visits are aware datetimes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True, order=True)
class Window:
    weekday: int
    start: time
    end: time

    def __str__(self) -> str:
        return f"{WEEKDAYS[self.weekday]} {self.start:%H:%M}-{self.end:%H:%M}"


def window_problems(windows: Sequence[Window], *, others: Iterable[Window] = ()) -> list[str]:
    """Plain-words problems: a window that ends before it starts, or two that overlap.

    `others` are the practitioner's hours at their other clinics: one person cannot
    work in two places at once. Touching windows (09:00-12:00, 12:00-17:00) are fine."""
    problems = [f"{w}: the end must be after the start." for w in windows if w.end <= w.start]
    if any(not 0 <= w.weekday <= 6 for w in windows):
        problems.append("Choose a day of the week.")
    valid = sorted(w for w in windows if w.end > w.start)
    for i, first in enumerate(valid):
        for second in valid[i + 1 :]:
            if _overlap(first, second):
                problems.append(f"{first} overlaps {second}.")
    for own in valid:
        for other in others:
            if _overlap(own, other):
                problems.append(f"{own} overlaps your hours at another clinic ({other}).")
    return problems


def _overlap(a: Window, b: Window) -> bool:
    return a.weekday == b.weekday and a.start < b.end and b.start < a.end


def fits(start: datetime, end: datetime, windows: Iterable[Window], zone: ZoneInfo) -> bool:
    """Does the visit [start, end) lie inside one working window on its local date?"""
    local_start = start.astimezone(zone)
    day = local_start.date()
    for window in windows:
        if window.weekday != day.weekday():
            continue
        if _local(day, window.start, zone) <= start and end <= _local(day, window.end, zone):
            return True
    return False


def _local(day: date, moment: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, moment, zone)


def overlaps(start: datetime, end: datetime, other_start: datetime, other_end: datetime) -> bool:
    return start < other_end and other_start < end
