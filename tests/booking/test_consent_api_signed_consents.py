"""The screening and consent API, as a patient's phone or an integrator uses it: a signed
consent is read, downloaded and withdrawn by its patient, and by nobody else."""

from __future__ import annotations

import io
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from rest_framework.test import APIClient

from accounts.models import Patient
from booking.models import Appointment, AppointmentEvent
from consent.models import ConsentAccessLog, ConsentFormVersion, ConsentWithdrawal, QuestionnaireVersion, SignedConsent
from core import formats
from tests.accounts.sign_in import api_as
from tests.booking.consent_api import sign

pytestmark = pytest.mark.django_db


def test_patients_never_see_each_others_consents(
    patient_api: APIClient,
    other_patient: Patient,
    held: Appointment,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
) -> None:
    consent = sign(patient_api, form, questionnaire, held)
    other = api_as(other_patient)

    assert other.get(f"/api/v1/consents/{consent['id']}").status_code == 404
    assert other.get(f"/api/v1/consents/{consent['id']}/pdf").status_code == 404
    assert other.post(f"/api/v1/consents/{consent['id']}/withdraw", {}, format="json").status_code == 404
    assert other.get("/api/v1/consents").json() == []
    assert ConsentAccessLog.objects.count() == 0


def test_viewing_a_consent_writes_exactly_one_access_row(
    patient_api: APIClient,
    patient: Patient,
    held: Appointment,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
) -> None:
    consent = sign(patient_api, form, questionnaire, held)

    detail = patient_api.get(f"/api/v1/consents/{consent['id']}").json()

    assert "Bruising: about 8 in 100 treatments." in detail["text"]
    log = ConsentAccessLog.objects.get()
    assert (log.user, log.action, log.channel, log.role) == (patient.user, "view", "api", "patient")


def test_the_pdf_shows_name_time_meaning_text_answers_and_hash(
    patient_api: APIClient, held: Appointment, form: ConsentFormVersion, questionnaire: QuestionnaireVersion
) -> None:
    consent = sign(patient_api, form, questionnaire, held)
    stored = SignedConsent.objects.get(pk=consent["id"])

    response = patient_api.get(f"/api/v1/consents/{consent['id']}/pdf")

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    flat = " ".join(text.split())
    assert "Signed by: Pat Example" in flat
    assert formats.full_date_at(stored.signed_at.astimezone(ZoneInfo("Europe/London")), "en-gb") in flat
    assert "Meaning of this signature" in flat and "intent to sign" in flat
    assert "Thin needles go into tight muscle at Test Clinic." in flat
    assert "Do you have diabetes? — No" in flat
    assert stored.row_hash in flat.replace(" ", "") or stored.row_hash in text.replace("\n", "")
    assert ConsentAccessLog.objects.filter(action="download", channel="pdf").count() == 1


def test_the_pdf_is_served_to_a_client_that_accepts_only_pdf(
    patient_api: APIClient, held: Appointment, form: ConsentFormVersion, questionnaire: QuestionnaireVersion
) -> None:
    consent = sign(patient_api, form, questionnaire, held)

    pdf = patient_api.get(f"/api/v1/consents/{consent['id']}/pdf", HTTP_ACCEPT="application/pdf")
    missing = patient_api.get(f"/api/v1/consents/{consent['id'] + 1}/pdf", HTTP_ACCEPT="application/pdf")

    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


def test_withdrawing_through_the_api(
    patient_api: APIClient, held: Appointment, form: ConsentFormVersion, questionnaire: QuestionnaireVersion
) -> None:
    consent = sign(patient_api, form, questionnaire, held)

    response = patient_api.post(f"/api/v1/consents/{consent['id']}/withdraw", {"note": "No thanks"}, format="json")

    assert response.status_code == 201
    assert patient_api.get("/api/v1/consents").json()[0]["status"] == "withdrawn"
    held.refresh_from_db()
    assert held.status == "pending_review"


def test_withdrawing_again_answers_200_with_the_first_withdrawal(
    patient_api: APIClient, held: Appointment, form: ConsentFormVersion, questionnaire: QuestionnaireVersion
) -> None:
    consent = sign(patient_api, form, questionnaire, held)
    url = f"/api/v1/consents/{consent['id']}/withdraw"

    first = patient_api.post(url, {"note": "No thanks"}, format="json")
    again = patient_api.post(url, {"note": "Really, no"}, format="json")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert ConsentWithdrawal.objects.get().note == "No thanks"
    assert AppointmentEvent.objects.filter(action=AppointmentEvent.Action.CONSENT_ENDED).count() == 1
