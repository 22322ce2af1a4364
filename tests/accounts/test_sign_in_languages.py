"""Sign-in speaks the visitor's language: the pages, the code email and its subject, and the
language the new account keeps (the one they signed in with)."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.core import mail
from django.test import Client, RequestFactory
from rest_framework.test import APIClient

from accounts.lockout import lockout_response
from accounts.models import User
from tests.accounts.factories import make_patient, make_staff
from tests.accounts.sign_in import code_from_mail
from tests.core.i18n import english_left_in, visible_text

pytestmark = pytest.mark.django_db

WORDS = {
    "es": ("Le enviaremos por correo un código de 6 cifras.", "Su código para entrar en Acus: {}"),
    "fr": ("Nous vous enverrons un code à 6 chiffres par e-mail.", "Votre code de connexion Acus : {}"),
}


def _lang_of(html: str) -> str:
    match = re.search(r'<html lang="([^"]+)"', html)
    assert match, html[:200]
    return match.group(1)


@pytest.mark.parametrize("language", ["es", "fr"])
def test_the_sign_in_pages_are_in_the_browsers_language(language: str) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)

    page = client.get("/signin/").content.decode()
    assert _lang_of(page) == language
    assert WORDS[language][0] in page
    assert english_left_in(page) == []

    client.post("/signin/", {"email": "nueva@example.com"})
    code_page = client.get("/signin/code/").content.decode()
    assert _lang_of(code_page) == language
    assert english_left_in(code_page) == []


@pytest.mark.parametrize("language", ["es", "fr"])
def test_the_code_email_and_its_subject_are_in_the_askers_language(language: str) -> None:
    Client(HTTP_ACCEPT_LANGUAGE=language).post("/signin/", {"email": "nueva@example.com"})

    message = mail.outbox[-1]
    code = code_from_mail()
    assert message.subject == WORDS[language][1].format(code)
    html = str(message.alternatives[0][0])  # type: ignore[attr-defined]
    assert f'lang="{language}"' in html
    for text in (str(message.body), visible_text(html)):
        assert code in text
        assert english_left_in(text) == []
    # Nothing is kept for an address that has no account yet, not even its language.
    assert not User.objects.filter(email="nueva@example.com").exists()


def test_the_code_email_over_the_api_follows_accept_language() -> None:
    response = APIClient().post(
        "/api/v1/auth/patient/start", {"email": "nueva@example.com"}, format="json", HTTP_ACCEPT_LANGUAGE="fr"
    )

    assert response.status_code == 202
    assert "code à 6 chiffres" in response.json()["detail"]
    assert mail.outbox[-1].subject.startswith("Votre code de connexion Acus")


def test_a_first_sign_in_keeps_the_language_the_patient_signed_in_with() -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    client.get("/signin/")
    client.post("/signin/", {"email": "nueva@example.com"})

    response = client.post("/signin/code/", {"code": code_from_mail()})

    assert response.status_code == 302
    assert User.objects.get(email="nueva@example.com").language == "es"


def test_a_first_sign_in_over_the_api_keeps_the_callers_language() -> None:
    api = APIClient(HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    api.post("/api/v1/auth/patient/start", {"email": "nouveau@example.com"}, format="json")

    response = api.post(
        "/api/v1/auth/patient/verify", {"email": "nouveau@example.com", "code": code_from_mail()}, format="json"
    )

    assert response.status_code == 200
    assert User.objects.get(email="nouveau@example.com").language == "fr"


def test_a_patient_without_a_language_gets_one_at_their_next_sign_in() -> None:
    patient = make_patient("old@example.com")
    assert patient.user.language == ""
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.post("/signin/", {"email": "old@example.com"})

    client.post("/signin/code/", {"code": code_from_mail()})

    patient.user.refresh_from_db()
    assert patient.user.language == "fr"


def test_a_chosen_language_is_not_overwritten_by_the_browsers() -> None:
    patient = make_patient("chosen@example.com")
    User.objects.filter(pk=patient.user.pk).update(language="fr")
    client = Client(HTTP_ACCEPT_LANGUAGE="es")
    client.post("/signin/", {"email": "chosen@example.com"})

    client.post("/signin/code/", {"code": code_from_mail()})

    patient.user.refresh_from_db()
    assert patient.user.language == "fr"
    assert _lang_of(client.get("/account/").content.decode()) == "fr"


@pytest.mark.parametrize("language", ["es", "fr"])
def test_the_staff_sign_in_pages_are_translated(language: str) -> None:
    staff = make_staff(email="staff@example.com")
    client = Client(HTTP_ACCEPT_LANGUAGE=language)

    page = client.get("/staff/signin/").content.decode()
    assert _lang_of(page) == language
    assert english_left_in(page) == []

    client.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")
    verify = client.get("/staff/signin/verify/").content.decode()
    assert english_left_in(verify) == []
    refused = unescape(client.post("/staff/signin/verify/", {"code": "000000"}).content.decode())
    assert {"es": "Ese código no es correcto", "fr": "Ce code n'est pas bon"}[language] in refused


@pytest.mark.parametrize("language", ["es", "fr"])
def test_the_staff_enrolment_page_is_translated(language: str) -> None:
    staff = make_staff(email="new.staff@example.com", totp=False)
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")

    page = client.get("/staff/signin/enrol/").content.decode()

    assert _lang_of(page) == language
    assert english_left_in(page) == []


@pytest.mark.parametrize("language", ["es", "fr"])
def test_the_locked_out_page_is_translated(language: str, rf: RequestFactory) -> None:
    from django.contrib.auth.models import AnonymousUser
    from django.utils import translation

    request = rf.post("/staff/signin/")
    request.user = AnonymousUser()
    with translation.override(language):
        page = lockout_response(request).content.decode()

    assert english_left_in(page) == []
    assert {"es": "minutos", "fr": "minutes"}[language] in page
