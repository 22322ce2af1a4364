"""Reads for calendar sync."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from calendars.models import BusyRange


def busy_for(practitioner_ids: list[int], start: datetime, end: datetime) -> Iterable[tuple[int, datetime, datetime]]:
    """Busy spans overlapping [start, end) from the practitioners' connected calendars that are
    not paused: one query (booking.blockers loader). A stale calendar still counts, with the
    busy times of its last good sync."""
    if not practitioner_ids:
        return []
    return BusyRange.objects.filter(
        practitioner_id__in=practitioner_ids, start__lt=end, end__gt=start, connection__paused=False
    ).values_list("practitioner_id", "start", "end")
