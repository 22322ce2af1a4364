"""Time blocked from outside booking: busy time read from a practitioner's own calendar.

An app above booking (calendars) registers a loader at start-up; the slot engine's inputs
(booking.selectors.load_schedules) add what every loader returns to the practitioner's time
off, so a busy hour there is an hour patients cannot book, on the web, the API and the staff
pages alike. Loaders read the database only: booking never waits on an outside calendar."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import datetime

# (practitioner ids, start, end) -> (practitioner id, busy start, busy end) overlapping [start, end)
Loader = Callable[[list[int], datetime, datetime], Iterable[tuple[int, datetime, datetime]]]

_loaders: list[Loader] = []


def register(loader: Loader) -> None:
    if loader not in _loaders:
        _loaders.append(loader)


def blocked(practitioner_ids: list[int], start: datetime, end: datetime) -> Iterator[tuple[int, datetime, datetime]]:
    for loader in _loaders:
        yield from loader(practitioner_ids, start, end)
