"""Free start times per practitioner, treatment and local day, from memory while the day stands.

booking.schedule_cache spares a slot list the database; this spares it the slot engine. The
engine walks every grid instant of every practitioner's working day for every list, although
a day's free starts change only when something on the practitioner's calendar near that day
changes. So this module keeps, per (practitioner, treatment, local day), the starts
booking.availability.open_starts gives, stored with:
- the stamp of the rows they were made from: the practitioner's schedule version and the
  versions of every UTC day within booking.selectors' padding of the local day, read with the
  rows (booking.schedule_cache's stamps, so the same triggers invalidate both);
- the span of time in which the holds among those rows stay as they were counted: from the
  latest expiry already passed to the earliest still to come. A hold frees its time when it
  expires, with no write, so outside that span the starts are made again.

What depends on the request's `now` beyond that (notice and horizon) and its range is a
filter applied at read time: booking.availability.open_starts documents the equality. Like
schedule_cache, this memory is the process's own and used only where schedule_cache is (never
inside a transaction, never for a move), and it is emptied when it grows past _MAX_ENTRIES.
A slot list is advice: the services' locked re-check and the exclusion constraints refuse a
double booking whatever it says.
"""

from __future__ import annotations

from collections.abc import Hashable
from datetime import date, datetime

_MAX_ENTRIES = 50_000  # 20 practitioners x 8 treatments x the 60-day horizon take 9,600

# practitioner, the treatment's shape (booking.selectors.treatment_shape), local day
Key = tuple[int, Hashable, date]
# practitioner's version, then the versions of the UTC days the local day depends on
Stamp = tuple[int, ...]
# [since, until): the holds counted stay counted; None is unbounded
Steady = tuple[datetime | None, datetime | None]

_entries: dict[Key, tuple[Stamp, Steady, tuple[datetime, ...]]] = {}


def clear() -> None:
    _entries.clear()


def get(key: Key, stamp: Stamp, now: datetime) -> tuple[datetime, ...] | None:
    """The stored starts, if they were made from the rows `stamp` names and the holds among
    them count at `now` as they did then; else None."""
    entry = _entries.get(key)
    if entry is None or entry[0] != stamp:
        return None
    since, until = entry[1]
    if (since is not None and now < since) or (until is not None and now >= until):
        return None
    return entry[2]


def put(key: Key, stamp: Stamp, steady: Steady, starts: tuple[datetime, ...]) -> None:
    if len(_entries) >= _MAX_ENTRIES:
        _entries.clear()
    _entries[key] = (stamp, steady, starts)
