"""Free start times per practitioner, treatment and local day, from memory while the day stands.

booking.schedule_cache spares a slot list the database; this spares it the slot engine. The
engine walks every grid instant of every practitioner's working day for every list, although
a day's free starts change only when something on the practitioner's calendar near that day
changes. So this module keeps, per (practitioner, treatment, local day), the starts
booking.availability.open_starts gives, stored with:
- the stamp of the rows they were made from: the practitioner's schedule version, and the
  versions of the UTC days the day's working hours (with the treatment's buffers) touch, read
  before the rows (booking.schedule_cache's versions, so the same triggers invalidate both).
  Nothing outside those hours can take a start of the day away, so a hold on another day
  leaves the day as it is; the working hours themselves move the practitioner's version;
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

from collections.abc import Hashable, Mapping
from datetime import date, datetime

_MAX_ENTRIES = 50_000  # 20 practitioners x 8 treatments x the 60-day horizon take 9,600

# practitioner, the treatment's shape (booking.free_starts.treatment_shape), local day
Key = tuple[int, Hashable, date]
# The practitioner's version, the UTC days the day's starts depend on, and their versions
Stamp = tuple[int, tuple[date, ...], tuple[int, ...]]
# [since, until): the holds counted stay counted; None is unbounded
Steady = tuple[datetime | None, datetime | None]

_entries: dict[Key, tuple[Stamp, Steady, tuple[datetime, ...]]] = {}


def clear() -> None:
    _entries.clear()


def get(
    key: Key, version: int, day_versions: Mapping[tuple[int, date], int], now: datetime
) -> tuple[datetime, ...] | None:
    """The stored starts, if the practitioner's version is still `version`, the days they
    depend on still have the versions they were made at (`day_versions` must name those days:
    absent is 0), and the holds among them count at `now` as they did then; else None."""
    entry = _entries.get(key)
    if entry is None:
        return None
    (made_at, days, versions), (since, until), starts = entry
    if made_at != version or (since is not None and now < since) or (until is not None and now >= until):
        return None
    pid = key[0]
    for day, day_version in zip(days, versions, strict=True):
        if day_versions.get((pid, day), 0) != day_version:
            return None
    return starts


def put(key: Key, stamp: Stamp, steady: Steady, starts: tuple[datetime, ...]) -> None:
    if len(_entries) >= _MAX_ENTRIES:
        _entries.clear()
    _entries[key] = (stamp, steady, starts)
