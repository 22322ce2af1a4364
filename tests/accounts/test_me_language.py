"""The patient's language in `me`: read it, change it, and only to a language Acus speaks."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from accounts.models import Patient, User

pytestmark = pytest.mark.django_db


def test_me_shows_the_stored_language(patient_api: APIClient, patient: Patient) -> None:
    User.objects.filter(pk=patient.user.pk).update(language="es")

    assert patient_api.get("/api/v1/me").json()["language"] == "es"


def test_me_shows_the_answers_language_while_none_is_stored(patient_api: APIClient) -> None:
    assert patient_api.get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="fr").json()["language"] == "fr"


def test_a_patient_changes_their_language(patient_api: APIClient, patient: Patient) -> None:
    response = patient_api.patch("/api/v1/me", {"language": "fr"}, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["language"] == "fr"
    patient.user.refresh_from_db()
    assert patient.user.language == "fr"


@pytest.mark.parametrize("value", ["xx", "", 5, None])
def test_a_language_acus_does_not_speak_is_refused(patient_api: APIClient, patient: Patient, value: object) -> None:
    response = patient_api.patch("/api/v1/me", {"language": value}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert list(response.json()["fields"]) == ["language"]
    patient.user.refresh_from_db()
    assert patient.user.language == ""
