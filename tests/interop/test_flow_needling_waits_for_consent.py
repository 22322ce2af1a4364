"""$book on dry needling: without consent cover the visit waits for the patient (pending, with a
link to their page); screening and signing there, as the web pages do, decides it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from django.urls import reverse
from django.utils import timezone

from accounts.models import Patient
from booking import consent_flow, services
from booking.models import Appointment, AppointmentType, Clinic, Practitioner
from consent.models import ConsentFormVersion, Outcome, QuestionnaireVersion
from interop.services.booking import CONSENT_WAIT
from tests.booking.signing import screen, signature
from tests.interop.flow_world import (
    Fhir,
    consent_link,
    only_appointment,
    parameters,
    patient_resource,
    reference,
    window,
)

Status = Appointment.Status


def _book_needling(client: Fhir, needling: AppointmentType, *extra: tuple[str, dict[str, Any]]) -> dict[str, Any]:
    status, found = client.get("Appointment/$find", **window(days=3), **{"service-type": needling.pk})
    assert status == 200 and found["total"] > 0, found
    status, booked = client.post(
        "Appointment/$book", parameters(reference(found["entry"][0]["resource"]["id"]), *extra)
    )
    assert status == 200, booked
    return only_appointment(booked)


def _sign_on_the_web(patient: Patient, appointment: Appointment, form: ConsentFormVersion, screening: object) -> None:
    """What booking.views.steps.consent calls when the patient signs."""
    consent_flow.sign_for_appointment(
        patient, appointment_id=appointment.pk, request=signature(form, screening, patient)
    )


def test_a_key_booking_needling_gets_pending_and_a_link_then_the_patient_signs_and_it_is_booked(
    portal: Fhir,
    needling: AppointmentType,
    pin: Practitioner,
    clinic: Clinic,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
) -> None:
    appointment = _book_needling(portal, needling, patient_resource("robin@example.org", "1984-02-29"))
    assert appointment["status"] == "pending"
    row = Appointment.objects.get(pk=appointment["id"])
    link = consent_link(appointment)
    assert link is not None and urlsplit(link).path == reverse("booking:appointment", args=[row.pk])
    # Held long enough for the patient: a day, or until the clinic's minimum notice if sooner.
    assert row.status == Status.HELD and row.hold_expires_at is not None
    expected = min(row.start - clinic.policy.min_notice, timezone.now() + CONSENT_WAIT)
    assert abs(row.hold_expires_at - expected) < timedelta(minutes=1)
    assert row.hold_expires_at > timezone.now() + clinic.hold_duration

    patient = row.patient
    _sign_on_the_web(patient, row, form, screen(patient, questionnaire, clinic))
    status, read = portal.get(f"Appointment/{row.pk}")
    assert (status, read["status"]) == (200, "booked")
    assert consent_link(read) is None


def test_a_review_outcome_keeps_it_pending(
    patient_fhir: Fhir,
    patient: Patient,
    needling: AppointmentType,
    pin: Practitioner,
    clinic: Clinic,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
) -> None:
    appointment = _book_needling(patient_fhir, needling)
    assert appointment["status"] == "pending" and consent_link(appointment)
    row = Appointment.objects.get(pk=appointment["id"])
    answers = screen(patient, questionnaire, clinic, diabetes="yes")
    assert answers.outcome == Outcome.REVIEW
    _sign_on_the_web(patient, row, form, answers)
    status, read = patient_fhir.get(f"Appointment/{row.pk}")
    assert (status, read["status"]) == (200, "pending")
    row.refresh_from_db()
    assert row.status == Status.PENDING_REVIEW


def test_a_blocked_screening_cancels_it_as_the_web_does(
    patient_fhir: Fhir,
    patient: Patient,
    needling: AppointmentType,
    pin: Practitioner,
    clinic: Clinic,
    questionnaire: QuestionnaireVersion,
) -> None:
    row = Appointment.objects.get(pk=_book_needling(patient_fhir, needling)["id"])
    answers = screen(patient, questionnaire, clinic, needle_fear="yes")
    assert answers.outcome == Outcome.BLOCK
    # booking.views.steps.screening on a block: the held time is freed at once.
    services.cancel_appointment(row, actor=patient.user, reason="screening_blocked")
    status, read = patient_fhir.get(f"Appointment/{row.pk}")
    assert (status, read["status"]) == (200, "cancelled")


def test_a_patient_with_cover_who_says_nothing_changed_is_booked_at_once(
    patient_fhir: Fhir,
    patient: Patient,
    needling: AppointmentType,
    pin: Practitioner,
    clinic: Clinic,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
) -> None:
    first = Appointment.objects.get(pk=_book_needling(patient_fhir, needling)["id"])
    _sign_on_the_web(patient, first, form, screen(patient, questionnaire, clinic))
    status, found = patient_fhir.get("Appointment/$find", **window(days=6), **{"service-type": needling.pk})
    later = found["entry"][0]["resource"]["id"]

    status, waits = patient_fhir.post("Appointment/$book", parameters(reference(later)))
    appointment = only_appointment(waits)
    # Without the patient's word the visit asks them on the web, as the pages do.
    assert appointment["status"] == "pending" and consent_link(appointment)

    unchanged = ("health-unchanged", {"valueBoolean": True})
    status, booked = patient_fhir.post("Appointment/$book", parameters(reference(appointment["id"]), unchanged))
    assert status == 200, booked
    assert only_appointment(booked)["status"] == "booked"
