"""API answers in the caller's language: explicit Accept-Language first, else a token user's
stored language; machine codes and field names never change."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from accounts.models import Patient, User
from tests.accounts.sign_in import api_as
from tests.core.api_errors import assert_error_shape
from tests.core.outage import database_down

pytestmark = pytest.mark.django_db
NEEDS_ATTENTION = {"fr": "Certains champs sont à vérifier.", "es": "Revise algunos campos."}


@pytest.mark.parametrize("language", ["es", "fr"])
def test_a_field_error_is_in_the_callers_language_with_its_code_unchanged(patient: Patient, language: str) -> None:
    api = api_as(patient)

    response = api.patch("/api/v1/me", {"phone": "banana"}, format="json", HTTP_ACCEPT_LANGUAGE=language)

    assert response.status_code == 400
    body = response.json()
    assert_error_shape(body)
    assert body["code"] == "invalid"
    assert body["detail"] == NEEDS_ATTENTION[language]
    assert list(body["fields"]) == ["phone"]
    assert response["Content-Language"] == language


def test_not_signed_in_is_said_in_french() -> None:
    response = APIClient().get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 401
    body = response.json()
    assert body["code"] == "not_authenticated"
    assert body["detail"] == "Informations d'authentification non fournies."


def test_not_found_is_said_in_french(patient: Patient) -> None:
    response = api_as(patient).get("/api/v1/no-such-thing", HTTP_ACCEPT_LANGUAGE="fr")

    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "Non trouvé.", "fields": {}}


def test_a_sign_in_refusal_is_in_the_callers_language() -> None:
    response = APIClient().post(
        "/api/v1/auth/patient/verify",
        {"email": "x@example.com", "code": "123456"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="es",
    )

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_code"
    assert body["detail"] == "Ese código no es correcto o ha caducado. Pida uno nuevo."
    assert body["fields"] == {"code": [body["detail"]]}


def test_a_token_user_without_accept_language_reads_their_stored_language(patient: Patient) -> None:
    User.objects.filter(pk=patient.user.pk).update(language="fr")

    response = api_as(patient).patch("/api/v1/me", {"phone": "banana"}, format="json")

    assert response.json()["detail"] == NEEDS_ATTENTION["fr"]
    assert response["Content-Language"] == "fr"


def test_an_explicit_accept_language_wins_over_the_stored_one_for_that_call(patient: Patient) -> None:
    User.objects.filter(pk=patient.user.pk).update(language="fr")

    response = api_as(patient).patch("/api/v1/me", {"phone": "banana"}, format="json", HTTP_ACCEPT_LANGUAGE="es")

    assert response.json()["detail"] == NEEDS_ATTENTION["es"]


def test_english_stays_the_default(patient: Patient) -> None:
    response = api_as(patient).patch("/api/v1/me", {"phone": "banana"}, format="json")

    assert response.json()["detail"] == "Some fields need attention."


def test_a_body_too_large_is_said_in_french_with_a_french_number() -> None:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="fr")
    body = '{"email": "' + "a" * 3_000_000 + '@example.com"}'

    response = client.generic("POST", "/api/v1/auth/patient/start", body, content_type="application/json")

    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert response.json()["detail"].endswith("au maximum 2,5 Mo.")


def test_a_database_outage_is_said_in_spanish(patient: Patient) -> None:
    api = api_as(patient)
    with database_down():
        response = api.get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="es")

    assert response.status_code == 503
    assert response.json()["code"] == "service_unavailable"
    assert response.json()["detail"].startswith("El servicio no puede acceder a su base de datos")


def test_a_request_without_a_session_is_not_looked_up_for_a_signed_in_person() -> None:
    from django.conf import settings
    from django.test import RequestFactory
    from django.utils.functional import SimpleLazyObject

    from core.language import stored_language

    def no_lookup() -> User:
        raise AssertionError("request.user was resolved")

    request = RequestFactory().get("/api/v1/clinics", HTTP_ACCEPT_LANGUAGE="fr")
    request.user = SimpleLazyObject(no_lookup)  # type: ignore[assignment]
    assert stored_language(request) is None

    request.COOKIES[settings.SESSION_COOKIE_NAME] = "some-session"
    with pytest.raises(AssertionError, match="resolved"):
        stored_language(request)
