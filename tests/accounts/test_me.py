from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from accounts.models import AccountEvent, Patient, User
from tests.accounts.sign_in import verified_staff_client

pytestmark = pytest.mark.django_db


def test_a_patient_reads_their_own_profile(patient_api: APIClient, patient: Patient) -> None:
    response = patient_api.get("/api/v1/me")

    assert response.status_code == 200
    assert response.json()["legal_name"] == "Pat Example"
    assert response.json()["email"] == "pat@example.com"


def test_a_patient_updates_their_profile(patient_api: APIClient, patient: Patient) -> None:
    response = patient_api.patch(
        "/api/v1/me",
        {"phone": "+44 7911 123456", "time_zone": "Europe/Dublin", "notify_sms": True, "preferred_name": "Pat"},
        format="json",
    )

    assert response.status_code == 200, response.json()
    patient.refresh_from_db()
    assert patient.phone == "+447911123456"
    assert patient.time_zone == "Europe/Dublin"
    assert patient.notify_sms is True
    event = AccountEvent.objects.get(action=AccountEvent.Action.PROFILE_UPDATED)
    assert set(event.data["fields"]) == {"phone", "time_zone", "notify_sms", "preferred_name"}
    assert "+447911123456" not in str(event.data)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"phone": "07700 900123"}, "phone"),
        ({"phone": "+1 555"}, "phone"),
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
        ({"date_of_birth": "31/02/1990"}, "date_of_birth"),
        ({"date_of_birth": "2999-01-01"}, "date_of_birth"),
        ({"notify_sms": True}, "phone"),
    ],
)
def test_it_rejects_bad_fields_and_changes_nothing(
    patient_api: APIClient, patient: Patient, body: dict[str, object], field: str
) -> None:
    response = patient_api.patch("/api/v1/me", body, format="json")

    assert response.status_code == 400
    assert field in response.json()["fields"]
    fresh = Patient.objects.get(pk=patient.pk)
    assert (fresh.phone, fresh.time_zone, fresh.notify_sms) == ("", "", False)


def test_a_stranger_gets_401_in_the_error_shape(stranger: APIClient) -> None:
    response = stranger.get("/api/v1/me")

    assert response.status_code == 401
    assert response.json() == {"code": "not_authenticated", "detail": response.json()["detail"], "fields": {}}


def test_staff_without_a_patient_profile_get_403(practitioner: User) -> None:
    client = verified_staff_client(practitioner)

    assert client.get("/api/v1/me").status_code == 403
