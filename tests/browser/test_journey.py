"""The whole booking journey on a phone (iPhone and Pixel sizes), for a clear, a review
and a blocked patient, a guardian booking for a child, and a hold that runs out. Every
page is checked with axe-core and kept as a screenshot."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from booking.models import Appointment
from consent.models import SignedConsent
from tests.accounts.factories import make_patient
from tests.booking.pages import Journey, expire, make_journey_clinic
from tests.browser.journey import (
    answer_health_questions,
    assert_same_host,
    choose_a_time,
    give_details,
    look,
    record_hosts,
    sign_consent,
    sign_in_with_code,
)
from tests.browser.kit import PHONES, without_javascript

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
Status = Appointment.Status
NEEDLING = "Follow-up dry needling"


@pytest.fixture
def clinic(transactional_db: None) -> Journey:
    return make_journey_clinic(demo_content=True)


def book_needling_until_consent(
    page: Any, live_server: Any, prefix: str, email: str, *, mistakes: bool = False, **answers: str
) -> None:
    choose_a_time(page, live_server, prefix, NEEDLING)
    page.wait_for_url("**/signin/**")
    sign_in_with_code(page, email, live_server, f"{prefix}-5")
    page.wait_for_url("**/hold/**")
    look(page, f"{prefix}-5c-hold", live_server)
    page.get_by_role("button", name="Hold this time").click()
    give_details(
        page, live_server, prefix, name="Robin Clear", born="1985-04-02", phone="+447911123456", mistakes=mistakes
    )
    answer_health_questions(page, live_server, prefix, **answers)


def test_a_clear_patient_books_from_the_home_page_to_a_confirmation(
    phone: Any, live_server: Any, clinic: Journey
) -> None:
    hosts = record_hosts(phone)
    book_needling_until_consent(phone, live_server, "clear", "robin@example.com", mistakes=True)
    assert phone.locator("[data-hold-left]").inner_text().startswith("Time left:"), "the countdown runs"

    sign_consent(phone, live_server, "clear", typed_name="Robin Clear")

    phone.wait_for_url("**/appointments/*/")
    assert phone.get_by_role("heading", level=1).inner_text() == "You're booked"
    assert phone.get_by_role("link", name="Add to calendar (.ics)").is_visible()
    assert phone.get_by_role("heading", name="What happens next").is_visible()
    look(phone, "clear-9-booked", live_server)
    appointment = Appointment.objects.get()
    assert appointment.status == Status.CONFIRMED
    assert "<path" in SignedConsent.objects.get().signature_svg, "the drawn signature was kept"
    phone.get_by_role("link", name="My appointments", exact=True).click()
    look(phone, "clear-10-my-appointments", live_server)
    assert phone.get_by_text("Confirmed", exact=True).is_visible()
    assert_same_host(hosts, live_server)


def test_a_review_patient_is_told_their_practitioner_will_check_and_waits(
    phone: Any, live_server: Any, clinic: Journey
) -> None:
    book_needling_until_consent(phone, live_server, "review", "robin@example.com", diabetes="yes")
    assert phone.get_by_text("Your practitioner will check some answers").is_visible()

    sign_consent(phone, live_server, "review", typed_name="Robin Clear", draw=False)

    phone.wait_for_url("**/appointments/*/")
    assert phone.get_by_text("your practitioner will check your answers before confirming").is_visible()
    assert phone.get_by_text("You told us you have diabetes.").is_visible()
    look(phone, "review-9-pending", live_server)
    assert Appointment.objects.get().status == Status.PENDING_REVIEW


def test_a_blocked_patient_is_told_why_and_offered_an_assessment_without_needles(
    phone: Any, live_server: Any, clinic: Journey
) -> None:
    book_needling_until_consent(phone, live_server, "blocked", "robin@example.com", lymphoedema="yes")

    phone.wait_for_url("**/not-suitable/**")
    assert phone.get_by_role("heading", level=1).inner_text() == "Dry needling is not right for you now"
    assert phone.get_by_text("Needles must not be used in an arm, leg or area with lymphoedema.").is_visible()
    assert phone.get_by_role("link", name="+44 117 496 0123").is_visible()
    look(phone, "blocked-8-not-suitable", live_server)
    phone.get_by_role("link", name="Assessment without needling").click()

    phone.wait_for_url("**/times/**")
    look(phone, "blocked-9-times-without-needles", live_server)
    assert Appointment.objects.get().status == Status.CANCELLED
    assert not SignedConsent.objects.exists()


def test_a_guardian_books_for_a_child_who_agrees(phone: Any, live_server: Any, clinic: Journey) -> None:
    born = timezone.localdate() - timedelta(days=365 * 13)
    make_patient("sam@example.com", legal_name="Sam Young", date_of_birth=born, phone="+447911123456")
    choose_a_time(phone, live_server, "guardian", NEEDLING)
    sign_in_with_code(phone, "sam@example.com", live_server, "guardian-5")
    phone.get_by_role("button", name="Hold this time").click()
    give_details(phone, live_server, "guardian", name="Sam Young", born=born.isoformat(), phone="+447911123456")
    answer_health_questions(phone, live_server, "guardian")

    phone.wait_for_url("**/consent/**")
    assert phone.get_by_role("group", name="Parent or guardian").is_visible()
    phone.get_by_label("How are you related to Sam Young?").fill("Father")
    sign_consent(phone, live_server, "guardian", typed_name="Chris Young", draw=False)

    phone.wait_for_url("**/appointments/*/")
    look(phone, "guardian-9-pending", live_server)
    consent = SignedConsent.objects.get()
    assert (consent.signer_role, consent.typed_name, consent.minor_assent) == ("guardian", "Chris Young", True)
    assert Appointment.objects.get().status == Status.PENDING_REVIEW


def test_a_hold_that_runs_out_is_explained_with_the_next_free_times(
    phone: Any, live_server: Any, clinic: Journey
) -> None:
    choose_a_time(phone, live_server, "expired", NEEDLING)
    sign_in_with_code(phone, "robin@example.com", live_server, "expired-5")
    phone.get_by_role("button", name="Hold this time").click()
    phone.wait_for_url("**/details/")
    first = Appointment.objects.get()
    expire(first)

    phone.get_by_label("Full legal name").fill("Robin Clear")
    phone.get_by_label("Date of birth").fill("1985-04-02")
    phone.get_by_label("Mobile number").fill("+447911123456")
    phone.get_by_role("button", name="Continue").click()

    phone.wait_for_url("**/appointments/*/")
    assert phone.get_by_role("heading", level=1).inner_text() == "The time we held for you has run out"
    look(phone, "expired-7-run-out", live_server)
    phone.locator(".time-button").nth(1).click()  # the first may just have passed the notice limit
    phone.wait_for_url("**/details/")
    assert phone.get_by_text("We are holding this time for you").is_visible()
    assert Appointment.objects.filter(status=Status.HELD).exclude(pk=first.pk).count() == 1


def test_the_journey_works_without_javascript(browser: Any, live_server: Any, clinic: Journey) -> None:
    with without_javascript(browser, PHONES["iphone"], "iphone-nojs") as page:
        choose_a_time(page, live_server, "nojs", NEEDLING)
        sign_in_with_code(page, "robin@example.com", live_server, "nojs-5")
        page.get_by_role("button", name="Hold this time").click()
        give_details(page, live_server, "nojs", name="Robin Clear", born="1985-04-02", phone="+447911123456")
        answer_health_questions(page, live_server, "nojs")
        page.wait_for_url("**/consent/**")
        assert not page.locator("canvas.signature__pad").is_visible(), "no canvas without JavaScript"
        sign_consent(page, live_server, "nojs", typed_name="Robin Clear", draw=False)
        page.wait_for_url("**/appointments/*/")
        assert page.get_by_role("heading", level=1).inner_text() == "You're booked"
        look(page, "nojs-9-booked", live_server)
