"""The appointments API, for patients: POST /appointments holds a slot, or says why not,
and a retry with the same Idempotency-Key returns the first appointment."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from rest_framework.test import APIClient

from accounts.models import Patient, User
from booking.models import Appointment, AppointmentEvent, AppointmentType, Clinic, Practitioner
from tests.accounts.sign_in import api_as, verified_staff_client
from tests.booking.appointments_api.shortcuts import Action, Status, at, booked, post_hold
from tests.booking.factories import make_practitioner, make_type

pytestmark = pytest.mark.django_db


# --- Holding a slot -------------------------------------------------------------------


def test_a_patient_holds_a_free_slot(
    patient_api: APIClient, patient: Patient, massage: AppointmentType, alex: Practitioner
) -> None:
    response = post_hold(patient_api, massage, "2026-03-03T09:00:00+00:00", practitioner=alex.pk)

    assert response.status_code == 201, response.json()
    body = response.json()
    appointment = Appointment.objects.get()
    assert response.headers["Location"] == f"/api/v1/appointments/{appointment.pk}"
    assert (appointment.patient, appointment.practitioner, appointment.status) == (patient, alex, Status.HELD)
    assert appointment.start == at("09:00")
    assert body["id"] == appointment.pk
    assert body["status"] == "held"
    assert body["start"] == "2026-03-03T09:00:00+00:00"
    assert body["end"] == "2026-03-03T10:00:00+00:00"
    assert body["hold_expires_at"] == "2026-03-02T08:10:00+00:00"
    assert body["time_zone"] == "Europe/London"
    assert body["version"] == 1
    assert body["appointment_type"] == {"id": massage.pk, "name": massage.name, "involves_needling": False}
    assert body["practitioner"] == {"id": alex.pk, "display_name": "Alex Morgan"}
    assert body["clinic"]["phone"] == "+44 117 496 0123"
    assert (body["can_cancel"], body["can_reschedule"]) == (True, True)
    assert list(appointment.events.values_list("action", flat=True)) == [Action.HELD]


def test_times_come_back_in_the_clinics_zone_whatever_offset_was_sent(
    patient_api: APIClient, massage: AppointmentType, alex: Practitioner
) -> None:
    # 09:00 in London on 30 March is summer time: 08:00 UTC, sent here as New York time.
    response = post_hold(patient_api, massage, "2026-03-30T04:00:00-04:00")

    assert response.status_code == 201, response.json()
    assert response.json()["start"] == "2026-03-30T09:00:00+01:00"
    assert Appointment.objects.get().start == datetime(2026, 3, 30, 8, 0, tzinfo=UTC)


def test_any_practitioner_gets_someone_who_is_free(
    patient_api: APIClient, other_patient: Patient, massage: AppointmentType, alex: Practitioner, clinic: Clinic
) -> None:
    sam = make_practitioner(clinic, name="Sam Other")
    booked(other_patient, massage, at("09:00"))  # the least busy goes first, so one of them is now taken
    taken = Appointment.objects.get().practitioner

    response = post_hold(patient_api, massage, "2026-03-03T09:00:00+00:00", practitioner=None)

    assert response.status_code == 201, response.json()
    assert response.json()["practitioner"]["id"] == ({alex.pk, sam.pk} - {taken.pk}).pop()


@pytest.mark.parametrize(
    ("start", "why"),
    [
        ("2026-03-03T09:07:00+00:00", "off the grid"),
        ("2026-03-03T20:00:00+00:00", "outside working hours"),
        ("2026-03-07T10:00:00+00:00", "a Saturday"),
        ("2026-03-01T10:00:00+00:00", "in the past"),
        ("2026-03-02T09:00:00+00:00", "inside the minimum notice"),
        ("2026-06-01T10:00:00+01:00", "beyond the advance window"),
    ],
)
def test_it_refuses_a_time_that_is_not_offered_as_a_field_error(
    patient_api: APIClient, massage: AppointmentType, alex: Practitioner, start: str, why: str
) -> None:
    response = post_hold(patient_api, massage, start)

    assert response.status_code == 400, why
    assert response.json()["code"] == "invalid_start"
    assert response.json()["fields"]["start"] == [response.json()["detail"]]
    assert not Appointment.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"start": "2026-03-03T09:00:00"}, "start"),
        ({"start": "next tuesday"}, "start"),
        ({"start": "0001-01-01T00:00:00+14:00"}, "start"),
        ({"appointment_type": 999999}, "appointment_type"),
        ({"appointment_type": 99999999999999999999}, "appointment_type"),
        ({"appointment_type": "massage"}, "appointment_type"),
        ({"practitioner": 999999}, "practitioner"),
    ],
)
def test_it_rejects_bad_input_with_field_errors(
    patient_api: APIClient, massage: AppointmentType, alex: Practitioner, body: dict[str, Any], field: str
) -> None:
    response = patient_api.post(
        "/api/v1/appointments",
        {"appointment_type": massage.pk, "start": "2026-03-03T09:00:00+00:00", **body},
        format="json",
    )

    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert not Appointment.objects.exists()


def test_it_refuses_an_inactive_treatment(patient_api: APIClient, clinic: Clinic, alex: Practitioner) -> None:
    retired = make_type(clinic, active=False)
    alex.appointment_types.add(retired)

    response = post_hold(patient_api, retired, "2026-03-03T09:00:00+00:00")

    assert response.status_code == 400
    assert "appointment_type" in response.json()["fields"]


def test_it_refuses_a_practitioner_who_does_not_offer_the_treatment(
    patient_api: APIClient, clinic: Clinic, massage: AppointmentType, alex: Practitioner
) -> None:
    other = make_practitioner(clinic, types=[make_type(clinic)])

    response = post_hold(patient_api, massage, "2026-03-03T09:00:00+00:00", practitioner=other.pk)

    assert response.status_code == 400
    assert response.json()["code"] == "practitioner_unavailable"
    assert "practitioner" in response.json()["fields"]


def test_it_refuses_needling_with_a_practitioner_without_a_valid_credential(
    patient_api: APIClient, clinic: Clinic, needling: AppointmentType
) -> None:
    novice = make_practitioner(clinic, credentialled=False)

    response = post_hold(patient_api, needling, "2026-03-03T09:00:00+00:00", practitioner=novice.pk)

    assert response.status_code == 409
    assert response.json()["code"] == "practitioner_not_credentialled"
    assert not Appointment.objects.exists()


def test_it_answers_409_for_a_taken_slot(
    patient_api: APIClient, other_patient: Patient, massage: AppointmentType, alex: Practitioner
) -> None:
    theirs = booked(other_patient, massage, at("09:00"))

    response = post_hold(patient_api, massage, "2026-03-03T09:30:00+00:00", practitioner=alex.pk)

    assert response.status_code == 409
    assert response.json()["code"] == "slot_unavailable"
    assert list(Appointment.objects.all()) == [theirs]


def test_it_answers_409_when_the_patient_already_has_an_appointment_then(
    patient_api: APIClient, patient: Patient, clinic: Clinic, massage: AppointmentType, alex: Practitioner
) -> None:
    sam = make_practitioner(clinic)
    booked(patient, massage, at("09:00"))

    response = post_hold(patient_api, massage, "2026-03-03T09:30:00+00:00", practitioner=sam.pk)

    assert response.status_code == 409
    assert response.json()["code"] == "patient_busy"
    assert Appointment.objects.count() == 1


def test_a_stranger_gets_401_and_staff_get_403(
    stranger: APIClient, practitioner: User, massage: AppointmentType, alex: Practitioner
) -> None:
    body = {"appointment_type": massage.pk, "start": "2026-03-03T09:00:00+00:00"}

    assert stranger.post("/api/v1/appointments", body, format="json").status_code == 401
    assert stranger.get("/api/v1/appointments").status_code == 401
    assert verified_staff_client(practitioner).get("/api/v1/appointments").status_code == 403
    assert not Appointment.objects.exists()


def test_a_patient_signed_in_with_a_session_can_book_too(
    patient: Patient, massage: AppointmentType, alex: Practitioner
) -> None:
    client = APIClient()
    client.force_login(patient.user)

    response = post_hold(client, massage, "2026-03-03T09:00:00+00:00")

    assert response.status_code == 201
    assert Appointment.objects.get().patient == patient


# --- Idempotency-Key ------------------------------------------------------------------


def test_a_retry_with_the_same_key_returns_the_first_appointment(
    patient_api: APIClient, massage: AppointmentType, alex: Practitioner
) -> None:
    first = post_hold(patient_api, massage, "2026-03-03T09:00:00+00:00", key="7d5a3c1e-retry")
    retry = post_hold(patient_api, massage, "2026-03-03T09:00:00+00:00", key="7d5a3c1e-retry")

    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.json() == first.json()
    assert Appointment.objects.count() == 1
    assert AppointmentEvent.objects.filter(action=Action.HELD).count() == 1


def test_a_key_reused_for_a_different_booking_is_refused(
    patient_api: APIClient, massage: AppointmentType, alex: Practitioner
) -> None:
    post_hold(patient_api, massage, "2026-03-03T09:00:00+00:00", key="same-key")

    response = post_hold(patient_api, massage, "2026-03-03T11:00:00+00:00", key="same-key")

    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert list(Appointment.objects.values_list("start", flat=True)) == [at("09:00")]


def test_the_same_key_from_another_patient_books_separately(
    patient_api: APIClient, other_patient: Patient, clinic: Clinic, massage: AppointmentType, alex: Practitioner
) -> None:
    make_practitioner(clinic)
    post_hold(patient_api, massage, "2026-03-03T09:00:00+00:00", key="shared")

    response = post_hold(api_as(other_patient), massage, "2026-03-03T09:00:00+00:00", key="shared")

    assert response.status_code == 201
    assert Appointment.objects.count() == 2


@pytest.mark.parametrize("key", ["x" * 129, "   "])
def test_it_rejects_a_bad_idempotency_key(
    patient_api: APIClient, massage: AppointmentType, alex: Practitioner, key: str
) -> None:
    response = post_hold(patient_api, massage, "2026-03-03T09:00:00+00:00", key=key)

    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["fields"]
    assert not Appointment.objects.exists()


def test_holding_is_rate_limited(
    patient_api: APIClient, massage: AppointmentType, alex: Practitioner, throttle_rates: Callable[..., None]
) -> None:
    throttle_rates(appointment_hold="2/hour")
    for _ in range(2):
        post_hold(patient_api, massage, "2026-03-03T09:07:00+00:00")

    response = post_hold(patient_api, massage, "2026-03-03T09:00:00+00:00")

    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert 3000 < int(response["Retry-After"]) <= 3600
    assert patient_api.get("/api/v1/appointments").status_code == 200
