"""Removing a calendar, or choosing another of its account's calendars, never leaves Acus's copies
of visits behind: the push deletes them from the old calendar (retrying through an outage, giving
up after a week), and only then forgets the connection. A removed connection is gone at once from
pages, the API, busy time and the sync."""

from __future__ import annotations

import hashlib
import logging
from datetime import UTC, timedelta

import pytest
import time_machine
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from booking import blockers
from calendars.models import BusyRange, CalendarEvent, Connection, VisitCopy
from calendars.services import connections, copies, sync
from calendars.uids import visit_uid
from tests.accounts.factories import make_patient, make_staff
from tests.calendars.push_world import book, calendar_url, connect, push, uids_in, week_ahead
from tests.calendars.servers import Radicale
from tests.workspace.factories import Desk, make_desk, staff_client

pytestmark = pytest.mark.django_db

BUSY = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:shift@test\r\n"
    "DTSTART:{start}\r\nDTEND:{end}\r\nSUMMARY:Hospital shift\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


@pytest.fixture
def desk() -> Desk:
    return make_desk(make_staff(User.Role.CLINIC_ADMIN))


def _two_visits_copied(desk: Desk, radicale: Radicale) -> tuple[Connection, set[str]]:
    calendar = connect(radicale, desk.alex)
    visits = [book(desk, make_patient(), desk.at(hh_mm, week_ahead(desk))) for hh_mm in ("10:00", "12:00")]
    assert push() == 2
    uids = {visit_uid(v.pk) for v in visits}
    assert uids_in(radicale, calendar) == uids
    return calendar, uids


def _busy_shift(radicale: Radicale, calendar: Connection, desk: Desk) -> None:
    start = desk.at("15:00", week_ahead(desk))
    stamp = "%Y%m%dT%H%M%SZ"
    end = start + timedelta(hours=2)
    ics = BUSY.format(start=start.astimezone(UTC).strftime(stamp), end=end.astimezone(UTC).strftime(stamp))
    radicale.put(calendar_url(calendar), "shift.ics", ics)
    assert sync.sync_connection(calendar.pk)
    assert BusyRange.objects.filter(connection=calendar).exists()


def test_removing_a_calendar_deletes_the_visits_acus_wrote_there_then_forgets_it(
    desk: Desk, radicale: Radicale
) -> None:
    calendar, _uids = _two_visits_copied(desk, radicale)

    connections.remove_connection(connection=calendar, actor=desk.alex.user)

    assert not Connection.objects.filter(pk=calendar.pk).exists()  # invisible at once
    assert Connection.all_objects.get(pk=calendar.pk).removed_at is not None  # kept for the push
    assert push() == 2
    assert uids_in(radicale, calendar) == set()
    assert not Connection.all_objects.filter(pk=calendar.pk).exists()
    assert not VisitCopy.objects.filter(connection_id=calendar.pk).exists()
    assert CalendarEvent.objects.filter(connection_id=calendar.pk, action=CalendarEvent.Action.REMOVED).count() == 1


def test_a_calendar_with_no_visit_in_it_is_forgotten_at_once(desk: Desk, radicale: Radicale) -> None:
    calendar = connect(radicale, desk.alex, write=False)
    book(desk, make_patient(), desk.at("10:00", week_ahead(desk)))

    connections.remove_connection(connection=calendar, actor=desk.alex.user)

    assert not Connection.all_objects.filter(pk=calendar.pk).exists()


def test_a_calendar_removed_while_its_server_is_down_stops_blocking_at_once_and_is_cleaned_up_later(
    desk: Desk, radicale: Radicale
) -> None:
    calendar, _uids = _two_visits_copied(desk, radicale)
    _busy_shift(radicale, calendar, desk)
    client = staff_client(desk.alex.user)
    radicale.stop()
    try:
        connections.remove_connection(connection=calendar, actor=desk.alex.user)

        day = week_ahead(desk)
        assert not BusyRange.objects.filter(connection_id=calendar.pk).exists()
        blocking = blockers.blocked([desk.alex.pk], desk.at("00:00", day), desk.at("23:59", day))
        assert not any(q.exists() for q in blocking)
        assert client.get(f"/staff/calendars/{calendar.pk}/").status_code == 404
        assert "Work" not in client.get("/staff/calendars/").content.decode()
        assert client.get(f"/api/v1/staff/calendars/{calendar.pk}").status_code == 404
        assert client.get("/api/v1/staff/calendars").json() == []
        assert calendar.pk not in sync.due_connections(now=timezone.now(), every=timedelta(0))
        assert sync.sync_connection(calendar.pk) is False

        assert push() == 0  # the server is down: retried later
        left = VisitCopy.objects.filter(connection_id=calendar.pk)
        assert left.filter(written__lt=F("wanted")).count() == 2 and left.filter(attempts=1).exists()
    finally:
        radicale.start()
    assert copies.push_due(now=timezone.now() + timedelta(minutes=5)) == 2
    assert uids_in(radicale, calendar) == {"shift@test"}  # the visits gone, the practitioner's own event kept
    assert not Connection.all_objects.filter(pk=calendar.pk).exists()


def test_a_removed_calendar_whose_server_never_answers_is_forgotten_after_a_week(
    desk: Desk, radicale: Radicale, caplog: pytest.LogCaptureFixture
) -> None:
    calendar, _uids = _two_visits_copied(desk, radicale)
    radicale.stop()
    try:
        connections.remove_connection(connection=calendar, actor=desk.alex.user)
        assert push() == 0
        with time_machine.travel(timezone.now() + timedelta(days=6, hours=23)):
            push()
            assert Connection.all_objects.filter(pk=calendar.pk).exists()
        with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)), caplog.at_level(logging.WARNING):
            push()
    finally:
        radicale.start()

    assert not Connection.all_objects.filter(pk=calendar.pk).exists()
    assert not VisitCopy.objects.filter(connection_id=calendar.pk).exists()
    assert f"removed connections {calendar.pk} after 7 days" in caplog.text


def test_choosing_another_calendar_moves_the_visits_out_of_the_old_one(desk: Desk, radicale: Radicale) -> None:
    old_url, username, password = radicale.new_calendar(name="Work")
    old = connections.connect_caldav(
        practitioner=desk.alex, name="Work", url=old_url, username=username, password=password, actor=None
    )
    visits = [book(desk, make_patient(), desk.at(hh_mm, week_ahead(desk))) for hh_mm in ("10:00", "12:00")]
    assert push() == 2
    other_url, _username, _password = radicale.new_calendar(name="Shifts")

    new = connections.choose_calendar(connection=old, calendar_url=other_url, actor=desk.alex.user)

    assert new.pk != old.pk and new.name == "Work" and new.write_visits
    assert list(Connection.objects.filter(practitioner=desk.alex)) == [new]
    assert push() == 4  # two deleted from the old calendar, two put in the new one
    assert uids_in(radicale, old) == set()
    assert uids_in(radicale, new) == {visit_uid(v.pk) for v in visits}
    assert not Connection.all_objects.filter(pk=old.pk).exists()
    connected = CalendarEvent.objects.get(connection_id=new.pk, action=CalendarEvent.Action.CONNECTED)
    assert connected.data["replaces"] == old.pk


def test_choosing_another_calendar_on_the_page_leads_to_the_new_connection(desk: Desk, radicale: Radicale) -> None:
    old_url, username, password = radicale.new_calendar(name="Work")
    old = connections.connect_caldav(
        practitioner=desk.alex, name="Work", url=old_url, username=username, password=password, actor=None
    )
    book(desk, make_patient(), desk.at("10:00", week_ahead(desk)))
    assert push() == 1
    other_url, _username, _password = radicale.new_calendar(name="Shifts")
    client = staff_client(desk.alex.user)
    # The form's value for a calendar is a key the page makes of its address (never the address).
    key = hashlib.sha256(other_url.encode()).hexdigest()[:16]
    assert key in client.get(f"/staff/calendars/{old.pk}/?calendars=1").content.decode()

    response = client.post(f"/staff/calendars/{old.pk}/choose/", {"calendar_url": key})

    [new] = Connection.objects.filter(practitioner=desk.alex)
    assert new.pk != old.pk
    assert response.status_code == 302 and response["Location"] == f"/staff/calendars/{new.pk}/"
