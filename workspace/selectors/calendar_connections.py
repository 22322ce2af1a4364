"""Calendar connections as the workspace shows them: a practitioner's own (anyone else's is a
404), and a clinic admin's clinics' practitioners with each connection's state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from booking.models import Practitioner
from calendars import state
from calendars.models import Connection
from calendars.state import State
from workspace.selectors import visibility


@dataclass(frozen=True)
class Row:
    connection: Connection
    state: State
    stale_after: timedelta
    zone: ZoneInfo  # sync times are shown in the practitioner's clinic's zone (calendars.state.zone_for)

    @property
    def failure_label(self) -> str:
        failure = self.connection.last_failure
        return str(Connection.Failure(failure).label) if failure in Connection.Failure.values else ""


@dataclass(frozen=True)
class Person:
    practitioner: Practitioner
    rows: list[Row]

    @property
    def stale(self) -> bool:
        return any(r.state == state.State.STALE for r in self.rows)


def own_connections(user: User) -> QuerySet[Connection]:
    return Connection.objects.filter(practitioner__user=user).order_by("created_at", "pk")


def own_connection(user: User, pk: int) -> Connection:
    return get_object_or_404(own_connections(user).select_related("practitioner"), pk=pk)


def rows_of(connections: list[Connection], *, now: datetime) -> list[Row]:
    thresholds: dict[int, tuple[timedelta, ZoneInfo]] = {}  # one look-up per practitioner, not per connection
    rows = []
    for c in connections:
        if c.practitioner_id not in thresholds:
            thresholds[c.practitioner_id] = (state.stale_after_for(c), state.zone_for(c))
        stale_after, zone = thresholds[c.practitioner_id]
        rows.append(Row(c, state.connection_state(c, stale_after=stale_after, now=now), stale_after, zone))
    return rows


def row_of(connection: Connection, *, now: datetime) -> Row:
    return rows_of([connection], now=now)[0]


def clinic_people(user: User, *, now: datetime) -> list[Person]:
    """Every practitioner at the clinics the admin runs with their connections' states: those
    with a stale calendar first, then by name."""
    if user.role != User.Role.CLINIC_ADMIN:
        return []
    people = list(visibility.administered_practitioners(user))
    connections = list(Connection.objects.filter(practitioner__in=people).order_by("created_at", "pk"))
    by_person: dict[int, list[Row]] = {p.pk: [] for p in people}
    for row in rows_of(connections, now=now):
        by_person[row.connection.practitioner_id].append(row)
    for rows in by_person.values():
        rows.sort(key=lambda r: r.state != state.State.STALE)
    found = [Person(p, by_person[p.pk]) for p in people]
    return sorted(found, key=lambda person: not person.stale)  # stable: names stay in order
