"""Appointments whose blocked time overlaps [lo, hi), asked so PostgreSQL can use an index.

`blocked_start < hi AND blocked_end > lo` bounds each end with its own column, and no btree
index bounds both: PostgreSQL read every appointment of the practitioner, years of past ones
included, to keep the few in the range (2,536 rows read for 19 kept, about 1 ms a query, the
dearest statement of a slot list and of a hold; bench/README, "Issue 22, seventh pass").
The exclusion constraint that forbids double booking (appt_no_practitioner_overlap,
booking/migrations/0002) already indexes live appointments by (practitioner_id,
tstzrange(blocked_start, blocked_end, '[)')) with GiST. Asking the same overlap with `&&` on
that very expression, for the statuses of its WHERE, lets the planner walk just the
overlapping entries: 0.06 ms for the same 19 rows.

The column test stays as well. For lo < hi, which every caller passes, the two tests mean the
same thing (blocked time is never empty: the check constraints make end > start). Other
databases (SQLite, the zero-install default) have no such index and get the column test alone."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.postgres.fields import DateTimeRangeField
from django.contrib.postgres.lookups import Overlap
from django.db import connection
from django.db.models import BigIntegerField, Func, Q, Value
from django.db.models.functions import Cast

from booking.models import Appointment
from core.precompiled import any_of


class _Span(Func):
    """tstzrange(a, b, '[)'), spelled as the constraint's index expression is, so the planner
    matches the two (a bound given as a parameter would not match)."""

    function = "TSTZRANGE"
    template = "%(function)s(%(expressions)s, '[)')"

    def __init__(self, *expressions: Any) -> None:
        super().__init__(*expressions, output_field=DateTimeRangeField())


def blocking(practitioners: int | list[int], lo: datetime, hi: datetime) -> Q:
    """Appointments of these practitioners, live (the statuses of the exclusion constraint's
    WHERE; a hold's expiry is the caller's to check), whose blocked time overlaps [lo, hi);
    needs lo < hi."""
    ids = practitioners if isinstance(practitioners, list) else [practitioners]
    columns = Q(status__in=Appointment.LIVE, blocked_start__lt=hi, blocked_end__gt=lo)
    if connection.vendor != "postgresql":
        return Q(practitioner_id__in=ids) & columns
    # psycopg sends a small int as int2, and btree_gist's index compares a bigint column with a
    # bigint alone: a lone id is cast, and several are one bigint[] (any_of), which a
    # Precompiled query takes whole.
    who = Q(practitioner_id=Cast(Value(ids[0]), BigIntegerField())) if len(ids) == 1 else any_of("practitioner_id", ids)
    return who & columns & Q(Overlap(_Span("blocked_start", "blocked_end"), _Span(Value(lo), Value(hi))))
