"""An API token is looked up in one precompiled query that brings the user and their patient
profile along (accounts/authentication.py): a patient's call reads no second row to learn
who the patient is, a staff member's token knows without a query that there is no patient
profile, and every refusal (an unknown token, an inactive user) is DRF's own 401, word for
word as it was with the ORM lookup that this replaced."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django import DjangoAssertNumQueries
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts import authentication
from accounts.models import Patient, User

pytestmark = pytest.mark.django_db


def orm_lookup(key: str) -> Token | None:
    """What accounts.authentication did before: the baseline the precompiled lookup must equal."""
    return Token.objects.select_related("user__patient").filter(key=key).first()


def calling_with(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def token_of(user: User) -> str:
    return Token.objects.create(user=user).key


def answer_and_queries(client: APIClient, path: str) -> tuple[Any, list[str]]:
    with CaptureQueriesContext(connection) as seen:
        response = client.get(path)
    return response, [query["sql"] for query in seen]


def as_before(monkeypatch: pytest.MonkeyPatch, call: Callable[[], Any]) -> Any:
    """`call()` with the token looked up by the old ORM query instead."""
    with monkeypatch.context() as patched:
        patched.setattr(authentication, "token_with_user", orm_lookup)
        return call()


def test_a_patients_profile_is_read_in_the_one_token_query(patient: Patient) -> None:
    response, queries = answer_and_queries(calling_with(token_of(patient.user)), "/api/v1/me")

    assert response.status_code == 200
    assert response.json()["legal_name"] == "Pat Example"
    assert response.json()["email"] == "pat@example.com"
    [token_query] = queries  # IsPatient, the view and the serializer read user and profile from it
    assert "authtoken_token" in token_query and "accounts_patient" in token_query


def test_the_patients_appointments_take_no_more_queries_than_with_the_orm_lookup(
    patient: Patient, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = calling_with(token_of(patient.user))

    response, queries = answer_and_queries(client, "/api/v1/appointments")
    before, queries_before = as_before(monkeypatch, lambda: answer_and_queries(client, "/api/v1/appointments"))

    assert response.status_code == before.status_code == 200
    assert response.json() == before.json() == []
    assert len(queries) == len(queries_before)
    assert ["authtoken_token" in sql for sql in queries] == [True] + [False] * (len(queries) - 1)
    assert not any('FROM "accounts_patient"' in sql for sql in queries)  # no second look for the patient


def test_the_lookup_hands_over_token_user_and_patient_joined_up(
    patient: Patient, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    key = token_of(patient.user)

    with django_assert_num_queries(1):
        user, token = authentication.TokenAuthentication().authenticate_credentials(key)
        assert token.user is user
        assert user.patient.pk == patient.pk
        assert user.patient.user is user
        assert user.patient.legal_name == "Pat Example"
    assert token.key == key and isinstance(token, Token)
    assert user.pk == patient.user_id and user.email == "pat@example.com"


def test_a_staff_token_knows_there_is_no_patient_without_asking(
    practitioner: User, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    token = authentication.token_with_user(token_of(practitioner))
    assert token is not None

    with django_assert_num_queries(0):
        with pytest.raises(Patient.DoesNotExist):
            token.user.patient  # noqa: B018
        assert not hasattr(token.user, "patient")
    assert token.user.pk == practitioner.pk


def test_a_staff_token_on_the_patient_api_is_refused_after_one_query(practitioner: User) -> None:
    response, queries = answer_and_queries(calling_with(token_of(practitioner)), "/api/v1/appointments")

    assert response.status_code == 403
    assert response.json()["detail"] == "This endpoint is for patients."
    assert len(queries) == 1


def test_an_unknown_token_is_none() -> None:
    assert authentication.token_with_user("0" * 40) is None


@pytest.mark.parametrize(("language", "words"), [("en", "Invalid token."), ("es", "Token inválido.")])
def test_an_unknown_token_gets_drfs_401_as_before(
    patient: Patient, monkeypatch: pytest.MonkeyPatch, language: str, words: str
) -> None:
    token_of(patient.user)
    client = calling_with("0" * 40)

    response = client.get("/api/v1/appointments", HTTP_ACCEPT_LANGUAGE=language)
    before = as_before(monkeypatch, lambda: client.get("/api/v1/appointments", HTTP_ACCEPT_LANGUAGE=language))

    assert response.status_code == before.status_code == 401
    assert response.json() == before.json()
    assert response.json()["detail"] == words
    assert response["WWW-Authenticate"] == before["WWW-Authenticate"] == "Token"


def test_an_inactive_users_token_is_refused_in_drfs_words(patient: Patient, monkeypatch: pytest.MonkeyPatch) -> None:
    client = calling_with(token_of(patient.user))
    User.objects.filter(pk=patient.user_id).update(is_active=False)

    response = client.get("/api/v1/me")
    before = as_before(monkeypatch, lambda: client.get("/api/v1/me"))

    assert response.status_code == before.status_code == 401
    assert response.json() == before.json()
    assert response.json()["detail"] == "User inactive or deleted."
