"""The appointments API, for patients: the cancel, reschedule and confirm actions,
within the clinic's policy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from rest_framework.test import APIClient

from accounts.models import Patient
from booking.models import Appointment, AppointmentEvent, AppointmentType, Clinic, Practitioner
from tests.booking.appointments_api.shortcuts import MONDAY, NOW, TUESDAY, Action, Status, at, booked, hold
from tests.booking.factories import make_practitioner

pytestmark = pytest.mark.django_db


# --- Cancel -----------------------------------------------------------------------------


def test_a_patient_cancels_outside_the_window(
    patient_api: APIClient, patient: Patient, massage: AppointmentType, alex: Practitioner
) -> None:
    appointment = booked(patient, massage, at("09:00", TUESDAY + timedelta(days=7)))

    response = patient_api.post(f"/api/v1/appointments/{appointment.pk}/cancel", {"reason": "Better"}, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "cancelled"
    assert (response.json()["can_cancel"], response.json()["can_reschedule"]) == (False, False)
    appointment.refresh_from_db()
    assert (appointment.status, appointment.cancel_reason, appointment.cancelled_by) == (
        Status.CANCELLED,
        "Better",
        patient.user,
    )
    assert appointment.events.filter(action=Action.CANCELLED, actor=patient.user).exists()


def test_a_held_appointment_can_be_cancelled_without_a_body(
    patient_api: APIClient, patient: Patient, massage: AppointmentType, alex: Practitioner
) -> None:
    appointment = hold(patient, massage, at("09:00"))

    response = patient_api.post(f"/api/v1/appointments/{appointment.pk}/cancel")

    assert response.status_code == 200
    assert Appointment.objects.get().status == Status.CANCELLED


def test_cancelling_inside_the_window_is_refused_with_the_clinic_phone(
    patient_api: APIClient, patient: Patient, massage: AppointmentType, alex: Practitioner
) -> None:
    appointment = booked(patient, massage, at("14:00", MONDAY))  # in 6 hours: inside the 24-hour window

    detail = patient_api.get(f"/api/v1/appointments/{appointment.pk}").json()
    response = patient_api.post(f"/api/v1/appointments/{appointment.pk}/cancel", {}, format="json")

    assert (detail["can_cancel"], detail["can_reschedule"]) == (False, False)
    assert response.status_code == 409
    assert response.json()["code"] == "too_late_to_change"
    assert "+44 117 496 0123" in response.json()["detail"]
    assert Appointment.objects.get().status == Status.CONFIRMED
    assert not AppointmentEvent.objects.filter(action=Action.CANCELLED).exists()


def test_cancelling_twice_is_a_409(
    patient_api: APIClient, patient: Patient, massage: AppointmentType, alex: Practitioner
) -> None:
    appointment = hold(patient, massage, at("09:00"))
    patient_api.post(f"/api/v1/appointments/{appointment.pk}/cancel")

    response = patient_api.post(f"/api/v1/appointments/{appointment.pk}/cancel")

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_status"
    assert AppointmentEvent.objects.filter(action=Action.CANCELLED).count() == 1


def test_a_too_long_reason_is_a_field_error(
    patient_api: APIClient, patient: Patient, massage: AppointmentType, alex: Practitioner
) -> None:
    appointment = hold(patient, massage, at("09:00"))

    response = patient_api.post(f"/api/v1/appointments/{appointment.pk}/cancel", {"reason": "x" * 301}, format="json")

    assert response.status_code == 400
    assert "reason" in response.json()["fields"]
    assert Appointment.objects.get().status == Status.HELD


# --- Reschedule -------------------------------------------------------------------------


def test_rescheduling_keeps_the_id_and_bumps_the_version(
    patient_api: APIClient, patient: Patient, massage: AppointmentType, alex: Practitioner
) -> None:
    next_week = TUESDAY + timedelta(days=7)
    appointment = booked(patient, massage, at("09:00", next_week))

    response = patient_api.post(
        f"/api/v1/appointments/{appointment.pk}/reschedule", {"start": "2026-03-11T14:00:00+00:00"}, format="json"
    )

    assert response.status_code == 200, response.json()
    assert (response.json()["id"], response.json()["version"]) == (appointment.pk, 2)
    assert response.json()["start"] == "2026-03-11T14:00:00+00:00"
    appointment.refresh_from_db()
    assert (appointment.start, appointment.version, appointment.status) == (
        datetime(2026, 3, 11, 14, tzinfo=UTC),
        2,
        Status.CONFIRMED,
    )
    event = appointment.events.get(action=Action.RESCHEDULED)
    assert event.data["before"]["start"] == at("09:00", next_week).isoformat()
    assert Appointment.objects.count() == 1


def test_rescheduling_to_another_practitioner(
    patient_api: APIClient, patient: Patient, clinic: Clinic, massage: AppointmentType, alex: Practitioner
) -> None:
    sam = make_practitioner(clinic, name="Sam Other")
    appointment = hold(patient, massage, at("09:00"), practitioner=alex)

    response = patient_api.post(
        f"/api/v1/appointments/{appointment.pk}/reschedule",
        {"start": "2026-03-03T10:00:00+00:00", "practitioner": sam.pk},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert response.json()["practitioner"] == {"id": sam.pk, "display_name": "Sam Other"}
    assert Appointment.objects.get().practitioner == sam


def test_rescheduling_onto_a_taken_slot_is_a_409_and_changes_nothing(
    patient_api: APIClient, patient: Patient, other_patient: Patient, massage: AppointmentType, alex: Practitioner
) -> None:
    mine = hold(patient, massage, at("09:00"))
    booked(other_patient, massage, at("14:00"))

    response = patient_api.post(
        f"/api/v1/appointments/{mine.pk}/reschedule", {"start": "2026-03-03T14:30:00+00:00"}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "slot_unavailable"
    mine.refresh_from_db()
    assert (mine.start, mine.version) == (at("09:00"), 1)


@pytest.mark.parametrize(
    ("start", "code"),
    [("2026-03-03T09:00:00", "invalid"), ("2026-03-03T09:05:00+00:00", "invalid_start")],
)
def test_rescheduling_to_a_bad_time_is_a_400(
    patient_api: APIClient, patient: Patient, massage: AppointmentType, alex: Practitioner, start: str, code: str
) -> None:
    mine = hold(patient, massage, at("11:00"))

    response = patient_api.post(f"/api/v1/appointments/{mine.pk}/reschedule", {"start": start}, format="json")

    assert response.status_code == 400
    assert response.json()["code"] == code
    assert "start" in response.json()["fields"]
    assert Appointment.objects.get().version == 1


def test_rescheduling_inside_the_window_is_refused(
    patient_api: APIClient, patient: Patient, massage: AppointmentType, alex: Practitioner
) -> None:
    mine = booked(patient, massage, at("14:00", MONDAY))

    response = patient_api.post(
        f"/api/v1/appointments/{mine.pk}/reschedule", {"start": "2026-03-10T09:00:00+00:00"}, format="json"
    )

    assert response.status_code == 409
    assert response.json()["code"] == "too_late_to_change"
    assert Appointment.objects.get().start == at("14:00", MONDAY)


# --- Confirm ----------------------------------------------------------------------------


def test_a_held_treatment_without_needling_is_confirmed(
    patient_api: APIClient, patient: Patient, massage: AppointmentType, alex: Practitioner
) -> None:
    appointment = hold(patient, massage, at("09:00"))

    response = patient_api.post(f"/api/v1/appointments/{appointment.pk}/confirm")

    assert response.status_code == 200, response.json()
    assert (response.json()["status"], response.json()["hold_expires_at"]) == ("confirmed", None)
    appointment.refresh_from_db()
    assert appointment.status == Status.CONFIRMED
    assert appointment.events.filter(action=Action.CONFIRMED, actor=patient.user).exists()


def test_a_needling_treatment_needs_a_consent_to_be_confirmed(
    patient_api: APIClient, patient: Patient, needling: AppointmentType, alex: Practitioner
) -> None:
    appointment = hold(patient, needling, at("09:00"))

    response = patient_api.post(f"/api/v1/appointments/{appointment.pk}/confirm")

    assert response.status_code == 409
    assert response.json()["code"] == "consent_required"
    assert Appointment.objects.get().status == Status.HELD
    assert not AppointmentEvent.objects.filter(action=Action.CONFIRMED).exists()


def test_confirming_after_the_hold_ran_out_is_a_409(
    patient_api: APIClient,
    patient: Patient,
    massage: AppointmentType,
    alex: Practitioner,
    time_machine: time_machine.TimeMachineFixture,
) -> None:
    appointment = hold(patient, massage, at("09:00"))
    time_machine.move_to(NOW + timedelta(minutes=11), tick=False)

    detail = patient_api.get(f"/api/v1/appointments/{appointment.pk}").json()
    response = patient_api.post(f"/api/v1/appointments/{appointment.pk}/confirm")

    assert detail["can_reschedule"] is False
    assert response.status_code == 409
    assert response.json()["code"] == "hold_expired"
    assert Appointment.objects.get().status == Status.HELD
