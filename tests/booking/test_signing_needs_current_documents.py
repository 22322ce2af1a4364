"""Signing a visit's consent, by API or on the pages, takes only the clinic's current
form and the patient's latest answers to the current questions, given for this visit."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Patient
from booking import services
from booking.models import Appointment, AppointmentType, Practitioner
from consent import services as consent_services
from consent.models import ConsentFormVersion, QuestionnaireVersion, ScreeningResponse, SignedConsent
from tests.booking.consent_api import consent_body, screen
from tests.booking.pages import (
    ANSWERS_CLEAR,
    ANSWERS_REVIEW,
    Journey,
    sign_in,
    signature,
    walk_to_consent,
)
from tests.consent.factories import QUESTIONS, SCOPE, form_content

pytestmark = pytest.mark.django_db
Status = Appointment.Status


def hold(patient: Patient, needling: AppointmentType, pin: Practitioner, days: int = 3) -> Appointment:
    start = datetime.combine(timezone.localdate() + timedelta(days=days), time(10), tzinfo=ZoneInfo("Europe/London"))
    return services.hold_appointment(patient, appointment_type=needling, practitioner=pin, start=start)


def refused_on(response: Any, field: str) -> str:
    body = response.json()
    assert response.status_code == 400, body
    return " ".join(body["fields"][field])


def test_a_superseded_form_version_is_refused_with_a_field_error(
    patient: Patient, patient_api: APIClient, needling: AppointmentType, pin: Practitioner, form: ConsentFormVersion
) -> None:
    held = hold(patient, needling, pin)
    questionnaire = QuestionnaireVersion.objects.get(scope=SCOPE)
    answers = screen(patient_api, questionnaire, held)
    consent_services.publish_consent_form(scope=SCOPE, **form_content(title="Consent, with a new risk"))

    response = patient_api.post("/api/v1/consents", consent_body(form, answers["id"], held), format="json")

    assert "newer consent form has been published" in refused_on(response, "form_version")
    held.refresh_from_db()
    assert held.status == Status.HELD and not SignedConsent.objects.exists()


def test_a_screening_on_a_replaced_questionnaire_is_refused(
    patient: Patient,
    patient_api: APIClient,
    needling: AppointmentType,
    pin: Practitioner,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
) -> None:
    held = hold(patient, needling, pin)
    answers = screen(patient_api, questionnaire, held)
    consent_services.publish_questionnaire(scope=SCOPE, title="Health check v2", items=QUESTIONS)

    response = patient_api.post("/api/v1/consents", consent_body(form, answers["id"], held), format="json")

    assert "questions have changed" in refused_on(response, "screening")


def test_clear_answers_cannot_be_signed_after_later_answers_asked_for_a_review(
    patient: Patient,
    patient_api: APIClient,
    needling: AppointmentType,
    pin: Practitioner,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
) -> None:
    held = hold(patient, needling, pin)
    clear = screen(patient_api, questionnaire, held)
    screen(patient_api, questionnaire, held, diabetes="yes")

    response = patient_api.post("/api/v1/consents", consent_body(form, clear["id"], held), format="json")

    assert "latest answers" in refused_on(response, "screening")
    held.refresh_from_db()
    assert held.status == Status.HELD


def test_answers_given_before_the_visit_was_held_are_refused(
    patient: Patient,
    patient_api: APIClient,
    needling: AppointmentType,
    pin: Practitioner,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
) -> None:
    earlier_visit = hold(patient, needling, pin, days=2)
    answers = screen(patient_api, questionnaire, earlier_visit)
    services.cancel_appointment(earlier_visit, actor=patient.user)
    held = hold(patient, needling, pin, days=6)

    response = patient_api.post("/api/v1/consents", consent_body(form, answers["id"], held), format="json")

    assert "for this visit" in refused_on(response, "screening")


# --- The pages ----------------------------------------------------------------------------------


def test_the_page_will_not_sign_a_form_published_while_the_patient_was_reading(
    client: Client, journey: Journey, patient: Patient
) -> None:
    sign_in(client, patient)
    pk, screening = walk_to_consent(client, journey, patient, ANSWERS_CLEAR)
    read = ConsentFormVersion.objects.get(scope=journey.clinic.slug)
    assert (
        f'name="form_version" value="{read.pk}"'
        in client.get(f"/appointments/{pk}/consent/?screening={screening}").content.decode()
    )
    newer = consent_services.publish_consent_form(scope=journey.clinic.slug, **form_content(title="Consent v2"))

    response = client.post(
        f"/appointments/{pk}/consent/", {"screening": screening, "form_version": read.pk, **signature()}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "newer consent form has been published" in page
    assert f'name="form_version" value="{newer.pk}"' in page
    assert not SignedConsent.objects.exists()
    assert Appointment.objects.get(pk=pk).status == Status.HELD


def test_the_page_sends_the_patient_back_to_the_questions_when_they_answered_again_since(
    client: Client, journey: Journey, patient: Patient
) -> None:
    sign_in(client, patient)
    pk, clear = walk_to_consent(client, journey, patient, ANSWERS_CLEAR)
    client.post(f"/appointments/{pk}/screening/", ANSWERS_REVIEW)
    assert ScreeningResponse.objects.filter(patient=patient).count() == 2

    response = client.post(f"/appointments/{pk}/consent/", {"screening": clear, **signature()})

    assert response.status_code == 302 and response["Location"] == f"/appointments/{pk}/screening/"
    assert any("latest answers" in str(m) for m in get_messages(response.wsgi_request))
    assert not SignedConsent.objects.exists()
    assert Appointment.objects.get(pk=pk).status == Status.HELD
