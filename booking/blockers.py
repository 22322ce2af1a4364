"""Time blocked from outside booking: busy time read from a practitioner's own calendar.

An app above booking (calendars) registers a loader at start-up; the slot engine's inputs
(booking.selectors.load_schedules) add the rows every loader selects to the practitioner's time
off, so a busy hour there is an hour patients cannot book, on the web, the API and the staff
pages alike. A loader returns a query, not rows: booking unions it with the time-off query, so
the busy time costs no extra round trip. Loaders read the database only: booking never waits on
an outside calendar."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from booking.models import TimeOff
from core.precompiled import any_of

# (practitioner ids, start, end) -> a values_list query of (practitioner id, busy start, busy end)
# for the spans overlapping [start, end)
Loader = Callable[[list[int], datetime, datetime], "QuerySet[Any, tuple[int, datetime, datetime]]"]

_loaders: list[Loader] = []


def register(loader: Loader) -> None:
    if loader not in _loaders:
        _loaders.append(loader)


def blocked(practitioner_ids: list[int], start: datetime, end: datetime) -> list[QuerySet[Any, Any]]:
    return [loader(practitioner_ids, start, end) for loader in _loaders]


def time_off_and_blocked(
    practitioner_ids: list[int], start: datetime, end: datetime
) -> QuerySet[Any, tuple[int, datetime, datetime]]:
    """(practitioner id, start, end) of the time off and the busy time from outside that
    overlap [start, end), in one query: what the slot engine treats as time away."""
    off = (
        TimeOff.objects.filter(any_of("practitioner_id", practitioner_ids), start__lt=end, end__gt=start)
        .order_by()  # SQLite refuses ORDER BY inside a UNION's parts
        .values_list("practitioner_id", "start", "end")
    )
    outside = blocked(practitioner_ids, start, end)
    return off.union(*outside, all=True) if outside else off
