"""Pure checks for schedule changes: overlapping windows, and visits a change would strand.

No database. Working windows are local wall-clock rules in the clinic's zone, as in
booking/availability.py; visits are aware datetimes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from core import formats

# Machine names: the audit rows' record of hours (Window.__str__) stays in English.
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
A_MONDAY = date(2024, 1, 1)


def weekday_names() -> list[str]:
    """Monday to Sunday in the active language ("lunes", "lundi")."""
    return [formats.weekday_name(A_MONDAY + timedelta(days=i)) for i in range(7)]


def describe(window: Window) -> str:
    """A window as a person reads it, in the active language: "lunes 09:00-12:30"."""
    names = weekday_names()
    day = names[window.weekday] if 0 <= window.weekday < len(names) else str(window.weekday)
    return f"{day} {formats.clock(window.start)}-{formats.clock(window.end)}"


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
    problems = [
        _("%(window)s: the end must be after the start.") % {"window": describe(w)} for w in windows if w.end <= w.start
    ]
    if any(not 0 <= w.weekday <= 6 for w in windows):
        problems.append(_("Choose a day of the week."))
    valid = sorted(w for w in windows if w.end > w.start)
    for i, first in enumerate(valid):
        for second in valid[i + 1 :]:
            if _overlap(first, second):
                problems.append(
                    _("%(first)s overlaps %(second)s.") % {"first": describe(first), "second": describe(second)}
                )
    for own in valid:
        for other in others:
            if _overlap(own, other):
                problems.append(
                    _("%(own)s overlaps your hours at another clinic (%(other)s).")
                    % {"own": describe(own), "other": describe(other)}
                )
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
