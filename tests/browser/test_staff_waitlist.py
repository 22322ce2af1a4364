"""The staff waitlist on a phone, in real Chromium: a practitioner signs in with password and
TOTP, opens the waitlist from the staff navigation, picks tomorrow, sees the patients waiting in
joining order with the free times to offer and the freed time's offers, then one patient's offer
history; a clinic admin reads the waitlist results. Every page passes axe-core, has no
horizontal scrolling at 320 px and 44 px touch targets, and is kept as a screenshot."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from accounts.models import User
from tests.accounts.factories import make_patient, make_staff
from tests.browser.journey import look_at
from tests.browser.staff import sign_in
from tests.workspace.factories import Desk, make_desk
from tests.workspace.waitlist_rows import make_entry, make_freed, make_offer
from waitlist.models import Entry, Offer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TARGET = 44  # used on a phone between patients: the patients' pages' size


@pytest.fixture
def waiting(transactional_db: None) -> tuple[Desk, Entry]:
    """Two patients waiting for Alex's time tomorrow, and a time freed tomorrow already offered."""
    desk = make_desk(make_staff(User.Role.CLINIC_ADMIN, "admin@example.com"))
    tomorrow = timezone.localdate(timezone=desk.clinic.zone) + timedelta(days=1)
    robin = make_entry(
        desk,
        make_patient("robin@example.com", legal_name="Robin Early"),
        practitioner=desk.alex,
        first=tomorrow,
        last=tomorrow + timedelta(days=7),
        joined_minutes_ago=600,
        parts_of_day=["morning"],
    )
    make_entry(
        desk,
        make_patient("sam@example.com", legal_name="Sam Later"),
        first=tomorrow,
        last=tomorrow + timedelta(days=7),
        joined_minutes_ago=60,
    )
    now = timezone.now()
    slot = make_freed(desk.alex, desk.at("16:00", tomorrow), freed_at=now - timedelta(hours=1))
    make_offer(slot, robin, status=Offer.Status.EXPIRED, sent_at=now - timedelta(minutes=59), ended_at=now)
    return desk, robin


def test_a_practitioner_reads_the_waitlist_on_a_phone(
    phone: Any, live_server: Any, waiting: tuple[Desk, Entry]
) -> None:
    desk, robin = waiting
    tomorrow = robin.first_day
    sign_in(phone, live_server, desk.alex.user, "waitlist")

    phone.goto(f"{live_server.url}/staff/today/")
    phone.get_by_role("link", name="Waitlist", exact=True).click()
    phone.wait_for_url("**/staff/waitlist/")
    look_at(phone, "waitlist-3-today", live_server, target=TARGET)

    phone.get_by_label("Day", exact=True).fill(tomorrow.isoformat())
    phone.get_by_role("button", name="Show").click()
    phone.wait_for_url(f"**/staff/waitlist/?day={tomorrow.isoformat()}*")
    look_at(phone, "waitlist-4-tomorrow", live_server, target=TARGET)
    names = phone.locator(".waitlist__entry h3").all_inner_texts()
    assert names == ["Robin Early", "Sam Later"]
    assert phone.get_by_label("Time to offer: Robin Early").locator("option").count() > 0
    assert phone.get_by_role("button", name=re.compile(r"^Offer this time\s*: Sam Later$")).is_visible()
    assert phone.get_by_role("region", name="Offers of the time at 16:00").is_visible()

    phone.get_by_role("link", name=re.compile(r"^Offers made\s*: Robin Early$")).click()
    phone.wait_for_url("**/staff/waitlist/offers/?entry=*")
    assert phone.get_by_role("heading", name="Offers made to Robin Early").is_visible()
    look_at(phone, "waitlist-5-offers", live_server, target=TARGET)


def test_a_clinic_admin_reads_the_waitlist_results_on_a_phone(
    phone: Any, live_server: Any, waiting: tuple[Desk, Entry]
) -> None:
    desk, _ = waiting
    sign_in(phone, live_server, desk.admin, "waitlist-results")

    phone.goto(f"{live_server.url}/staff/today/")
    phone.get_by_role("link", name="Waitlist results").click()
    phone.wait_for_url("**/staff/waitlist/stats/")
    assert phone.get_by_text("No freed times in this period.").is_visible() is False
    look_at(phone, "waitlist-results-3", live_server, target=TARGET)
    phone.get_by_label("From").fill("2020-01-01")
    phone.get_by_label("To").fill("2020-01-31")
    phone.get_by_role("button", name="Show").click()
    phone.wait_for_url("**/staff/waitlist/stats/?*")
    assert phone.get_by_text("No freed times in this period.").is_visible()
    look_at(phone, "waitlist-results-4-empty", live_server, target=TARGET)
