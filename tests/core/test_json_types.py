"""Request bodies are read as the JSON types the schema names: DRF on its own would take
0 for false, 5 for "5" and "1" for 1. Each refusal is a 400 field error in the one shape."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Patient
from booking.models import Appointment
from tests.booking.factories import insert_appointment, make_clinic, make_practitioner, make_type
from tests.integration.world import clear_answers, seed_demo_clinic

pytestmark = pytest.mark.django_db


@pytest.fixture
def appointment(patient: Patient) -> Appointment:
    clinic = make_clinic()
    kind = make_type(clinic)
    return insert_appointment(patient, make_practitioner(clinic), kind, timezone.now(), status="completed")


def refused(response: Any, field: str) -> None:
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "invalid" and field in body["fields"], body


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"notify_sms": 0}, "notify_sms"),
        ({"notify_email": "yes"}, "notify_email"),
        ({"legal_name": 5}, "legal_name"),
        ({"phone": 447911123456}, "phone"),
    ],
)
def test_the_profile_takes_json_booleans_and_strings_only(patient_api: APIClient, body: Any, field: str) -> None:
    refused(patient_api.patch("/api/v1/me", body, format="json"), field)


def test_sign_in_takes_the_code_as_a_string(stranger: APIClient) -> None:
    refused(
        stranger.post("/api/v1/auth/patient/verify", {"email": "pat@example.com", "code": 123456}, format="json"),
        "code",
    )


def test_an_appointment_takes_ids_as_numbers_and_reasons_as_strings(
    patient_api: APIClient, appointment: Appointment
) -> None:
    hold = {"appointment_type": str(appointment.appointment_type_id), "start": appointment.start.isoformat()}

    refused(patient_api.post("/api/v1/appointments", hold, format="json"), "appointment_type")
    refused(patient_api.post(f"/api/v1/appointments/{appointment.pk}/cancel", {"reason": 0}, format="json"), "reason")
    refused(
        patient_api.post(f"/api/v1/appointments/{appointment.pk}/confirm", {"health_unchanged": 1}, format="json"),
        "health_unchanged",
    )
    refused(
        patient_api.post(f"/api/v1/appointments/{appointment.pk}/symptoms", {"pain_now": "3"}, format="json"),
        "pain_now",
    )
    assert Appointment.objects.get(pk=appointment.pk).status == "completed"


def test_screening_and_consent_take_ids_as_numbers(patient: Patient, patient_api: APIClient) -> None:
    demo = seed_demo_clinic()
    answers = clear_answers(demo.questionnaire)

    screening = {"questionnaire_version": str(demo.questionnaire.pk), "answers": answers}
    refused(patient_api.post("/api/v1/screenings", screening, format="json"), "questionnaire_version")
    consent = {
        "form_version": demo.form.pk,
        "screening": 1,
        "appointment": 1,
        "typed_name": "Pat Example",
        "acknowledgements": [],
        "e_records_accepted": "true",
    }
    refused(patient_api.post("/api/v1/consents", consent, format="json"), "e_records_accepted")


def test_a_whole_number_written_with_a_point_is_still_a_number(
    patient_api: APIClient, appointment: Appointment
) -> None:
    response = patient_api.post(
        f"/api/v1/appointments/{appointment.pk}/symptoms", {"pain_now": 3.0, "side_effects": []}, format="json"
    )

    assert response.status_code == 201, response.content
    assert response.json()["pain_now"] == 3
