"""A database that cannot be reached answers 503 with Retry-After: JSON under /api/, a page elsewhere."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, InterfaceError, OperationalError, ProgrammingError
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import Patient
from core.middleware import DETAIL
from core.rest import error_body
from tests.core.outage import database_down

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_an_api_call_is_a_503_in_the_error_shape(patient_api: APIClient, error: type[DatabaseError]) -> None:
    with database_down(error):
        response = patient_api.get("/api/v1/appointments")

    assert response.status_code == 503
    assert response.json() == error_body("service_unavailable", DETAIL)
    assert 0 < int(response.headers["Retry-After"]) <= 30


def test_a_booking_attempt_is_a_503_too(patient_api: APIClient) -> None:
    body = {"appointment_type": 1, "start": "2030-01-07T09:00:00+00:00"}

    with database_down():
        response = patient_api.post("/api/v1/appointments", body, format="json", headers={"Idempotency-Key": "k-1"})

    assert response.status_code == 503
    assert response.json()["code"] == "service_unavailable"


def test_a_page_is_a_503_page(client: Client) -> None:
    with database_down():
        response = client.get("/book/")

    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert b"<h1>We are back in a moment</h1>" in response.content
    assert "Retry-After" in response.headers


def test_a_signed_in_page_whose_session_is_in_the_database_is_a_503(client: Client, patient: Patient) -> None:
    client.force_login(patient.user, backend="django.contrib.auth.backends.ModelBackend")

    with database_down():
        response = client.get("/appointments/")

    assert response.status_code == 503
    assert b"back in a moment" in response.content


def test_it_logs_one_warning_without_personal_data(
    patient: Patient, patient_api: APIClient, caplog: pytest.LogCaptureFixture
) -> None:
    with database_down():
        patient_api.get("/api/v1/appointments")

    ours = [r for r in caplog.records if r.name == "core.middleware"]
    assert [r.levelname for r in ours] == ["WARNING"]
    assert ours[0].getMessage() == "database unavailable (OperationalError): answered 503 to GET api-appointments"
    assert not [r for r in caplog.records if r.name == "django.request"], "Django's own 5xx line is not repeated"
    assert patient.user.email not in caplog.text


def test_a_database_error_that_is_a_bug_stays_a_500(patient: Patient) -> None:
    api = APIClient(raise_request_exception=False)
    api.force_authenticate(patient.user)

    with database_down(ProgrammingError):
        response = api.get("/api/v1/appointments")

    assert response.status_code == 500
    assert response.json()["code"] == "server_error"
