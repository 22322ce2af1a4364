"""The API answers in the caller's Accept-Language: its messages are translated, its codes
and field names are not."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.booking.factories import make_clinic, make_type

pytestmark = pytest.mark.django_db

BACKWARDS = {"start": "2026-03-04T00:00:00+00:00", "end": "2026-03-03T00:00:00+00:00"}


def backwards_range(client: APIClient, language: str) -> Any:
    kind = make_type(make_clinic(), minutes=60)
    return client.get("/api/v1/slots", {"appointment_type": kind.pk, **BACKWARDS}, HTTP_ACCEPT_LANGUAGE=language)


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en-GB", "The end must be after the start."),
        ("fr", "La fin doit être après le début."),
        ("es", "El final debe ser posterior al inicio."),
    ],
)
def test_a_field_error_is_written_in_the_callers_language_with_the_same_code(
    stranger: APIClient, language: str, message: str
) -> None:
    response = backwards_range(stranger, language)

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["fields"] == {"end": [message]}


def test_a_field_error_in_french_keeps_the_field_name_and_code(stranger: APIClient) -> None:
    kind = make_type(make_clinic(), minutes=60)
    naive = {"appointment_type": kind.pk, "start": "2026-03-03T09:00:00", "end": "2026-03-04T09:00:00+00:00"}

    english = stranger.get("/api/v1/slots", naive)
    french = stranger.get("/api/v1/slots", naive, HTTP_ACCEPT_LANGUAGE="fr")

    assert english.status_code == french.status_code == 400
    assert english.json()["code"] == french.json()["code"] == "invalid"
    assert list(english.json()["fields"]) == list(french.json()["fields"]) == ["start"]
    assert "UTC offset" in english.json()["fields"]["start"][0]
    assert "décalage UTC" in french.json()["fields"]["start"][0]


def test_a_missing_appointment_is_a_404_in_french_with_the_same_code(patient_api: APIClient) -> None:
    english = patient_api.get("/api/v1/appointments/999999")
    french = patient_api.get("/api/v1/appointments/999999", HTTP_ACCEPT_LANGUAGE="fr")

    assert english.status_code == french.status_code == 404
    assert english.json()["code"] == french.json()["code"] == "not_found"
    assert english.json()["detail"] != french.json()["detail"]
