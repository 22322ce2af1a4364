"""Reads for calendar sync."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from calendars.models import BusyRange
from core.precompiled import any_of


def busy_for(practitioner_ids: list[int], start: datetime, end: datetime) -> QuerySet[Any, Any]:
    """Busy spans overlapping [start, end) from the practitioners' connected calendars that are
    not paused, as a query booking unions with time off (booking.blockers). A stale calendar
    still counts, with the busy times of its last good sync."""
    return (
        BusyRange.objects.filter(
            any_of("practitioner_id", practitioner_ids), start__lt=end, end__gt=start, connection__paused=False
        )
        .order_by()
        .values_list("practitioner_id", "start", "end")
    )
