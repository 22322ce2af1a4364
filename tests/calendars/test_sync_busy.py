"""Busy time read from a real Radicale and a real ICS address removes exactly the slots it covers:
a single event, a weekly event with one occurrence moved and one cancelled, an event across the
clock change, an all-day event; a transparent event removes nothing."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from calendars.models import BusyRange, Connection
from calendars.services.sync import sync_connection
from tests.calendars.servers import IcsServer, Radicale
from tests.calendars.sync_world import (
    BLOCKED,
    EVENTS,
    NOW,
    at,
    calendar,
    connect,
    every_slot,
    make_world,
    offered,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _now(time_machine: time_machine.TimeMachineFixture) -> None:
    time_machine.move_to(NOW, tick=False)


def test_busy_events_in_radicale_remove_exactly_their_slots(radicale: Radicale) -> None:
    world = make_world()
    url, user, password = radicale.new_calendar()
    for name, event in EVENTS.items():
        radicale.put(url, name, calendar(event))
    connection = connect(world, kind=Connection.Kind.CALDAV, url=url, username=user, password=password)
    assert offered(world) == every_slot()  # nothing read yet

    assert sync_connection(connection.pk) is True

    assert offered(world) == every_slot() - BLOCKED
    connection.refresh_from_db()
    assert connection.last_success_at == NOW and connection.last_failure == "" and connection.failures == 0
    assert connection.busy_count == BusyRange.objects.filter(connection=connection).count() == 6
    assert connection.sync_leased_until is None


def test_the_same_events_at_an_ics_address_remove_the_same_slots(ics_server: IcsServer) -> None:
    world = make_world()
    url = ics_server.serve("/private-3f9a/basic.ics", calendar(*EVENTS.values()))
    connection = connect(world, kind=Connection.Kind.ICS, url=url)

    assert sync_connection(connection.pk) is True

    assert offered(world) == every_slot() - BLOCKED


def test_a_second_sync_replaces_the_busy_times_it_read_before(radicale: Radicale) -> None:
    world = make_world()
    url, user, password = radicale.new_calendar()
    radicale.put(url, "single", calendar(EVENTS["single"]))
    connection = connect(world, kind=Connection.Kind.CALDAV, url=url, username=user, password=password)
    sync_connection(connection.pk)
    radicale.put(url, "single", calendar(EVENTS["single"].replace("20260324T", "20260331T")))

    sync_connection(connection.pk)

    moved = {at(date(2026, 3, 31), 11), at(date(2026, 3, 31), 12)}
    assert offered(world) == every_slot() - moved


def test_a_paused_calendar_is_not_read(radicale: Radicale) -> None:
    world = make_world()
    url, user, password = radicale.new_calendar()
    radicale.put(url, "single", calendar(EVENTS["single"]))
    connection = connect(world, kind=Connection.Kind.CALDAV, url=url, username=user, password=password)
    Connection.objects.filter(pk=connection.pk).update(paused=True)

    assert sync_connection(connection.pk) is False

    connection.refresh_from_db()
    assert connection.last_attempt_at is None and not BusyRange.objects.filter(connection=connection).exists()


def test_a_removed_calendar_is_skipped() -> None:
    assert sync_connection(987654) is False
