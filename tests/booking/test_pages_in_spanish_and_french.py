"""Every page of the patient's journey reads in Spanish and in French: no sentence of the
catalogues left in English, and `<html lang>` says which language the page is in. Anonymous
pages follow the browser's Accept-Language; a signed-in patient's pages follow their choice."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Patient
from booking.models import Appointment
from booking.views.common import slot_code
from core import formats
from tests.accounts.factories import make_patient
from tests.booking.factories import make_clinic, make_practitioner, make_type
from tests.booking.pages import (
    ANSWERS_BLOCK,
    ANSWERS_REVIEW,
    DETAILS,
    Journey,
    book_needling,
    expire,
    free_slots,
    held,
    hold,
    later_slots,
    screening_id,
    sign_in,
    signature,
)
from tests.core.i18n import english_left_in

pytestmark = pytest.mark.django_db
LANGUAGES = ["es", "fr"]


def check(pages: dict[str, Any], name: str, response: Any, language: str, status: int = 200) -> None:
    assert response.status_code == status, (name, response.status_code)
    pages[name] = response.content.decode()


def assert_translated(pages: dict[str, str], language: str) -> None:
    left = {name: english_left_in(html) for name, html in pages.items()}
    assert {name: found for name, found in left.items() if found} == {}
    wrong_lang = [name for name, html in pages.items() if f'<html lang="{language}"' not in html]
    assert wrong_lang == []


def speaking(language: str, **fields: Any) -> Patient:
    patient = make_patient(**fields)
    patient.user.language = language
    patient.user.save(update_fields=["language"])
    return patient


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_pages_anyone_sees_follow_the_browsers_language(client: Client, journey: Journey, language: str) -> None:
    kind = journey.needling
    pages: dict[str, str] = {}
    browser = {"HTTP_ACCEPT_LANGUAGE": language}
    check(pages, "home", client.get("/", **browser), language)
    check(pages, "treatments", client.get("/book/", **browser), language)
    check(pages, "practitioners", client.get(f"/book/{kind.pk}/", **browser), language)
    check(pages, "times", client.get(f"/book/{kind.pk}/times/?practitioner=any", **browser), language)
    check(pages, "404", client.get("/no-such-page/", **browser), language, status=404)

    assert_translated(pages, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_booking_step_by_step_reads_in_the_patients_language(client: Client, journey: Journey, language: str) -> None:
    patient = speaking(language, time_zone="America/New_York")  # the "(... your time)" suffix too
    sign_in(client, patient)
    kind = journey.needling
    pages: dict[str, str] = {}
    slot = free_slots(kind)[0]
    check(pages, "hold choice", client.get(f"/book/{kind.pk}/hold/any/{slot_code(slot.start)}/"), language)
    hold(client, kind, slot)
    pk = held(patient).pk
    check(pages, "details", client.get(f"/appointments/{pk}/details/"), language)
    check(pages, "details refused", client.post(f"/appointments/{pk}/details/", {}), language)
    client.post(f"/appointments/{pk}/details/", DETAILS)
    check(pages, "screening", client.get(f"/appointments/{pk}/screening/"), language)
    check(pages, "screening refused", client.post(f"/appointments/{pk}/screening/", {}), language)
    answered = client.post(f"/appointments/{pk}/screening/", ANSWERS_REVIEW)
    consent_url = f"/appointments/{pk}/consent/?screening={screening_id(answered)}"
    check(pages, "consent", client.get(consent_url), language)
    refused = client.post(consent_url, {"screening": screening_id(answered), "typed_name": ""})
    check(pages, "consent refused", refused, language)
    client.post(consent_url, {"screening": screening_id(answered), **signature()})
    check(pages, "waiting for review", client.get(f"/appointments/{pk}/"), language)
    check(pages, "my appointments", client.get("/appointments/"), language)

    assert "Pat Example" in pages["consent"]  # the form itself came back, not a redirect
    assert_translated(pages, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_booked_visit_and_its_changes_read_in_the_patients_language(
    client: Client, journey: Journey, language: str
) -> None:
    patient = speaking(language)
    sign_in(client, patient)
    booked = book_needling(client, journey, patient)
    assert booked.status == Appointment.Status.CONFIRMED
    pages: dict[str, str] = {}
    check(pages, "appointment", client.get(f"/appointments/{booked.pk}/"), language)
    check(pages, "cancel", client.get(f"/appointments/{booked.pk}/cancel/"), language)
    # The first free time is inside the cancellation window: moving it is refused, in words.
    check(pages, "too late to move", client.get(f"/appointments/{booked.pk}/reschedule/", follow=True), language)
    check(pages, "withdraw", client.get(f"/consents/{booked.consent_id}/withdraw/"), language)
    check(
        pages,
        "withdraw refused",
        client.post(f"/consents/{booked.consent_id}/withdraw/", {"note": "x" * 3000}),
        language,
    )

    # A later visit with the same practitioner: "has your health changed?"
    later = next(s for s in later_slots(journey) if s.start > booked.end + timedelta(days=1))
    hold(client, journey.needling, later, who=str(booked.practitioner_id), token="later-visit-0123456789")
    second = held(patient)
    client.post(f"/appointments/{second.pk}/details/", DETAILS)
    check(pages, "health", client.get(f"/appointments/{second.pk}/health/"), language)
    check(pages, "health refused", client.post(f"/appointments/{second.pk}/health/", {}), language)
    check(pages, "my appointments", client.get("/appointments/"), language)
    client.post(f"/appointments/{second.pk}/health/", {"changed": "no"})
    check(pages, "reschedule", client.get(f"/appointments/{second.pk}/reschedule/"), language)
    check(pages, "cancelled", client.post(f"/appointments/{second.pk}/cancel/", follow=True), language)
    check(pages, "cancelled appointment", client.get(f"/appointments/{second.pk}/"), language)

    assert_translated(pages, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_journeys_dead_ends_read_in_the_patients_language(client: Client, journey: Journey, language: str) -> None:
    patient = speaking(language)
    sign_in(client, patient)
    pages: dict[str, str] = {}
    slots = free_slots(journey.needling)
    hold(client, journey.needling, slots[0])
    pk = held(patient).pk
    client.post(f"/appointments/{pk}/details/", DETAILS)
    blocked = client.post(f"/appointments/{pk}/screening/", ANSWERS_BLOCK)
    check(pages, "not suitable", client.get(blocked["Location"]), language)

    hold(client, journey.needling, slots[1], token="expiring-0123456789")
    expiring = held(patient)
    expire(expiring)
    check(pages, "hold expired", client.get(f"/appointments/{expiring.pk}/"), language)

    unready = make_clinic(name="Quiet Clinic", phone="+44 117 496 0999")
    needling = make_type(unready, minutes=30, needling=True, name="Dry needling")
    make_practitioner(unready, weekdays=range(7))
    hold(client, needling, free_slots(needling)[0], token="unready-0123456789")
    unready_pk = held(patient).pk
    client.post(f"/appointments/{unready_pk}/details/", DETAILS)
    check(pages, "not ready", client.get(f"/appointments/{unready_pk}/screening/"), language, status=503)
    check(pages, "404", client.get("/appointments/999999/"), language, status=404)

    assert_translated(pages, language)


def test_the_times_page_names_the_days_in_spanish_in_spanish_order(client: Client, journey: Journey) -> None:
    page = client.get(f"/book/{journey.plain.pk}/times/?practitioner=any", HTTP_ACCEPT_LANGUAGE="es").content.decode()

    heading = re.search(r'<h2 id="times-heading">Horas libres el ([^<]+)</h2>', page)
    assert heading, page[page.find("times-heading") - 200 :][:600]
    # Spanish writes the weekday, a comma, then "8 de diciembre": never "martes 8 diciembre".
    assert re.fullmatch(r"(lunes|martes|miércoles|jueves|viernes|sábado|domingo), \d{1,2} de [a-z]+", heading[1])
    today = timezone.localdate(timezone=journey.clinic.zone)
    assert f'<span class="day__name">{formats.short_weekday(today, "es")}</span>' in page
    assert f'<span class="day__date">{formats.short_day_month(today, "es")}</span>' in page
    assert re.search(r"<h3>(Mañana|Tarde|Noche)</h3>", page)


def test_the_times_page_in_english_keeps_english_words_and_order(client: Client, journey: Journey) -> None:
    page = client.get(f"/book/{journey.plain.pk}/times/?practitioner=any").content.decode()

    heading = re.search(r'<h2 id="times-heading">Free times on ([^<]+)</h2>', page)
    assert heading and re.fullmatch(r"[A-Z][a-z]+day \d{1,2} [A-Z][a-z]+", heading[1]), heading
    assert re.search(r"<h3>(Morning|Afternoon|Evening)</h3>", page)


@pytest.mark.parametrize(
    ("language", "lang", "name"),
    [("en-GB", "en-GB", "Acus — dry needling bookings"), ("es", "es", "Acus: reservas de punción seca")],
)
def test_the_web_app_manifest_names_acus_in_the_readers_language(
    client: Client, language: str, lang: str, name: str
) -> None:
    manifest = client.get("/manifest.webmanifest", HTTP_ACCEPT_LANGUAGE=language).json()

    assert manifest["lang"] == lang and manifest["name"] == name
    assert "Accept-Language" in client.get("/manifest.webmanifest")["Vary"]
