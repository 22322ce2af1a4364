"""The secret calendar feed: shown once, revocable and rotatable, with initials and the
appointment type only."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from icalendar import Calendar

from accounts.models import Patient
from booking.models import Practitioner, PractitionerEvent
from tests.workspace.factories import REVIEW, Desk, body, book_needling, book_plain
from workspace import services as staff_services

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def turn_on(client: Client) -> str:
    client.post("/staff/feed/rotate/")
    page = body(client.get("/staff/feed/"))
    match = re.search(f'value="{re.escape(settings.SITE_URL)}' + r'(/staff/feed/[A-Za-z0-9_-]+\.ics)"', page)
    assert match, page
    return match.group(1)


def test_the_feed_address_is_shown_once_and_only_its_hash_is_kept(desk: Desk, alex_client: Client) -> None:
    url = turn_on(alex_client)

    token = url.removeprefix("/staff/feed/").removesuffix(".ics")
    alex = Practitioner.objects.get(pk=desk.alex.pk)
    assert alex.feed_token_hash == staff_services.feed_token_hash(token)
    assert token not in str(Practitioner.objects.filter(pk=alex.pk).values().get())
    again = body(alex_client.get("/staff/feed/"))
    assert url not in again and "Your feed is on" in again


def test_the_feed_has_initials_and_the_type_and_no_health_data(
    desk: Desk, alex_client: Client, patient: Patient, other_patient: Patient
) -> None:
    book_needling(desk, patient, desk.at("10:00"), answers=REVIEW)
    book_plain(desk, other_patient, desk.at("14:00"))
    url = turn_on(alex_client)

    response = Client().get(url)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))
    assert [str(e["summary"]) for e in events] == [
        "P.E. · Follow-up dry needling",
        "O.O. · Assessment without needling",
    ]
    assert [str(e["status"]) for e in events] == ["TENTATIVE", "CONFIRMED"]
    assert events[0].decoded("dtstart").isoformat() == "2026-06-01T10:00:00+01:00"
    text = response.content.decode()
    for secret in ["Pat Example", "Example", "Olive", "diabetes", "Warfarin", "pat@example.com", "+44"]:
        assert secret not in text, secret
    # The birth year (1990) nowhere but in the lines that carry the visit's id by design: after
    # a whole suite's run an appointment's id can be 1990 too.
    unfolded = text.replace("\r\n ", "")
    assert not [line for line in unfolded.splitlines() if "1990" in line and not line.startswith(("UID:", "URL:"))]
    assert "BEGIN:VTIMEZONE" in text and "Europe/London" in text


def test_a_new_address_stops_the_old_one(desk: Desk, alex_client: Client) -> None:
    old = turn_on(alex_client)
    new = turn_on(alex_client)

    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200
    assert PractitionerEvent.objects.filter(action=PractitionerEvent.Action.FEED_ROTATED).count() == 2


def test_turning_the_feed_off_revokes_it(desk: Desk, alex_client: Client) -> None:
    url = turn_on(alex_client)

    alex_client.post("/staff/feed/revoke/")

    assert Client().get(url).status_code == 404
    assert "Your feed is off" in body(alex_client.get("/staff/feed/"))
    assert PractitionerEvent.objects.filter(action=PractitionerEvent.Action.FEED_REVOKED).count() == 1


def test_a_guessed_token_is_a_404(desk: Desk) -> None:
    assert Client().get("/staff/feed/not-a-real-token.ics").status_code == 404
    assert Client().get("/staff/feed/" + "a" * 200 + ".ics").status_code == 404


def test_the_feed_shows_only_its_practitioners_visits(
    desk: Desk, alex_client: Client, patient: Patient, other_patient: Patient
) -> None:
    book_plain(desk, patient, desk.at("10:00"), practitioner=desk.priya)
    url = turn_on(alex_client)

    assert "VEVENT" not in Client().get(url).content.decode()


def test_turning_the_feed_on_needs_a_verified_session(desk: Desk, client: Client) -> None:
    client.force_login(desk.alex.user, backend="django.contrib.auth.backends.ModelBackend")

    assert client.post("/staff/feed/rotate/").status_code == 302
    assert Practitioner.objects.get(pk=desk.alex.pk).feed_token_hash is None


def test_a_clinic_admin_without_a_practitioner_profile_has_no_feed(admin_client_: Client) -> None:
    assert "Only practitioners have a calendar feed" in body(admin_client_.get("/staff/feed/"))
    assert admin_client_.post("/staff/feed/rotate/").status_code == 404
