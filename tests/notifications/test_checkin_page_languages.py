"""The check-in pages in Spanish and French: the form, its errors, the thanks, and the refusals."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.test import Client

from accounts.models import Patient
from booking.models import Appointment, Clinic, Practitioner
from notifications.checkin import make_token
from tests.booking.factories import insert_appointment, local, make_type
from tests.core.i18n import english_left_in

pytestmark = pytest.mark.django_db
SENT_AT = datetime(2026, 6, 3, 12, 0, tzinfo=UTC)
LANGUAGES = ["es", "fr"]
# The visit: Monday 1 June 2026, 10:00 in London.
VISIT_DAY = {"es": "lunes, 1 de junio de 2026, 10:00", "fr": "lundi 1 juin 2026, 10:00"}


@pytest.fixture(autouse=True)
def clock() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(SENT_AT, tick=False) as traveller:
        yield traveller


@pytest.fixture
def appointment(patient: Patient, clinic: Clinic, physio: Practitioner) -> Appointment:
    needling = make_type(clinic, minutes=30, needling=True, name="Dry needling")
    return insert_appointment(
        patient, physio, needling, local(clinic, date(2026, 6, 1), "10:00"), status=Appointment.Status.COMPLETED
    )


@pytest.fixture
def url(appointment: Appointment) -> str:
    return f"/checkin/{make_token(appointment)}/"


def page(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_check_in_form_reads_in_the_browsers_language(client: Client, url: str, language: str) -> None:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)

    html = page(response)
    assert response.status_code == 200
    assert f'lang="{language}"' in html
    assert english_left_in(html) == []
    assert VISIT_DAY[language] in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_form_errors_read_in_the_browsers_language(client: Client, url: str, language: str) -> None:
    response = client.post(url, {"notes": ""}, HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 400
    html = page(response)
    assert english_left_in(html) == []
    assert {"es": "Elija cuánto dolor tiene ahora", "fr": "Choisissez votre douleur actuelle"}[language] in html


@pytest.mark.parametrize("red_flag", [True, False], ids=["red-flag", "no-red-flag"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_thanks_read_in_the_browsers_language(client: Client, url: str, language: str, red_flag: bool) -> None:
    effects = ["chest_pain"] if red_flag else ["bruising"]
    answered = client.post(url, {"pain_now": "3", "side_effects": effects, "notes": ""}, HTTP_ACCEPT_LANGUAGE=language)
    assert answered.status_code == 302

    html = page(client.get(answered["Location"], HTTP_ACCEPT_LANGUAGE=language))

    assert english_left_in(html) == []
    assert VISIT_DAY[language] in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_broken_or_expired_link_is_explained_in_the_browsers_language(
    client: Client, url: str, language: str, clock: time_machine.Traveller
) -> None:
    broken = client.get(url[:-3] + "xx/", HTTP_ACCEPT_LANGUAGE=language)
    assert broken.status_code == 400
    assert english_left_in(page(broken)) == []

    clock.shift(timedelta(days=30))
    expired = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert expired.status_code == 410
    assert english_left_in(page(expired)) == []
    assert {"es": "Este enlace ha caducado", "fr": "Ce lien a expiré"}[language] in page(expired)
