"""The screening and consent API, as a patient's phone or an integrator uses it: a later
needling visit leans on the signed consent, or asks for a new one."""

from __future__ import annotations

from datetime import timedelta

import pytest
from rest_framework.test import APIClient

from accounts.models import Patient
from booking import services
from booking.models import Appointment, AppointmentType, Practitioner
from consent.models import ConsentFormVersion, ConsentWithdrawal, QuestionnaireVersion, SignedConsent
from tests.booking.consent_api import sign

pytestmark = pytest.mark.django_db


def test_a_later_needling_visit_is_confirmed_by_a_health_check(
    patient_api: APIClient,
    patient: Patient,
    held: Appointment,
    pin: Practitioner,
    needling: AppointmentType,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
) -> None:
    sign(patient_api, form, questionnaire, held)
    later = services.hold_appointment(
        patient, appointment_type=needling, practitioner=pin, start=held.start + timedelta(days=7)
    )

    no_answer = patient_api.post(f"/api/v1/appointments/{later.pk}/confirm", {}, format="json")
    confirmed = patient_api.post(f"/api/v1/appointments/{later.pk}/confirm", {"health_unchanged": True}, format="json")

    assert no_answer.status_code == 409 and no_answer.json()["code"] == "consent_required"
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"


def test_a_changed_health_answer_asks_for_a_new_signature(
    patient_api: APIClient,
    patient: Patient,
    held: Appointment,
    pin: Practitioner,
    needling: AppointmentType,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
) -> None:
    consent = sign(patient_api, form, questionnaire, held)
    later = services.hold_appointment(
        patient, appointment_type=needling, practitioner=pin, start=held.start + timedelta(days=7)
    )

    response = patient_api.post(f"/api/v1/appointments/{later.pk}/confirm", {"health_unchanged": False}, format="json")

    assert response.status_code == 409 and response.json()["code"] == "consent_required"
    assert patient_api.get("/api/v1/consents").json()[0]["status"] == "withdrawn"
    assert consent["id"]


# --- A later visit with another practitioner (FACTS.md section 3: a re-consent trigger) ---------


def test_a_later_visit_with_another_practitioner_needs_new_answers_and_a_new_signature(
    patient_api: APIClient,
    patient: Patient,
    held: Appointment,
    colleague: Practitioner,
    needling: AppointmentType,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
) -> None:
    first = sign(patient_api, form, questionnaire, held)
    later = services.hold_appointment(
        patient, appointment_type=needling, practitioner=colleague, start=held.start + timedelta(days=7)
    )

    response = patient_api.post(f"/api/v1/appointments/{later.pk}/confirm", {"health_unchanged": True}, format="json")

    assert response.status_code == 409 and response.json()["code"] == "consent_required"
    assert Appointment.objects.get(pk=later.pk).status == Appointment.Status.HELD
    assert not ConsentWithdrawal.objects.filter(consent_id=first["id"]).exists(), "still good for Dr Pin"
    second = sign(patient_api, form, questionnaire, later)
    later.refresh_from_db()
    assert (later.status, later.consent_id) == (Appointment.Status.CONFIRMED, second["id"])
    assert SignedConsent.objects.get(pk=second["id"]).render_context["practitioner_name"] == "Dr Quill"


def test_a_later_visit_with_the_practitioner_signed_for_is_covered_after_the_first_visit_moved_away(
    patient_api: APIClient,
    patient: Patient,
    held: Appointment,
    pin: Practitioner,
    colleague: Practitioner,
    needling: AppointmentType,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
) -> None:
    consent = sign(patient_api, form, questionnaire, held)
    services.reschedule_appointment(held, actor=patient.user, start=held.start, practitioner=colleague)
    later = services.hold_appointment(
        patient, appointment_type=needling, practitioner=pin, start=held.start + timedelta(days=7)
    )

    response = patient_api.post(f"/api/v1/appointments/{later.pk}/confirm", {"health_unchanged": True}, format="json")

    assert response.status_code == 200 and response.json()["status"] == "confirmed"
    assert Appointment.objects.get(pk=later.pk).consent_id == consent["id"]
