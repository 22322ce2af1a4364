"""Calendar sync on a phone, in real Chromium, against a real Radicale and a real ICS server on
loopback: a practitioner opens My calendars from the workspace navigation, connects a CalDAV
calendar, sees it listed; a busy event put in Radicale and a sync later, the page shows it up to
date with its busy count and the patients' times page no longer offers that hour. They stop and
start writing their visits there, pause and resume, add an ICS address; Radicale goes down, a
sync fails and the page says so with the reason; they remove a calendar through its
confirmation. A clinic admin sees the clinic's page. The same pages work with JavaScript off and
read in Spanish.

Every page passes axe-core, has no horizontal scrolling at 320 px and 44 px touch targets (the
patients' standard: a practitioner does this on a phone, between patients)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from calendars.models import BusyRange, CalendarEvent, Connection
from calendars.services import connections
from calendars.services.sync import sync_connection
from tests.accounts.factories import make_staff
from tests.browser.journey import PATIENT_TARGET, assert_no_english_left, choose_language, look_at
from tests.browser.kit import PHONES, without_javascript
from tests.browser.staff import sign_in
from tests.calendars.servers import IcsServer, Radicale
from tests.workspace.factories import Desk, make_desk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def look(page: Any, name: str, live_server: Any) -> None:
    look_at(page, name, live_server, target=PATIENT_TARGET)


@pytest.fixture
def desk(transactional_db: None) -> Desk:
    return make_desk(make_staff(User.Role.CLINIC_ADMIN, "admin@example.com"))


def busy_day(desk: Desk) -> date:
    return timezone.now().astimezone(desk.clinic.zone).date() + timedelta(days=3)


def busy_event(day: date) -> str:
    """10:00-11:00 London time on `day`, with a title Acus must never show."""
    stamp = day.strftime("%Y%m%d")
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//walk//EN\r\nBEGIN:VEVENT\r\n"
        f"UID:walk-busy-{stamp}@example.org\r\nDTSTAMP:20260101T000000Z\r\n"
        f"DTSTART;TZID=Europe/London:{stamp}T100000\r\nDTEND;TZID=Europe/London:{stamp}T110000\r\n"
        "SUMMARY:Secret ward round\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )


def offered_times(page: Any, live_server: Any, desk: Desk, day: date) -> list[str]:
    """The times the patients' page offers for Alex's plain visit on `day`."""
    url = reverse("booking:times", args=[desk.plain.pk])
    page.goto(f"{live_server.url}{url}?practitioner={desk.alex.pk}&day={day.isoformat()}")
    return [text.strip() for text in page.locator(".time-button").all_inner_texts()]


def state_text(page: Any) -> str:
    return " ".join(page.locator("main .calendar-state").all_inner_texts())


def test_a_practitioner_connects_syncs_pauses_and_removes_calendars_on_a_phone(
    browser: Any, live_server: Any, desk: Desk, radicale: Radicale, ics_server: IcsServer
) -> None:
    context = browser.new_context(**PHONES["iphone"])
    phone = context.new_page()
    phone.profile = "iphone"
    patient_context = browser.new_context(**PHONES["pixel"])
    patient = patient_context.new_page()
    patient.profile = "pixel"
    try:
        _walk(phone, patient, live_server, desk, radicale, ics_server)
    finally:
        context.close()
        patient_context.close()


def _walk(phone: Any, patient: Any, live_server: Any, desk: Desk, radicale: Radicale, ics_server: IcsServer) -> None:
    day = busy_day(desk)
    before = offered_times(patient, live_server, desk, day)
    assert "10:00" in before and "10:30" in before, before

    sign_in(phone, live_server, desk.alex.user, "calendars")
    phone.locator(".staff-nav").get_by_role("link", name="My calendars").click()
    phone.wait_for_url("**" + reverse("staff:calendars"))
    assert phone.get_by_role("heading", level=1).inner_text() == "My calendars"
    look(phone, "calendars-1-list-empty", live_server)

    # Connect the CalDAV account: server address, username, app password.
    calendar_url, username, password = radicale.new_calendar(name="Hospital")
    # The calendar's own address (as iCloud, Fastmail or Nextcloud show it): the session's Radicale
    # holds every earlier test's calendars too, so its root would list them all.
    phone.get_by_label("Server address").fill(calendar_url)
    phone.get_by_label("Username").fill(username)
    phone.get_by_label("App password").fill(password)
    phone.locator("#caldav-heading ~ form").get_by_label("Name", exact=True).fill("Hospital shifts")
    phone.get_by_role("button", name="Connect calendar").click()
    connection = Connection.objects.get(practitioner=desk.alex, kind=Connection.Kind.CALDAV)
    phone.wait_for_url("**" + reverse("staff:calendar", args=[connection.pk]))
    assert phone.get_by_role("heading", level=1).inner_text() == "Hospital shifts"
    assert password not in phone.content(), "the app password is never shown back"
    assert "Not synced yet." in state_text(phone)
    look(phone, "calendars-2-detail-connected", live_server)

    phone.get_by_role("link", name="My calendars").first.click()
    phone.wait_for_url("**" + reverse("staff:calendars"))
    assert phone.get_by_role("link", name="Hospital shifts").is_visible()
    look(phone, "calendars-3-list-connected", live_server)

    # A busy hour in the calendar, then the sync the worker would run ("Sync now" only queues it).
    radicale.put(calendar_url, "busy", busy_event(day))
    phone.get_by_role("link", name="Hospital shifts").click()
    phone.get_by_role("button", name="Sync now").click()
    assert "Sync asked for" in phone.locator("main").inner_text()
    assert sync_connection(connection.pk) is True
    phone.reload()
    assert phone.locator("main .calendar-state--ok").count() == 1
    assert re.search(r"Synced at .+\.", state_text(phone))
    assert "1 busy time at the last good sync." in phone.locator("main").inner_text()
    assert "Secret ward round" not in phone.content(), "titles are never read into Acus"
    look(phone, "calendars-4-detail-synced", live_server)

    after = offered_times(patient, live_server, desk, day)
    assert "10:00" not in after and "10:30" not in after, after
    assert "11:00" in after and "09:00" in after, "only the busy hour (and what overlaps it) is gone"

    # The first CalDAV calendar receives the visits; stop and start again.
    assert Connection.objects.get(pk=connection.pk).write_visits
    phone.get_by_role("button", name="Stop writing visits here").click()
    phone.wait_for_load_state("load")
    assert not Connection.objects.get(pk=connection.pk).write_visits
    look(phone, "calendars-5-detail-not-writing", live_server)
    phone.get_by_role("button", name="Write my visits here").click()
    phone.wait_for_load_state("load")
    assert Connection.objects.get(pk=connection.pk).write_visits

    # Pause: the busy hour stops blocking; resume.
    phone.get_by_role("button", name="Pause").click()
    phone.wait_for_load_state("load")
    assert phone.locator("main .calendar-state--paused").count() == 1
    look(phone, "calendars-6-detail-paused", live_server)
    assert "10:00" in offered_times(patient, live_server, desk, day), "a paused calendar blocks nothing"
    phone.get_by_role("button", name="Resume").click()
    phone.wait_for_load_state("load")
    assert not Connection.objects.get(pk=connection.pk).paused
    assert sync_connection(connection.pk) is True
    assert "10:00" not in offered_times(patient, live_server, desk, day)

    # An ICS address beside it.
    ics_url = ics_server.serve("/private/abc123/basic.ics", busy_event(day + timedelta(days=1)))
    phone.get_by_role("link", name="My calendars").first.click()
    phone.get_by_role("textbox", name="Calendar address (ICS)").fill(ics_url)
    phone.locator("#ics-heading ~ form").get_by_label("Name", exact=True).fill("Family")
    phone.get_by_role("button", name="Add calendar address").click()
    ics = Connection.objects.get(practitioner=desk.alex, kind=Connection.Kind.ICS)
    phone.wait_for_url("**" + reverse("staff:calendar", args=[ics.pk]))
    assert "/private/abc123/" not in phone.content(), "the ICS address is a secret"
    assert sync_connection(ics.pk) is True
    phone.reload()
    assert "1 busy time at the last good sync." in phone.locator("main").inner_text()
    look(phone, "calendars-7-detail-ics", live_server)

    # Radicale goes down: the sync fails, the page says so and why.
    radicale.stop()
    try:
        assert sync_connection(connection.pk) is False
    finally:
        radicale.start()
    phone.get_by_role("link", name="My calendars").first.click()
    phone.wait_for_url("**" + reverse("staff:calendars"))
    failing = phone.locator("main .card", has_text="Hospital shifts")
    assert failing.locator(".calendar-state--failing, .calendar-state--stale").count() == 1
    assert "The last sync failed:" in failing.inner_text() or "Stale" in failing.inner_text()
    label = Connection.objects.get(pk=connection.pk).last_failure
    assert label, "the failure is recorded"
    look(phone, "calendars-8-list-failing", live_server)
    assert BusyRange.objects.filter(connection=connection).count() == 1, "the last good busy time is kept"

    # Remove the ICS calendar through its confirmation.
    phone.get_by_role("link", name="Family").click()
    phone.get_by_role("link", name="Remove this calendar").click()
    phone.wait_for_url("**" + reverse("staff:calendar-remove", args=[ics.pk]))
    look(phone, "calendars-9-remove", live_server)
    phone.get_by_role("button", name="Remove calendar").click()
    phone.wait_for_url("**" + reverse("staff:calendars"))
    assert not Connection.objects.filter(pk=ics.pk).exists()
    assert "Calendar removed." in phone.locator("main").inner_text()
    look(phone, "calendars-10-list-removed", live_server)
    assert CalendarEvent.objects.filter(action=CalendarEvent.Action.REMOVED, connection_id=ics.pk).exists()


def test_a_clinic_admin_sees_the_clinics_calendars(
    browser: Any, live_server: Any, desk: Desk, radicale: Radicale
) -> None:
    _calendar_url, username, password = radicale.new_calendar()

    connection = connections.connect_caldav(
        practitioner=desk.alex,
        name="Hospital",
        url=radicale.base + "/",
        username=username,
        password=password,
        actor=None,
    )
    assert sync_connection(connection.pk)
    context = browser.new_context(**PHONES["pixel"])
    page = context.new_page()
    page.profile = "pixel"
    try:
        sign_in(page, live_server, desk.admin, "calendars-admin")
        page.locator(".staff-nav").get_by_role("link", name="Calendar sync").click()
        page.wait_for_url("**" + reverse("staff:calendars-clinic"))
        assert page.get_by_role("heading", name="Alex Morgan").is_visible()
        assert page.locator("main .calendar-state--ok").count() == 1
        look(page, "calendars-admin-1-clinic", live_server)
        page.locator("main .link-line").get_by_role("link", name="My calendars").click()
        page.wait_for_url("**" + reverse("staff:calendars"))
        look(page, "calendars-admin-2-own-list", live_server)
    finally:
        context.close()


def test_the_calendar_pages_work_without_javascript_and_in_spanish(
    browser: Any, live_server: Any, desk: Desk, radicale: Radicale
) -> None:
    _calendar_url, username, password = radicale.new_calendar()
    with without_javascript(browser, PHONES["pixel"], "pixel-nojs-es") as page:
        sign_in(page, live_server, desk.alex.user, "calendars-nojs")
        page.goto(live_server.url + reverse("staff:calendars"))
        choose_language(page, "es")
        page.wait_for_url("**" + reverse("staff:calendars"))
        look(page, "calendars-nojs-1-list", live_server)
        page.locator("#id_caldav-url").fill(radicale.base + "/")
        page.locator("#id_caldav-username").fill(username)
        page.locator("#id_caldav-password").fill(password)
        with page.expect_navigation():
            page.locator("#caldav-heading ~ form button[type=submit]").click()
        connection = Connection.objects.get(practitioner=desk.alex)
        assert page.url.endswith(reverse("staff:calendar", args=[connection.pk]))
        assert sync_connection(connection.pk)
        page.reload()
        look(page, "calendars-nojs-2-detail", live_server)
        pause = page.locator(f'form[action="{reverse("staff:calendar-pause", args=[connection.pk])}"] button')
        with page.expect_navigation():
            pause.click()
        assert Connection.objects.get(pk=connection.pk).paused
        look(page, "calendars-nojs-3-paused", live_server)
        with page.expect_navigation():
            page.locator(f'a[href="{reverse("staff:calendar-remove", args=[connection.pk])}"]').click()
        look(page, "calendars-nojs-4-remove", live_server)
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        assert not Connection.objects.filter(pk=connection.pk).exists()
        look(page, "calendars-nojs-5-list", live_server)
        assert_no_english_left(page)
