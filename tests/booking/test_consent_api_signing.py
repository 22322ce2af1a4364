"""The screening and consent API, as a patient's phone or an integrator uses it: the documents,
signing, and a practitioner's review of flagged answers. The clinic and the `held` visit
come from tests/booking/consent_world.py."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from booking.models import Appointment, Clinic, Practitioner
from consent.models import ConsentFormVersion, QuestionnaireVersion, SignedConsent
from tests.accounts.sign_in import verified_staff_client
from tests.booking.consent_api import consent_body, screen, sign
from tests.booking.factories import make_practitioner, make_type
from tests.consent.factories import SCOPE

pytestmark = pytest.mark.django_db


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
