"""The practitioner's calendars pages (/staff/calendars/): connect, see the state, pause,
choose the write target, remove; only one's own; the clinic admin's overview."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from calendars.models import CalendarEvent, CalendarSettings, Connection
from tests.calendars.servers import IcsServer, Radicale
from tests.workspace.calendar_world import ICS, calendar_keys, connected  # noqa: F401
from tests.workspace.factories import Desk, body

pytestmark = pytest.mark.django_db


def test_the_page_explains_app_passwords_and_busy_times_only(desk: Desk, alex_client: Client) -> None:
    page = body(alex_client.get("/staff/calendars/"))

    assert "No calendars connected yet." in page
    assert "app password" in page
    assert "never the titles" in page
    assert 'href="/staff/calendars/"' in page and 'aria-current="page">My calendars<' in page


def test_connecting_with_the_right_password_shows_the_calendar(
    desk: Desk, alex_client: Client, radicale: Radicale, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    url, username, password = radicale.new_calendar(name="Hospital")

    response = alex_client.post(
        "/staff/calendars/caldav/",
        {"caldav-url": url, "caldav-username": username, "caldav-password": password, "caldav-name": ""},
        follow=True,
    )

    connection = Connection.objects.get(practitioner=desk.alex)
    assert response.redirect_chain[-1][0] == f"/staff/calendars/{connection.pk}/"
    page = body(response)
    assert "Calendar connected." in page and "Hospital" in page and "Not synced yet." in page
    assert password not in page and url not in page
    assert password not in caplog.text
    assert CalendarEvent.objects.filter(connection_id=connection.pk, action="connected").exists()


def test_a_wrong_password_is_shown_on_its_field_and_never_echoed(
    desk: Desk, alex_client: Client, radicale: Radicale
) -> None:
    url, username, _password = radicale.new_calendar()

    response = alex_client.post(
        "/staff/calendars/caldav/",
        {"caldav-url": url, "caldav-username": username, "caldav-password": "wrong-horse-battery", "caldav-name": ""},
    )

    assert response.status_code == 400
    page = body(response)
    assert "refused the username or password" in page
    assert "wrong-horse-battery" not in page
    assert not Connection.objects.exists()


def test_a_refused_ics_address_stays_only_in_its_field(desk: Desk, alex_client: Client, ics_server: IcsServer) -> None:
    url = ics_server.serve("/secret-path-91/page.ics", "<html>not a calendar</html>")

    response = alex_client.post("/staff/calendars/ics/", {"ics-url": url, "ics-name": ""})

    page = body(response)
    assert response.status_code == 400
    assert "not a calendar Acus could read" in page
    assert page.count("secret-path-91") == 1
    assert f'name="ics-url" value="{url}"' in page


def test_an_ics_address_is_added_and_its_path_never_shown(
    desk: Desk, alex_client: Client, ics_server: IcsServer
) -> None:
    url = ics_server.serve("/secret-path-92/basic.ics", ICS)

    response = alex_client.post("/staff/calendars/ics/", {"ics-url": url, "ics-name": "Google"}, follow=True)

    assert "Calendar address added." in body(response)
    assert "secret-path-92" not in body(response)
    assert "secret-path-92" not in body(alex_client.get("/staff/calendars/"))


def test_another_practitioners_calendar_is_not_found(
    desk: Desk, priya_client: Client, alex_client: Client, radicale: Radicale
) -> None:
    connection = connected(desk.alex, radicale)

    assert priya_client.get(f"/staff/calendars/{connection.pk}/").status_code == 404
    assert priya_client.post(f"/staff/calendars/{connection.pk}/pause/", {"paused": "on"}).status_code == 404
    assert priya_client.post(f"/staff/calendars/{connection.pk}/remove/").status_code == 404
    assert Connection.objects.filter(pk=connection.pk, paused=False).exists()
    assert "Work" not in body(priya_client.get("/staff/calendars/"))


def test_pause_resume_and_remove(desk: Desk, alex_client: Client, radicale: Radicale) -> None:
    connection = connected(desk.alex, radicale)
    base = f"/staff/calendars/{connection.pk}/"

    page = body(alex_client.post(base + "pause/", {"paused": "on"}, follow=True))
    assert "Paused" in page and Connection.objects.get(pk=connection.pk).paused
    alex_client.post(base + "pause/", {})
    assert not Connection.objects.get(pk=connection.pk).paused

    assert "Your own events in it are not changed." in body(alex_client.get(base + "remove/"))
    assert Connection.objects.filter(pk=connection.pk).exists(), "the confirmation page removes nothing"
    response = alex_client.post(base + "remove/", follow=True)
    assert "Calendar removed." in body(response)
    assert not Connection.objects.filter(pk=connection.pk).exists()


def test_the_write_target_moves_from_the_page(desk: Desk, alex_client: Client, radicale: Radicale) -> None:
    first = connected(desk.alex, radicale, name="First")
    second = connected(desk.alex, radicale, name="Second")

    alex_client.post(f"/staff/calendars/{second.pk}/write/", {"write": "on"})

    assert list(Connection.objects.filter(write_visits=True)) == [second]
    assert not Connection.objects.get(pk=first.pk).write_visits


def test_the_detail_page_lists_the_accounts_calendars_without_their_addresses(
    desk: Desk, alex_client: Client, radicale: Radicale
) -> None:
    connection = connected(desk.alex, radicale, name="Clinic days")
    other_url, _user, _password = radicale.new_calendar(name="Shifts")

    page = body(alex_client.get(f"/staff/calendars/{connection.pk}/?calendars=1"))

    assert "Shifts" in page and "Clinic days" in page
    assert other_url not in page and "/practitioner/" not in page


def test_the_detail_page_asks_the_calendar_server_only_on_request(
    desk: Desk, alex_client: Client, radicale: Radicale
) -> None:
    """Listing the account's calendars asks the server: only on request, so a slow or stopped
    server never holds the page up."""
    connection = connected(desk.alex, radicale, name="Clinic days")
    radicale.stop()

    page = body(alex_client.get(f"/staff/calendars/{connection.pk}/"))

    assert "Choose another calendar of this account" in page and "could not be listed" not in page
    listed = body(alex_client.get(f"/staff/calendars/{connection.pk}/?calendars=1"))
    assert "could not be listed" in listed


def test_testing_from_the_page_says_what_went_wrong(desk: Desk, alex_client: Client, radicale: Radicale) -> None:
    connection = connected(desk.alex, radicale)
    radicale.stop()

    page = body(alex_client.post(f"/staff/calendars/{connection.pk}/test/", follow=True))

    assert "The server could not be reached" in page


def test_the_list_shows_stale_since_the_last_good_sync(desk: Desk, alex_client: Client, radicale: Radicale) -> None:
    connection = connected(desk.alex, radicale)
    Connection.objects.filter(pk=connection.pk).update(
        last_success_at=timezone.now() - timedelta(hours=7), last_failure="timeout", busy_count=3
    )

    page = body(alex_client.get("/staff/calendars/"))

    assert "Stale since" in page and "The server took too long to answer" in page
    assert "3 busy times at the last good sync." in page


def test_the_clinic_page_lists_stale_calendars_first(
    desk: Desk, admin_client_: Client, alex_client: Client, radicale: Radicale
) -> None:
    CalendarSettings.objects.create(clinic=desk.clinic, stale_after=timedelta(hours=1))
    fresh = connected(desk.alex, radicale, name="Fresh one")
    stale = connected(desk.priya, radicale, name="Stale one")
    now = timezone.now()
    Connection.objects.filter(pk=fresh.pk).update(last_success_at=now)
    Connection.objects.filter(pk=stale.pk).update(last_success_at=now - timedelta(hours=2), last_failure="auth")

    page = body(admin_client_.get("/staff/calendars/clinic/"))

    assert page.index("Priya Shah") < page.index("Alex Morgan")
    assert "Stale since" in page and "refused the username or password" in page
    assert "Synced at" in page
    assert 'action="/staff/calendars/' not in page, "the admin page has no actions"
    assert alex_client.get("/staff/calendars/clinic/").status_code == 404
