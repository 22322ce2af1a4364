"""The check-in page in Chromium at phone sizes: the advice shows as soon as a red flag is
ticked, the page passes axe, and its choices are 44 px targets."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from accounts.models import Patient
from booking.models import Appointment, Clinic, Practitioner, SymptomReport
from notifications.checkin import make_token
from notifications.models import Kind, Notification
from tests.booking.factories import insert_appointment, make_type
from tests.browser.kit import assert_accessible, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def link(patient: Patient, clinic: Clinic, physio: Practitioner) -> str:
    needling = make_type(clinic, minutes=30, needling=True, name="Dry needling")
    start = (timezone.now() - timedelta(days=2)).replace(minute=0, second=0, microsecond=0)
    visit = insert_appointment(patient, physio, needling, start, status=Appointment.Status.COMPLETED)
    return f"/checkin/{make_token(visit)}/"


def test_ticking_a_red_flag_shows_the_emergency_advice_at_once(phone: Any, live_server: Any, link: str) -> None:
    phone.set_viewport_size({"width": 320, "height": 640})
    phone.goto(live_server.url + link)
    advice = phone.locator("#emergency-advice")
    breathless = phone.get_by_label("Shortness of breath or pain when breathing in")

    assert advice.is_hidden()
    breathless.check()
    assert advice.is_visible()
    assert advice.get_attribute("role") == "alert"
    breathless.uncheck()
    assert advice.is_hidden()

    for label in ("0 (no pain)", "7", "New chest pain"):
        box = phone.locator(".choice", has=phone.get_by_label(label, exact=True)).bounding_box()
        assert box["height"] >= 44, f"{label}: a 44 px target"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(phone)

    phone.get_by_label("New chest pain").check()
    screenshot(phone, "checkin")
    phone.get_by_label("7", exact=True).check()
    phone.get_by_role("button", name="Send").click()

    phone.wait_for_url(f"**{link}done/")
    assert phone.get_by_role("alert").inner_text().startswith("Get emergency care now")
    screenshot(phone, "checkin-red-flag")
    assert_accessible(phone)
    assert SymptomReport.objects.get().red_flag
    assert Notification.objects.filter(kind=Kind.PRACTITIONER_ALERT).count() == 1


def test_the_form_with_a_missing_pain_score_passes_axe(phone: Any, live_server: Any, link: str) -> None:
    phone.goto(live_server.url + link)
    phone.get_by_role("button", name="Send").click()

    assert phone.get_by_role("alert").filter(has_text="There is a problem").is_visible()
    assert_accessible(phone)
    assert not SymptomReport.objects.exists()
