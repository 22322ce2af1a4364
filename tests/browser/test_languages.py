"""The booking journey in Spanish and in French on a phone, as issue 17 asks: one patient's
browser asks for Spanish (Accept-Language), another patient chooses French with the footer's
switcher (which works with JavaScript off too). Each books, signs in with the emailed code,
answers the health questions, signs the consent (the demo documents' reviewed translations)
and is told the booking is confirmed; every page has <html lang> in their language, passes
axe, and shows none of the catalogues' English sentences (tests/core/i18n.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation

from booking.models import Appointment
from consent.demo import seed_translations
from consent.models import ScreeningResponse, SignedConsent
from consent.selectors import current_form, current_questionnaire
from tests.booking.pages import Journey, make_journey_clinic
from tests.browser.journey import (
    ENGLISH,
    assert_no_english_left,
    book_screen_and_sign,
    choose_language,
    look,
    open_my_appointments,
)
from tests.browser.kit import PHONES, without_javascript

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def clinic(transactional_db: None) -> Journey:
    """The journey's clinic with the demo documents and their reviewed es and fr translations."""
    journey = make_journey_clinic(demo_content=True)
    form, questionnaire = current_form(journey.clinic.slug), current_questionnaire(journey.clinic.slug)
    assert form is not None and questionnaire is not None
    seed_translations(form, questionnaire)
    return journey


@pytest.fixture
def spanish_phone(browser: Any) -> Iterator[Any]:
    """An iPhone set to Spanish: it sends Accept-Language: es-ES."""
    context = browser.new_context(**PHONES["iphone"], locale="es-ES")
    page = context.new_page()
    page.profile, page.language = "iphone-es", "es"
    yield page
    context.close()


@pytest.fixture
def english_phone(browser: Any) -> Iterator[Any]:
    """A Pixel set to English: French only once its owner chooses it."""
    context = browser.new_context(**PHONES["pixel"], locale="en-GB")
    page = context.new_page()
    page.profile = "pixel-fr"
    yield page
    context.close()


def assert_booked_in(page: Any, language: str) -> None:
    with translation.override(language):
        booked = translation.gettext("You're booked")
    assert page.get_by_role("heading", level=1).inner_text() == booked
    assert Appointment.objects.get().status == Appointment.Status.CONFIRMED
    consent = SignedConsent.objects.get()
    assert (consent.typed_name, consent.language) == ("Robin Clear", language)
    assert consent.form_translation is not None, "they read and signed the reviewed translation"
    assert ScreeningResponse.objects.get().language == language, "they answered the translated questions"


def test_a_patient_whose_phone_asks_for_spanish_books_screens_and_signs_in_spanish(
    spanish_phone: Any, live_server: Any, clinic: Journey
) -> None:
    book_screen_and_sign(spanish_phone, live_server, "es", email="robin@example.com", treatment=clinic.needling.name)

    assert_booked_in(spanish_phone, "es")
    open_my_appointments(spanish_phone, live_server, "es")
    assert_no_english_left(spanish_phone)


def test_a_patient_who_chooses_french_books_screens_and_signs_in_french(
    english_phone: Any, live_server: Any, clinic: Journey
) -> None:
    english_phone.goto(live_server.url + "/")
    look(english_phone, "fr-0-home-in-english", live_server)
    choose_language(english_phone, "fr")
    assert english_phone.url == live_server.url + "/", "the switcher brings them back to the same page"

    book_screen_and_sign(english_phone, live_server, "fr", email="robin@example.com", treatment=clinic.needling.name)

    assert_booked_in(english_phone, "fr")
    open_my_appointments(english_phone, live_server, "fr")
    assert_no_english_left(english_phone)


def test_the_language_switcher_works_without_javascript(browser: Any, live_server: Any, clinic: Journey) -> None:
    with without_javascript(browser, PHONES["iphone"], "iphone-nojs") as page:
        page.goto(live_server.url + "/book/")
        look(page, "switch-nojs-1-english", live_server)

        choose_language(page, "fr")
        assert page.url == live_server.url + "/book/", "back on the same page"
        look(page, "switch-nojs-2-french", live_server)
        page.goto(live_server.url + "/signin/")
        look(page, "switch-nojs-3-still-french", live_server)
        assert_no_english_left(page)

        choose_language(page, ENGLISH)
        look(page, "switch-nojs-4-english-again", live_server)
