"""The practitioner workspace in real Chromium, on a phone and on a desk: TOTP sign-in
with a code computed from the enrolled secret (as an authenticator app would), the
week, approving a review, completing a session with notes, and the pain chart.
Every page is checked with axe-core and kept as a screenshot."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.models import Patient, User
from booking.models import Appointment
from care import services as care_services
from care import symptoms
from care.services import NoteInput
from consent.models import ScreeningReview
from tests.accounts.factories import make_patient, make_staff
from tests.booking.factories import insert_appointment
from tests.browser.kit import PHONES, without_javascript
from tests.browser.staff import look, sign_in
from tests.workspace.factories import CLEAR, REVIEW, Desk, make_desk, screen_and_sign

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
Status = Appointment.Status

DEVICES = {
    "pixel": PHONES["pixel"],
    "desktop": {"viewport": {"width": 1280, "height": 900}, "device_scale_factor": 1},
}


@pytest.fixture(params=sorted(DEVICES))
def device(request: pytest.FixtureRequest, browser: Any) -> Iterator[Any]:
    context = browser.new_context(**DEVICES[request.param])
    page = context.new_page()
    page.profile = request.param
    yield page
    context.close()


@dataclass
class Workspace:
    desk: Desk
    pending: Appointment
    started: Appointment


def _sign(desk: Desk, patient: Patient, start: datetime, answers: dict[str, str]) -> Appointment:
    """A visit at any time of day: inserted as a live hold, then screened and signed
    through the real consent flow (the slot grid would refuse a visit that has begun)."""
    held = insert_appointment(
        patient,
        desk.alex,
        desk.needling,
        start,
        status=Status.HELD,
        hold_expires_at=timezone.now() + timedelta(minutes=10),
    )
    screen_and_sign(desk, patient, held, answers, visit_day=start.date(), user_agent="playwright")
    return Appointment.objects.get(pk=held.pk)


def _earlier_session(desk: Desk, patient: Patient, days_ago: int, before: int, after: int) -> None:
    start = timezone.now().replace(second=0, microsecond=0) - timedelta(days=days_ago)
    visit = insert_appointment(patient, desk.alex, desk.plain, start)
    note = NoteInput(pain_before=before, pain_after=after, regions=["upper_back"], adverse_events=[])
    care_services.record_note_and_complete(visit, author=desk.alex.user, note=note)


@pytest.fixture
def workspace(transactional_db: None) -> Workspace:
    desk = make_desk(make_staff(User.Role.CLINIC_ADMIN, "admin@example.com"))
    robin = make_patient("robin@example.com", legal_name="Robin Clear")
    now = timezone.now().replace(second=0, microsecond=0)
    _earlier_session(desk, robin, 14, 8, 6)
    _earlier_session(desk, robin, 7, 6, 4)
    last = Appointment.objects.filter(patient=robin).latest("start")
    symptoms.record_symptoms(last, pain_now=3, side_effects=["bruising"])
    started = _sign(desk, robin, now - timedelta(minutes=20), CLEAR)
    sam = make_patient("sam@example.com", legal_name="Sam Review")
    pending = _sign(desk, sam, now + timedelta(days=1), REVIEW)
    assert (started.status, pending.status) == (Status.CONFIRMED, Status.PENDING_REVIEW)
    return Workspace(desk, pending, started)


def test_a_practitioner_signs_in_with_totp_and_sees_today_and_the_week(
    device: Any, live_server: Any, workspace: Workspace
) -> None:
    sign_in(device, live_server, workspace.desk.alex.user, "staff")

    assert device.get_by_role("heading", level=1).inner_text().startswith("Today, ")
    assert device.get_by_role("link", name="Robin Clear").first.is_visible()
    assert device.get_by_text("Consent signed").first.is_visible()
    assert device.get_by_role("link", name="1 screening waiting for your review").is_visible()
    look(device, "staff-3-today", live_server)

    device.get_by_role("link", name="Week", exact=True).click()
    device.wait_for_url("**/staff/week/")
    look(device, "staff-4-week", live_server)
    columns = device.evaluate("getComputedStyle(document.querySelector('.week')).gridTemplateColumns.split(' ').length")
    assert columns == (7 if device.profile == "desktop" else 1), "a grid on a desk, a list on a phone"


def test_a_practitioner_approves_a_review(device: Any, live_server: Any, workspace: Workspace) -> None:
    sign_in(device, live_server, workspace.desk.alex.user, "staff-review")

    device.get_by_role("link", name="Reviews", exact=True).click()
    device.wait_for_url("**/staff/reviews/")
    look(device, "staff-review-3-queue", live_server)
    device.get_by_role("link", name="Sam Review").click()
    device.wait_for_url(f"**/staff/appointments/{workspace.pending.pk}/**")
    assert device.get_by_text("Your practitioner will check this.").first.is_visible()
    look(device, "staff-review-4-appointment", live_server)

    device.get_by_role("button", name="Approve").click()
    device.wait_for_load_state("load")
    assert device.get_by_text("Write a note explaining your decision.").first.is_visible()
    look(device, "staff-review-5-note-missing", live_server)
    device.get_by_label("Your note").fill("Diabetes well controlled; warfarin: firm pressure after needling.")
    device.get_by_role("button", name="Approve").click()

    device.wait_for_url("**/staff/reviews/")
    assert device.get_by_text("Nothing is waiting for review.").is_visible()
    look(device, "staff-review-6-done", live_server)
    workspace.pending.refresh_from_db()
    assert workspace.pending.status == Status.CONFIRMED
    assert ScreeningReview.objects.get().decision == "approved"


def test_a_practitioner_completes_a_session_with_notes_and_sees_the_pain_trend(
    device: Any, live_server: Any, workspace: Workspace
) -> None:
    sign_in(device, live_server, workspace.desk.alex.user, "staff-session")
    visit = workspace.started

    device.goto(f"{live_server.url}/staff/appointments/{visit.pk}/")
    chart = device.locator("svg.pain-chart__svg")
    assert chart.is_visible()
    assert chart.get_attribute("role") == "img"
    assert device.get_by_role("table").filter(has_text="Pain scores (0 to 10)").is_visible()
    look(device, "staff-session-3-appointment", live_server)
    device.get_by_role("button", name="Mark arrived").click()
    device.wait_for_load_state("load")
    assert device.get_by_text("Marked arrived.").is_visible()

    device.get_by_role("link", name="Write session notes").click()
    device.wait_for_url("**/notes/")
    device.get_by_label("Pain before the session").fill("12")
    device.get_by_label("Pain after the session").fill("2")
    device.get_by_label("Upper back").check()
    device.get_by_role("button", name="Save and mark completed").click()
    device.wait_for_load_state("load")
    assert device.get_by_text("Pain scores run from 0 to 10.").first.is_visible()
    look(device, "staff-session-4-notes-error", live_server)

    device.get_by_label("Pain before the session").fill("6")
    device.get_by_label("Bruising").check()
    device.get_by_label("Exercises prescribed").fill("Thoracic rotations, 2 x 10 a day.")
    device.get_by_label("I confirmed the patient's consent in person before needling").check()
    device.get_by_role("button", name="Save and mark completed").click()

    device.wait_for_url(f"**/staff/appointments/{visit.pk}/")
    assert device.get_by_text("Notes saved; session marked completed.").is_visible()
    assert device.get_by_text("Reconfirmed in person").is_visible()
    assert device.locator(".pain-chart__point--meaningful").count() >= 3
    look(device, "staff-session-5-completed", live_server)
    visit.refresh_from_db()
    assert visit.status == Status.COMPLETED


def test_the_workspace_works_without_javascript(browser: Any, live_server: Any, workspace: Workspace) -> None:
    with without_javascript(browser, DEVICES["desktop"], "desktop-nojs") as page:
        sign_in(page, live_server, workspace.desk.alex.user, "staff-nojs")
        page.goto(f"{live_server.url}/staff/week/")
        look(page, "staff-nojs-week", live_server)
        monday, sunday = (page.locator(".week__day").nth(i).bounding_box() for i in (0, 6))
        assert monday["y"] == sunday["y"] and sunday["x"] > monday["x"], "seven columns side by side"
        page.goto(f"{live_server.url}/staff/appointments/{workspace.pending.pk}/")
        page.get_by_label("Your note").fill("Reviewed in clinic; fine to needle.")
        page.get_by_role("button", name="Approve").click()
        page.wait_for_url("**/staff/reviews/")
        workspace.pending.refresh_from_db()
        assert workspace.pending.status == Status.CONFIRMED


def test_every_other_workspace_page_passes_axe(device: Any, live_server: Any, workspace: Workspace) -> None:
    sign_in(device, live_server, workspace.desk.alex.user, "staff-pages")
    visit = workspace.pending.pk
    pages = {
        "schedule": "/staff/schedule/",
        "hours": "/staff/schedule/hours/",
        "credentials": "/staff/credentials/",
        "feed": "/staff/feed/",
        "consent": f"/staff/appointments/{visit}/consent/",
        "move": f"/staff/appointments/{visit}/move/",
        "cancel": f"/staff/appointments/{visit}/cancel/",
    }
    for name, path in pages.items():
        device.goto(live_server.url + path)
        look(device, f"staff-pages-{name}", live_server)

    device.goto(live_server.url + "/staff/schedule/hours/")
    device.locator("#id_hours-0-end").fill("08:00")
    device.get_by_role("button", name="Save working hours").click()
    device.wait_for_load_state("load")
    assert device.get_by_text("The end must be after the start.").first.is_visible()
    look(device, "staff-pages-hours-error", live_server)

    device.goto(live_server.url + "/staff/feed/")
    device.get_by_role("button", name="Turn the feed on").click()
    device.wait_for_load_state("load")
    feed_url = device.get_by_label("Feed address").input_value()
    assert feed_url.startswith(settings.SITE_URL + "/staff/feed/") and feed_url.endswith(".ics")
    look(device, "staff-pages-feed-on", live_server)
    feed = device.request.get(live_server.url + feed_url.removeprefix(settings.SITE_URL))
    assert feed.ok and "R.C. · Follow-up dry needling" in feed.text()
