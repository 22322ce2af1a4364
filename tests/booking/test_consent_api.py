"""The screening and consent API, as a patient's phone or an integrator uses it."""

from __future__ import annotations

import io
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from pypdf import PdfReader
from rest_framework.test import APIClient

from accounts.models import Patient, User
from booking import services
from booking.models import Appointment, AppointmentEvent, AppointmentType, Clinic, Practitioner
from consent.models import (
    ConsentAccessLog,
    ConsentFormVersion,
    ConsentWithdrawal,
    QuestionnaireVersion,
    SignedConsent,
)
from tests.accounts.sign_in import api_as, verified_staff_client
from tests.booking.factories import make_practitioner, make_type
from tests.consent.factories import CLEAR, SCOPE

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(patient: Patient, pin: Practitioner, needling: AppointmentType) -> Appointment:
    start = datetime.combine(timezone.localdate() + timedelta(days=3), time(10), tzinfo=ZoneInfo("Europe/London"))
    return services.hold_appointment(patient, appointment_type=needling, practitioner=pin, start=start)


def screen(client: APIClient, questionnaire: QuestionnaireVersion, appointment: Appointment, **answers: str) -> Any:
    response = client.post(
        "/api/v1/screenings",
        {"questionnaire_version": questionnaire.pk, "answers": {**CLEAR, **answers}, "appointment": appointment.pk},
        format="json",
    )
    assert response.status_code == 201, response.json()
    return response.json()


def consent_body(form: ConsentFormVersion, screening_id: int, appointment: Appointment, **overrides: Any) -> Any:
    body = {
        "form_version": form.pk,
        "screening": screening_id,
        "appointment": appointment.pk,
        "typed_name": "Pat Example",
        "acknowledgements": ["read", "asked"],
        "e_records_accepted": True,
    }
    return {**body, **overrides}


def sign(
    client: APIClient, form: ConsentFormVersion, questionnaire: QuestionnaireVersion, appointment: Appointment
) -> dict[str, Any]:
    screening = screen(client, questionnaire, appointment)
    response = client.post("/api/v1/consents", consent_body(form, screening["id"], appointment), format="json")
    assert response.status_code == 201, response.json()
    return dict(response.json())


def test_the_form_and_questionnaire_are_public(stranger: APIClient, clinic: Clinic, form: ConsentFormVersion) -> None:
    got = stranger.get(f"/api/v1/consent/form?clinic={SCOPE}").json()

    assert (got["id"], got["sha256"]) == (form.pk, form.content_sha256)
    assert got["side_effects"][0] == {"effect": "Bruising", "how_often": "about 8 in 100 treatments", "note": ""}
    assert stranger.get(f"/api/v1/consent/questionnaire?clinic={SCOPE}").json()["items"][0]["id"] == "needle_fear"
    assert stranger.get("/api/v1/consent/form?clinic=nowhere").status_code == 400


def test_the_form_for_an_appointment_has_its_blanks_filled(patient_api: APIClient, held: Appointment) -> None:
    got = patient_api.get(f"/api/v1/consent/form?clinic={SCOPE}&appointment={held.pk}").json()

    assert "{clinic_name}" not in str(got["sections"]) and "{practitioner" not in str(got["sections"])
    assert "Dr Pin holds a dry-needling certification" in str(got["sections"])
    assert len(got["rendered_text_sha256"]) == 64


def test_a_clear_patient_signs_and_the_appointment_is_confirmed(
    patient_api: APIClient, held: Appointment, form: ConsentFormVersion, questionnaire: QuestionnaireVersion
) -> None:
    consent = sign(patient_api, form, questionnaire, held)

    held.refresh_from_db()
    assert held.status == "confirmed" and held.consent_id == consent["id"]
    assert consent["status"] == "active" and consent["appointments"] == [held.pk]
    stored = SignedConsent.objects.get(pk=consent["id"])
    assert stored.auth_method == "emailed one-time code, API token"
    assert stored.ip_address == "127.0.0.1"


def test_a_blocked_screening_explains_and_offers_other_treatments(
    patient_api: APIClient,
    held: Appointment,
    clinic: Clinic,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
) -> None:
    talking = make_type(clinic, minutes=45, needling=False, name="Talk and exercise")

    screening = screen(patient_api, questionnaire, held, needle_fear="yes")

    assert screening["outcome"] == "block"
    assert screening["reasons"][0]["code"] == "needle_phobia"
    assert screening["alternatives"] == [{"id": talking.pk, "name": "Talk and exercise", "duration_minutes": 45}]
    response = patient_api.post("/api/v1/consents", consent_body(form, screening["id"], held), format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "screening_blocked"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"typed_name": "Not Me"}, "typed_name"),
        ({"acknowledgements": ["read"]}, "acknowledgements"),
        ({"e_records_accepted": False}, "e_records_accepted"),
        ({"signature_svg": "<svg><script>alert(1)</script></svg>"}, "signature_svg"),
        ({"signature_svg": "x" * 200_001}, "signature_svg"),
        ({"form_version": 999_999}, "form_version"),
        ({"screening": 999_999}, "screening"),
    ],
)
def test_bad_consent_input_is_a_400_and_writes_nothing(
    patient_api: APIClient,
    held: Appointment,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
    overrides: dict[str, Any],
    field: str,
) -> None:
    screening = screen(patient_api, questionnaire, held)

    response = patient_api.post(
        "/api/v1/consents", consent_body(form, screening["id"], held, **overrides), format="json"
    )

    assert response.status_code == 400, response.json()
    assert field in response.json()["fields"]
    assert SignedConsent.objects.count() == 0
    held.refresh_from_db()
    assert held.status == "held"


def test_a_missing_required_answer_is_a_field_error(
    patient_api: APIClient, held: Appointment, questionnaire: QuestionnaireVersion
) -> None:
    response = patient_api.post(
        "/api/v1/screenings",
        {"questionnaire_version": questionnaire.pk, "answers": {"needle_fear": "no"}},
        format="json",
    )

    assert response.status_code == 400
    assert "answers.diabetes" in response.json()["fields"]


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
    assert f"{stored.signed_at.astimezone(ZoneInfo('Europe/London')):%d %B %Y, %H:%M}" in flat
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


def test_a_practitioner_approves_a_review_through_the_staff_api(
    patient_api: APIClient,
    held: Appointment,
    pin: Practitioner,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
) -> None:
    screening = screen(patient_api, questionnaire, held, diabetes="yes")
    patient_api.post("/api/v1/consents", consent_body(form, screening["id"], held), format="json")
    staff = verified_staff_client(pin.user)

    missing_note = staff.post(
        f"/api/v1/staff/appointments/{held.pk}/review",
        {"decision": "approve", "note": ""},
        content_type="application/json",
    )
    approved = staff.post(
        f"/api/v1/staff/appointments/{held.pk}/review",
        {"decision": "approve", "note": "Checked with the patient."},
        content_type="application/json",
    )

    assert missing_note.status_code == 400
    assert approved.status_code == 200 and approved.json()["status"] == "confirmed"


def test_another_practitioner_cannot_review(
    patient_api: APIClient,
    held: Appointment,
    clinic: Clinic,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
) -> None:
    screening = screen(patient_api, questionnaire, held, diabetes="yes")
    patient_api.post("/api/v1/consents", consent_body(form, screening["id"], held), format="json")
    stranger_practitioner = make_practitioner(clinic, name="Dr Other")

    response = verified_staff_client(stranger_practitioner.user).post(
        f"/api/v1/staff/appointments/{held.pk}/review",
        {"decision": "approve", "note": "x"},
        content_type="application/json",
    )

    assert response.status_code == 404


def test_a_patient_token_cannot_review(patient_api: APIClient, held: Appointment) -> None:
    response = patient_api.post(
        f"/api/v1/staff/appointments/{held.pk}/review", {"decision": "approve", "note": "x"}, format="json"
    )

    assert response.status_code == 403


def test_clinic_admin_role_exists(clinic_admin: User) -> None:
    assert clinic_admin.is_clinic_staff


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
