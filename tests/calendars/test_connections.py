"""Connecting, testing, pausing, choosing and removing calendars (calendars.services.connections),
against a real Radicale and a real ICS server on loopback."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ValidationError
from django.test import override_settings

from booking.models import Practitioner
from calendars import secrets
from calendars.models import CalendarEvent, Connection
from calendars.services import connections as services
from tests.booking.factories import make_clinic, make_practitioner
from tests.calendars.servers import IcsServer, Radicale

pytestmark = pytest.mark.django_db

ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:a@test\r\n"
    "DTSTART:20260601T090000Z\r\nDTEND:20260601T100000Z\r\nSUMMARY:Dentist\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


@pytest.fixture(autouse=True)
def keys(settings: Any) -> None:
    settings.CALENDAR_KEYS = [Fernet.generate_key().decode()]


@pytest.fixture
def practitioner() -> Practitioner:
    return make_practitioner(make_clinic(), name="Alex Morgan")


def connect(
    practitioner: Practitioner, radicale: Radicale, *, name: str = "Work", password: str | None = None
) -> Connection:
    url, username, right = radicale.new_calendar(name=name)
    return services.connect_caldav(
        practitioner=practitioner,
        name="",
        url=url,
        username=username,
        password=right if password is None else password,
        actor=practitioner.user,
    )


def test_it_connects_a_caldav_calendar_with_the_right_password(
    practitioner: Practitioner, radicale: Radicale, django_capture_on_commit_callbacks
) -> None:
    url, username, password = radicale.new_calendar(name="Hospital")
    with django_capture_on_commit_callbacks() as queued:
        connection = services.connect_caldav(
            practitioner=practitioner, name="", url=url, username=username, password=password, actor=practitioner.user
        )

    assert connection.kind == Connection.Kind.CALDAV
    assert connection.name == "Hospital"
    assert connection.host == "127.0.0.1"
    assert connection.write_visits, "a practitioner's first CalDAV calendar receives their visits"
    assert secrets.unseal(connection.secret) == {"url": url, "username": username, "password": password, "account": url}
    event = CalendarEvent.objects.get(connection_id=connection.pk)
    assert event.action == CalendarEvent.Action.CONNECTED and event.actor == practitioner.user
    assert password not in str(event.data) and url not in str(event.data) and username not in str(event.data)
    assert len(queued) == 1, "a sync is queued after commit"


def test_the_secret_is_stored_encrypted(practitioner: Practitioner, radicale: Radicale) -> None:
    connection = connect(practitioner, radicale)
    raw = Connection.objects.values_list("secret", flat=True).get(pk=connection.pk)

    assert radicale.password not in raw and "practitioner" not in raw and "127.0.0.1" not in raw
    assert secrets.unseal(raw)["password"] == radicale.password


def test_a_wrong_password_is_a_field_error_and_nothing_is_stored(
    practitioner: Practitioner, radicale: Radicale, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with pytest.raises(ValidationError) as refused:
        connect(practitioner, radicale, password="not-the-password")

    assert "refused the username or password" in refused.value.message_dict["password"][0]
    assert not Connection.objects.exists() and not CalendarEvent.objects.exists()
    assert "not-the-password" not in caplog.text and radicale.password not in caplog.text


def test_an_unreachable_server_is_an_address_error(practitioner: Practitioner) -> None:
    from tests.loopback import free_port

    with pytest.raises(ValidationError) as refused:
        services.connect_caldav(
            practitioner=practitioner,
            name="",
            url=f"http://127.0.0.1:{free_port()}/",
            username="u",
            password="p",
            actor=None,
        )

    assert refused.value.message_dict["url"] == [str(Connection.Failure.UNREACHABLE.label)]


@pytest.mark.parametrize("url", ["ftp://example.com/cal", "example.com/cal", "https://user:pw@example.com/", ""])
def test_it_refuses_addresses_that_are_not_web_addresses(practitioner: Practitioner, url: str) -> None:
    with pytest.raises(ValidationError) as refused:
        services.connect_caldav(practitioner=practitioner, name="", url=url, username="u", password="p", actor=None)
    assert "url" in refused.value.message_dict


@override_settings(CALENDAR_ALLOW_PRIVATE_HOSTS=False)
def test_plain_http_is_refused_in_production(practitioner: Practitioner) -> None:
    with pytest.raises(ValidationError) as refused:
        services.connect_ics(practitioner=practitioner, name="", url="http://calendar.example.com/x.ics", actor=None)
    assert "https://" in refused.value.message_dict["url"][0]


def test_webcal_is_read_as_https() -> None:
    assert services.checked_url("webcal://calendar.example.com/s3cret.ics", ics=True).startswith("https://")
    with pytest.raises(ValidationError):
        services.checked_url("webcal://calendar.example.com/", ics=False)


def test_connecting_is_refused_without_keys(practitioner: Practitioner, settings: Any) -> None:
    settings.DEBUG, settings.CALENDAR_KEYS = False, []
    with pytest.raises(ValidationError) as refused:
        services.connect_ics(practitioner=practitioner, name="", url="https://example.com/a.ics", actor=None)
    assert "CALENDAR_KEYS" in refused.value.messages[0]
    assert not Connection.objects.exists()


def test_it_adds_an_ics_address_that_reads_as_a_calendar(practitioner: Practitioner, ics_server: IcsServer) -> None:
    url = ics_server.serve("/private-7f3a9/basic.ics", ICS)

    connection = services.connect_ics(practitioner=practitioner, name="Google", url=url, actor=practitioner.user)

    assert connection.kind == Connection.Kind.ICS and connection.host == "127.0.0.1"
    assert not connection.write_visits
    assert secrets.unseal(connection.secret)["url"] == url
    assert "private-7f3a9" not in str(CalendarEvent.objects.get(connection_id=connection.pk).data)


def test_it_refuses_an_ics_address_that_is_not_a_calendar(practitioner: Practitioner, ics_server: IcsServer) -> None:
    url = ics_server.serve("/page.ics", "<html>Sign in</html>")

    with pytest.raises(ValidationError) as refused:
        services.connect_ics(practitioner=practitioner, name="", url=url, actor=None)

    assert refused.value.message_dict["url"] == [str(Connection.Failure.INVALID.label)]
    assert not Connection.objects.exists()


def test_testing_says_whether_the_calendar_answers(practitioner: Practitioner, radicale: Radicale) -> None:
    connection = connect(practitioner, radicale)
    assert services.test_connection(connection=connection, actor=None)[:2] == (True, "")

    radicale.stop()
    ok, failure, detail = services.test_connection(connection=connection, actor=None)

    assert (ok, failure) == (False, Connection.Failure.UNREACHABLE)
    assert detail == Connection.Failure.UNREACHABLE.label
    tests = CalendarEvent.objects.filter(connection_id=connection.pk, action=CalendarEvent.Action.TESTED)
    assert [e.data["ok"] for e in tests] == [True, False]


def test_it_chooses_only_a_calendar_discovery_lists(practitioner: Practitioner, radicale: Radicale) -> None:
    connection = connect(practitioner, radicale)
    other_url, _user, _password = radicale.new_calendar(name="Shifts")

    with pytest.raises(ValidationError):
        services.choose_calendar(connection=connection, calendar_url="http://127.0.0.1:1/elsewhere/", actor=None)

    listed = [c.url for c in services.available_calendars(connection=connection)]
    assert other_url in listed
    services.choose_calendar(connection=connection, calendar_url=other_url, actor=None)
    assert secrets.unseal(Connection.objects.get(pk=connection.pk).secret)["url"] == other_url


def test_pausing_and_resuming_are_recorded_and_resuming_syncs(
    practitioner: Practitioner, radicale: Radicale, django_capture_on_commit_callbacks
) -> None:
    connection = connect(practitioner, radicale)

    with django_capture_on_commit_callbacks() as queued:
        services.set_paused(connection=connection, paused=True, actor=None)
    assert Connection.objects.get(pk=connection.pk).paused and not queued
    with django_capture_on_commit_callbacks() as queued:
        services.set_paused(connection=connection, paused=False, actor=None)
    assert not Connection.objects.get(pk=connection.pk).paused and len(queued) == 1
    changes = CalendarEvent.objects.filter(connection_id=connection.pk, action=CalendarEvent.Action.CHANGED)
    assert [e.data["paused"] for e in changes] == [True, False]


def test_the_write_target_moves_and_there_is_only_ever_one(practitioner: Practitioner, radicale: Radicale) -> None:
    first = connect(practitioner, radicale, name="First")
    second = connect(practitioner, radicale, name="Second")
    assert first.write_visits and not second.write_visits

    services.set_write_target(connection=second, write=True, actor=None)

    assert list(Connection.objects.filter(write_visits=True)) == [second]
    services.set_write_target(connection=second, write=False, actor=None)
    assert not Connection.objects.filter(write_visits=True).exists()


def test_an_ics_address_cannot_receive_visits(practitioner: Practitioner, ics_server: IcsServer) -> None:
    connection = services.connect_ics(
        practitioner=practitioner, name="", url=ics_server.serve("/a.ics", ICS), actor=None
    )
    with pytest.raises(ValidationError) as refused:
        services.set_write_target(connection=connection, write=True, actor=None)
    assert "write_visits" in refused.value.message_dict


def test_rename_and_remove(practitioner: Practitioner, radicale: Radicale) -> None:
    connection = connect(practitioner, radicale)
    with pytest.raises(ValidationError):
        services.rename(connection=connection, name="  ", actor=None)
    services.rename(connection=connection, name="Hospital rota", actor=None)
    assert Connection.objects.get(pk=connection.pk).name == "Hospital rota"

    services.remove_connection(connection=connection, actor=practitioner.user)

    assert not Connection.objects.exists()
    assert CalendarEvent.objects.filter(connection_id=connection.pk, action=CalendarEvent.Action.REMOVED).exists()
