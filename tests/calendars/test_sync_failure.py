"""A calendar that cannot be read keeps its last busy times and its bookings; it shows failing,
then stale, and the practitioner and the clinic's admins are emailed once; a good sync recovers.
Real Radicale (stopped, or cut off mid-answer by a proxy) and a real ICS server."""

from __future__ import annotations

import base64
import logging
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.test import override_settings

from booking.models import Appointment, Clinic
from calendars.models import BusyRange, CalendarEvent, Connection
from calendars.services.sync import sync_connection
from calendars.state import State, connection_state, stale_after_for
from tests.accounts.factories import make_patient
from tests.booking.factories import insert_appointment
from tests.calendars.servers import USER, CuttingProxy, IcsServer, Radicale
from tests.calendars.sync_world import (
    BLOCKED,
    EVENTS,
    NOW,
    World,
    at,
    calendar,
    connect,
    every_slot,
    make_world,
    offered,
)

pytestmark = pytest.mark.django_db
Failure = Connection.Failure
STALE_AFTER = timedelta(hours=6)  # the default a clinic without settings has


@pytest.fixture(autouse=True)
def _site(settings: Any) -> None:
    settings.SITE_URL = "https://acus.example"


@pytest.fixture
def clock(time_machine: time_machine.TimeMachineFixture) -> time_machine.TimeMachineFixture:
    time_machine.move_to(NOW, tick=False)
    return time_machine


@pytest.fixture
def proxy(radicale: Radicale) -> Iterator[CuttingProxy]:
    server = CuttingProxy(radicale.port)
    server.start()
    yield server
    server.stop()


def _synced_world(radicale: Radicale, base: str | None = None) -> tuple[World, Connection, str, str]:
    """A world whose Radicale calendar was read once at NOW, with a booked visit on Monday 23 March 10:00."""
    world = make_world()
    url, user, password = radicale.new_calendar()
    for name, event in EVENTS.items():
        radicale.put(url, name, calendar(event))
    address = url.replace(radicale.base, base) if base else url
    connection = connect(world, kind=Connection.Kind.CALDAV, url=address, username=user, password=password)
    assert sync_connection(connection.pk) is True
    insert_appointment(make_patient(), world.practitioner, world.treatment, at(date(2026, 3, 23), 10))
    return world, connection, url, password


def _state(connection: Connection, now: Any) -> State:
    connection.refresh_from_db()
    return connection_state(connection, stale_after=stale_after_for(connection), now=now)


def _ranges(connection: Connection) -> list[tuple[Any, Any]]:
    return list(BusyRange.objects.filter(connection=connection).order_by("start").values_list("start", "end"))


def test_a_stopped_server_keeps_busy_times_and_bookings_then_goes_stale_and_tells_people_once(
    radicale: Radicale, clock: time_machine.TimeMachineFixture, caplog: pytest.LogCaptureFixture
) -> None:
    world, connection, url, password = _synced_world(radicale)
    before = _ranges(connection)
    visit = Appointment.objects.get(practitioner=world.practitioner)
    expected = every_slot() - BLOCKED - {visit.start}
    assert offered(world) == expected

    radicale.stop()
    clock.move_to(NOW + timedelta(minutes=10), tick=False)
    with caplog.at_level(logging.INFO, logger="calendars"):
        assert sync_connection(connection.pk) is False

    assert _ranges(connection) == before and offered(world) == expected
    kept = Appointment.objects.get(pk=visit.pk)
    assert (kept.status, kept.start, kept.end) == (Appointment.Status.CONFIRMED, visit.start, visit.end)
    assert _state(connection, NOW + timedelta(minutes=10)) == State.FAILING
    assert connection.last_failure == Failure.UNREACHABLE and connection.failures == 1
    assert connection.last_success_at == NOW and connection.sync_leased_until is None
    assert [(r.levelname, r.getMessage()) for r in caplog.records if r.name.startswith("calendars")] == [
        ("WARNING", f"calendar connection {connection.pk} failed to sync: unreachable")
    ]
    assert mail.outbox == []

    later = NOW + STALE_AFTER + timedelta(minutes=1)
    clock.move_to(later, tick=False)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="calendars"):
        sync_connection(connection.pk)
    assert ("INFO", f"calendar connection {connection.pk} failed to sync: unreachable") in [
        (r.levelname, r.getMessage()) for r in caplog.records
    ]
    assert _state(connection, later) == State.STALE and connection.stale_notified_at == later
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert sorted(email.to) == sorted([world.practitioner.user.email, world.admin.email])
    assert "Hospital shifts" in email.subject
    assert "\u201cHospital shifts\u201d (127.0.0.1:" in email.body
    assert "20 March 2026" in email.body and "12:00" in email.body  # the last good sync, London time
    assert f"https://acus.example/staff/calendars/{connection.pk}/" in email.body
    assert "still block bookings" in email.body
    for secret in (password, url, url.split("/")[-2], "practitioner:"):
        assert secret not in f"{email.subject}\n{email.body}"
    assert _ranges(connection) == before and offered(world) == expected

    clock.move_to(later + timedelta(hours=1), tick=False)
    sync_connection(connection.pk)  # still down: no second email
    assert len(mail.outbox) == 1
    assert CalendarEvent.objects.filter(connection_id=connection.pk, action=CalendarEvent.Action.STALE).count() == 1

    radicale.start()
    radicale.put(url, "single", calendar(EVENTS["single"].replace("20260324T", "20260331T")))
    back = later + timedelta(hours=2)
    clock.move_to(back, tick=False)
    assert sync_connection(connection.pk) is True

    assert _state(connection, back) == State.OK and connection.stale_notified_at is None
    assert connection.last_failure == "" and connection.failures == 0 and connection.last_success_at == back
    recovered = CalendarEvent.objects.filter(connection_id=connection.pk, action=CalendarEvent.Action.RECOVERED)
    assert recovered.count() == 1
    moved = {at(date(2026, 3, 24), 11), at(date(2026, 3, 24), 12)}
    now_blocked = (BLOCKED - moved) | {at(date(2026, 3, 31), 11), at(date(2026, 3, 31), 12)}
    assert offered(world) == every_slot() - now_blocked - {visit.start}


@pytest.mark.parametrize("cut_after", [60, 600])  # inside the headers; inside the body
def test_an_answer_cut_off_midway_fails_and_keeps_the_busy_times(
    radicale: Radicale, proxy: CuttingProxy, clock: time_machine.TimeMachineFixture, cut_after: int
) -> None:
    world, connection, _url, _password = _synced_world(radicale, base=proxy.base)
    before = _ranges(connection)
    proxy.cut_after = cut_after

    assert sync_connection(connection.pk) is False

    assert proxy.cuts >= 1
    connection.refresh_from_db()
    assert connection.last_failure in (Failure.UNREACHABLE, Failure.INVALID) and connection.failures == 1
    assert _ranges(connection) == before
    visit = Appointment.objects.get(practitioner=world.practitioner)
    assert offered(world) == every_slot() - BLOCKED - {visit.start}


def test_a_calendar_never_synced_goes_stale_from_when_it_was_connected(
    radicale: Radicale, clock: time_machine.TimeMachineFixture
) -> None:
    world = make_world()
    url, user, _password = radicale.new_calendar()
    connection = connect(world, kind=Connection.Kind.CALDAV, url=url, username=user, password="wrong-password")

    sync_connection(connection.pk)
    assert mail.outbox == []
    clock.move_to(NOW + STALE_AFTER + timedelta(minutes=1), tick=False)
    sync_connection(connection.pk)

    connection.refresh_from_db()
    assert connection.last_failure == Failure.AUTH and connection.failures == 2
    assert len(mail.outbox) == 1 and "since it was connected" in mail.outbox[0].body
    assert "wrong-password" not in mail.outbox[0].body


def test_an_ics_address_larger_than_the_cap_fails_as_too_large_and_keeps_its_busy_times(
    ics_server: IcsServer, clock: time_machine.TimeMachineFixture
) -> None:
    world = make_world()
    url = ics_server.serve("/secret-feed/basic.ics", calendar(*EVENTS.values()))
    connection = connect(world, kind=Connection.Kind.ICS, url=url)
    sync_connection(connection.pk)
    before = _ranges(connection)
    assert len(before) == 6
    ics_server.serve("/secret-feed/basic.ics", calendar(*EVENTS.values()) + "X-PAD:" + "x" * 20_000)

    with override_settings(CALENDAR_FETCH_MAX_BYTES=10_000):
        assert sync_connection(connection.pk) is False

    connection.refresh_from_db()
    assert connection.last_failure == Failure.TOO_LARGE and _ranges(connection) == before
    assert offered(world) == every_slot() - BLOCKED


def test_an_answer_that_is_not_a_calendar_fails_as_invalid_and_keeps_its_busy_times(
    ics_server: IcsServer, clock: time_machine.TimeMachineFixture
) -> None:
    world = make_world()
    url = ics_server.serve("/feed.ics", calendar(*EVENTS.values()))
    connection = connect(world, kind=Connection.Kind.ICS, url=url)
    sync_connection(connection.pk)
    before = _ranges(connection)
    ics_server.serve("/feed.ics", "<html><body>Please sign in</body></html>")

    assert sync_connection(connection.pk) is False

    connection.refresh_from_db()
    assert connection.last_failure == Failure.INVALID and _ranges(connection) == before


def test_credentials_never_reach_the_logs(
    radicale: Radicale, ics_server: IcsServer, clock: time_machine.TimeMachineFixture, caplog: pytest.LogCaptureFixture
) -> None:
    # Every logger at DEBUG but urllib3's: its DEBUG request lines name the path (an ICS
    # address's secret), which is why config/log_config.py keeps it at WARNING, asserted first.
    assert logging.getLogger("urllib3").getEffectiveLevel() >= logging.WARNING
    caplog.set_level(logging.DEBUG)
    for name in list(logging.root.manager.loggerDict):
        if not name.startswith("urllib3"):
            caplog.set_level(logging.DEBUG, logger=name)
    world, connection, url, password = _synced_world(radicale)
    feed = ics_server.serve("/private-8c1d2e/basic.ics", calendar(*EVENTS.values()))
    feed_connection = connect(world, kind=Connection.Kind.ICS, url=feed)
    sync_connection(feed_connection.pk)
    radicale.stop()
    ics_server.serve("/private-8c1d2e/basic.ics", "not a calendar")
    clock.move_to(NOW + STALE_AFTER + timedelta(minutes=1), tick=False)
    sync_connection(connection.pk)
    sync_connection(feed_connection.pk)
    radicale.start()
    sync_connection(connection.pk)

    logged = caplog.text + "".join(str(r.args) for r in caplog.records)
    assert f"calendar connection {connection.pk}" in logged  # the failures were logged at all
    basic = base64.b64encode(f"{USER}:{password}".encode()).decode()  # an Authorization header
    for secret in (password, basic, url.split("/")[-2], "private-8c1d2e", f"{USER}:"):
        assert secret not in logged
    assert len(mail.outbox) >= 1
    for email in mail.outbox:
        assert password not in email.body and "private-8c1d2e" not in email.body


def test_the_email_gives_the_last_good_sync_in_the_clinic_s_time_and_each_person_s_language(
    ics_server: IcsServer, clock: time_machine.TimeMachineFixture
) -> None:
    world = make_world(admin_language="fr")
    Clinic.objects.filter(pk=world.clinic.pk).update(time_zone="Europe/Madrid")  # 12:00 UTC is 13:00 there
    url = ics_server.serve("/feed.ics", calendar(EVENTS["single"]))
    connection = connect(world, kind=Connection.Kind.ICS, url=url)
    sync_connection(connection.pk)
    ics_server.stop()
    clock.move_to(NOW + STALE_AFTER + timedelta(minutes=1), tick=False)

    sync_connection(connection.pk)

    by_recipient = {tuple(email.to): email for email in mail.outbox}
    assert set(by_recipient) == {(world.practitioner.user.email,), (world.admin.email,)}
    english, french = by_recipient[(world.practitioner.user.email,)], by_recipient[(world.admin.email,)]
    assert "20 March 2026" in english.body and "13:00" in english.body
    assert "20 mars 2026" in french.body and "13:00" in french.body
    assert "Acus has not been able" not in french.body
