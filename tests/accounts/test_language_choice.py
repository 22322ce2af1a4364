"""Choosing a language: the switcher (a plain form POST), the patient's details page, and the
stored choice winning over the browser's, for patients and for staff."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client

from accounts.models import Patient, User
from tests.accounts.factories import make_staff
from tests.accounts.sign_in import verified_staff_client
from tests.core.i18n import english_left_in

pytestmark = pytest.mark.django_db
BACKEND = "django.contrib.auth.backends.ModelBackend"


def _lang_of(html: str) -> str:
    match = re.search(r'<html lang="([^"]+)"', html)
    assert match, html[:200]
    return match.group(1)


def test_the_switcher_changes_the_language_without_javascript() -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="en-GB")

    response = client.post("/language/", {"language": "fr", "next": "/signin/"})

    assert response.status_code == 302
    assert response["Location"] == "/signin/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    page = client.get("/signin/").content.decode()
    assert _lang_of(page) == "fr"
    assert "Nous vous enverrons un code" in page


def test_the_switcher_stores_the_choice_on_the_signed_in_person(client: Client, patient: Patient) -> None:
    client.force_login(patient.user, backend=BACKEND)

    client.post("/language/", {"language": "es", "next": "/account/"})

    patient.user.refresh_from_db()
    assert patient.user.language == "es"
    # Another device, with an English browser and no cookie, reads Spanish too.
    other = Client(HTTP_ACCEPT_LANGUAGE="en-GB")
    other.force_login(patient.user, backend=BACKEND)
    assert _lang_of(other.get("/account/").content.decode()) == "es"


def test_the_switcher_refuses_a_language_acus_does_not_speak(client: Client, patient: Patient) -> None:
    client.force_login(patient.user, backend=BACKEND)

    response = client.post("/language/", {"language": "xx", "next": "/account/"})

    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    patient.user.refresh_from_db()
    assert patient.user.language == ""


def test_the_switcher_does_not_send_anyone_off_site(client: Client) -> None:
    response = client.post("/language/", {"language": "es", "next": "https://evil.example/"})

    assert response["Location"] == "/"


def test_a_stored_language_beats_the_browsers(patient: Patient) -> None:
    User.objects.filter(pk=patient.user.pk).update(language="fr")
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    client.force_login(patient.user, backend=BACKEND)

    page = client.get("/account/").content.decode()

    assert _lang_of(page) == "fr"
    assert "Nom légal complet" in page
    assert english_left_in(page) == []


@pytest.mark.parametrize("language", ["es", "fr"])
def test_the_details_page_is_translated(patient: Patient, language: str) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(patient.user, backend=BACKEND)

    page = client.get("/account/").content.decode()

    assert _lang_of(page) == language
    assert english_left_in(page) == []


def test_the_patient_changes_their_language_on_their_details_page(client: Client, patient: Patient) -> None:
    client.force_login(patient.user, backend=BACKEND)

    response = client.post(
        "/account/",
        {"legal_name": "Pat Example", "date_of_birth": "1990-01-01", "notify_email": "on", "language": "es"},
        follow=True,
    )

    patient.user.refresh_from_db()
    assert patient.user.language == "es"
    html = response.content.decode()
    assert _lang_of(html) == "es"
    assert "Sus datos se han guardado." in html
    assert '<option value="es" lang="es" selected>' in html or 'value="es" selected' in html


def test_the_details_page_refuses_a_language_acus_does_not_speak(client: Client, patient: Patient) -> None:
    client.force_login(patient.user, backend=BACKEND)

    page = client.post("/account/", {"legal_name": "Pat Example", "notify_email": "on", "language": "xx"})

    assert page.status_code == 200
    patient.user.refresh_from_db()
    assert patient.user.language == ""


@pytest.mark.parametrize("language", ["es", "fr"])
def test_a_staff_members_pages_follow_their_stored_choice(language: str) -> None:
    staff = make_staff(User.Role.PRACTITIONER, "staff@example.com")
    User.objects.filter(pk=staff.pk).update(language=language)
    client = verified_staff_client(staff, Client(HTTP_ACCEPT_LANGUAGE="en-GB"))

    page = client.get("/staff/security/").content.decode()

    assert _lang_of(page) == language
    assert {"es": "Seguridad del acceso", "fr": "Sécurité de la connexion"}[language] in page


def test_a_staff_member_chooses_their_language_with_the_switcher() -> None:
    staff = make_staff(User.Role.PRACTITIONER, "staff@example.com")
    client = verified_staff_client(staff, Client(HTTP_ACCEPT_LANGUAGE="en-GB"))

    client.post("/language/", {"language": "fr", "next": "/staff/security/"})

    staff.refresh_from_db()
    assert staff.language == "fr"
    assert _lang_of(client.get("/staff/security/").content.decode()) == "fr"
