"""Adherence to a home exercise programme, per week: a pure module.

Adherence is the share of prescribed exercise-days that were done (issue 18). Each prescribed
exercise counts once for every day from its start to the day it stopped (or today, whichever
is earlier); a day it was ticked counts as done. Weeks run Monday to Sunday, in the clinic's
calendar (the caller passes local dates). Ticks outside a prescription's days are ignored, so
a tick cannot push a week above 100%."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Prescribed:
    id: int
    start_on: date
    stopped_on: date | None = None

    def days(self, today: date) -> Iterable[date]:
        last = min(self.stopped_on, today) if self.stopped_on is not None else today
        day = self.start_on
        while day <= last:
            yield day
            day += timedelta(days=1)


@dataclass(frozen=True)
class Week:
    starts_on: date  # a Monday
    prescribed: int  # exercise-days prescribed in the week, up to today
    done: int  # of those, the ones ticked

    @property
    def share(self) -> float | None:
        """Done over prescribed, 0..1; None for a week with nothing prescribed."""
        return self.done / self.prescribed if self.prescribed else None


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def weekly(prescriptions: Sequence[Prescribed], done: Iterable[tuple[int, date]], today: date) -> list[Week]:
    """One Week per calendar week with anything prescribed, oldest first."""
    ticked = set(done)
    prescribed: dict[date, int] = {}
    counted: dict[date, int] = {}
    for item in prescriptions:
        for day in item.days(today):
            week = monday(day)
            prescribed[week] = prescribed.get(week, 0) + 1
            if (item.id, day) in ticked:
                counted[week] = counted.get(week, 0) + 1
    return [Week(starts_on=week, prescribed=prescribed[week], done=counted.get(week, 0)) for week in sorted(prescribed)]


def overall(weeks: Sequence[Week]) -> float | None:
    """The whole programme's share so far; None when nothing was prescribed yet."""
    total = sum(week.prescribed for week in weeks)
    return sum(week.done for week in weeks) / total if total else None
