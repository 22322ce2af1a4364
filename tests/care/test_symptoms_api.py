"""POST /api/v1/appointments/{id}/symptoms: a patient's check-in through the API."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from rest_framework.test import APIClient

from accounts.models import Patient
from booking.models import Appointment, Clinic, Practitioner, SymptomReport
from notifications.models import Kind, Notification
from tests.accounts.sign_in import api_as
from tests.booking.factories import insert_appointment, local, make_type

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 6, 3, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _clock() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def appointment(patient: Patient, clinic: Clinic, physio: Practitioner) -> Appointment:
    needling = make_type(clinic, minutes=30, needling=True)
    return insert_appointment(
        patient, physio, needling, local(clinic, date(2026, 6, 1), "10:00"), status=Appointment.Status.COMPLETED
    )


def url(appointment: Appointment) -> str:
    return f"/api/v1/appointments/{appointment.pk}/symptoms"


def test_a_patient_reports_symptoms(patient_api: APIClient, appointment: Appointment) -> None:
    response = patient_api.post(url(appointment), {"pain_now": 2, "side_effects": ["soreness"]}, format="json")

    assert response.status_code == 201
    body = response.json()
    assert (body["pain_now"], body["side_effects"], body["red_flag"], body["emergency_advice"]) == (
        2,
        ["soreness"],
        False,
        None,
    )
    assert SymptomReport.objects.get(appointment=appointment).notes == ""


def test_a_red_flag_answers_with_emergency_advice_and_alerts_the_practitioner(
    patient_api: APIClient, appointment: Appointment
) -> None:
    response = patient_api.post(
        url(appointment), {"pain_now": 4, "side_effects": ["chest_pain", "bruising"], "notes": "Tight"}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["red_flag"] is True
    assert "emergency" in response.json()["emergency_advice"]
    assert Notification.objects.filter(appointment=appointment, kind=Kind.PRACTITIONER_ALERT).count() == 1


@pytest.mark.parametrize("pain", [11, -1, "high", None])
def test_pain_outside_0_to_10_is_a_400_field_error(
    patient_api: APIClient, appointment: Appointment, pain: object
) -> None:
    response = patient_api.post(url(appointment), {"pain_now": pain, "side_effects": []}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "pain_now" in response.json()["fields"]
    assert not SymptomReport.objects.exists()


def test_an_unknown_side_effect_is_a_400_field_error(patient_api: APIClient, appointment: Appointment) -> None:
    response = patient_api.post(url(appointment), {"pain_now": 1, "side_effects": ["dragons"]}, format="json")

    assert response.status_code == 400
    assert response.json()["fields"] == {"side_effects.0": ['"dragons" is not a valid choice.']}


def test_another_patients_appointment_is_a_404(other_patient: Patient, appointment: Appointment) -> None:
    response = api_as(other_patient).post(url(appointment), {"pain_now": 1}, format="json")

    assert response.status_code == 404
    assert not SymptomReport.objects.exists()


def test_it_needs_a_patient(stranger: APIClient, appointment: Appointment) -> None:
    assert stranger.post(url(appointment), {"pain_now": 1}, format="json").status_code == 401


@pytest.mark.parametrize(
    ("status", "day"),
    [(Appointment.Status.CANCELLED, date(2026, 6, 1)), (Appointment.Status.CONFIRMED, date(2026, 6, 5))],
    ids=["cancelled", "still to come"],
)
def test_a_visit_that_did_not_take_place_is_a_409(
    patient_api: APIClient, clinic: Clinic, appointment: Appointment, status: str, day: date
) -> None:
    start = local(clinic, day, "10:00")
    Appointment.objects.filter(pk=appointment.pk).update(
        status=status,
        start=start,
        end=start + timedelta(minutes=30),
        blocked_start=start,
        blocked_end=start + timedelta(minutes=30),
    )

    response = patient_api.post(url(appointment), {"pain_now": 1}, format="json")

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_status"
