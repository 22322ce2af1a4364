"""The appointments API, for patients: GET /appointments lists a patient's own, upcoming
first, and GET /appointments/{id} reads one; anyone else's is a 404."""

from __future__ import annotations

from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from accounts.models import Patient
from booking import services
from booking.models import AppointmentType, Practitioner
from tests.booking.appointments_api.shortcuts import NOW, Status, at, booked, hold
from tests.booking.factories import insert_appointment

pytestmark = pytest.mark.django_db


# --- Reading ----------------------------------------------------------------------------


def test_a_patient_lists_only_their_own_upcoming_first_then_past(
    patient_api: APIClient, patient: Patient, other_patient: Patient, massage: AppointmentType, alex: Practitioner
) -> None:
    later = booked(patient, massage, at("14:00"))
    sooner = booked(patient, massage, at("09:00"))
    cancelled = services.cancel_appointment(hold(patient, massage, at("11:00")), actor=patient.user)
    old = insert_appointment(patient, alex, massage, NOW - timedelta(days=30), status=Status.COMPLETED)
    older = insert_appointment(patient, alex, massage, NOW - timedelta(days=60), status=Status.COMPLETED)
    booked(other_patient, massage, at("16:00"))

    response = patient_api.get("/api/v1/appointments")

    assert response.status_code == 200
    ids = [item["id"] for item in response.json()]
    assert ids == [sooner.pk, cancelled.pk, later.pk, old.pk, older.pk]


def test_a_patient_reads_their_appointment(
    patient_api: APIClient, patient: Patient, massage: AppointmentType, alex: Practitioner
) -> None:
    appointment = booked(patient, massage, at("09:00"))

    response = patient_api.get(f"/api/v1/appointments/{appointment.pk}")

    assert response.status_code == 200
    assert response.json()["status"] == "confirmed"
    assert response.json()["hold_expires_at"] is None


@pytest.mark.parametrize("suffix", ["", "/cancel", "/reschedule", "/confirm", "/ics"])
def test_it_returns_404_for_another_patients_appointment(
    patient_api: APIClient, other_patient: Patient, massage: AppointmentType, alex: Practitioner, suffix: str
) -> None:
    theirs = hold(other_patient, massage, at("09:00"))
    url = f"/api/v1/appointments/{theirs.pk}{suffix}"

    response = patient_api.get(url) if suffix in {"", "/ics"} else patient_api.post(url, {}, format="json")

    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": response.json()["detail"], "fields": {}}
    theirs.refresh_from_db()
    assert (theirs.status, theirs.version) == (Status.HELD, 1)


@pytest.mark.parametrize("pk", ["999999", "99999999999999999999"])
def test_it_returns_404_for_an_unknown_id(patient_api: APIClient, pk: str) -> None:
    assert patient_api.get(f"/api/v1/appointments/{pk}").status_code == 404
