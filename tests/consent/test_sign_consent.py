from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from accounts.models import Patient
from consent import documents, integrity, services
from consent.models import ConsentFormVersion, QuestionnaireVersion, ScreeningResponse, SignedConsent
from tests.consent.factories import CLEAR, CONTEXT, SCOPE
from tests.consent.signing import context, screened, sign

pytestmark = pytest.mark.django_db

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100"><path d="M10 10 L 60 40"/></svg>'


def test_it_records_everything_a_signature_attests(
    patient: Patient, form: ConsentFormVersion, questionnaire: QuestionnaireVersion
) -> None:
    screening = screened(patient, questionnaire)

    consent = sign(patient, form, screening, signature_svg=SVG)

    consent.refresh_from_db()
    text = documents.render_text(form.canonical(), CONTEXT)
    assert consent.form_sha256 == form.content_sha256 == documents.sha256_of(form.canonical())
    assert consent.rendered_text_sha256 == documents.sha256_text(text)
    assert consent.screening == screening
    assert consent.signer_role == "patient"
    assert consent.typed_name == "Pat Example"
    assert consent.acknowledgements == ["asked", "read"]
    assert consent.intent_statement == "Typing my name is my signature for Test Clinic."
    assert consent.e_records_accepted is True
    assert (consent.ip_address, consent.user_agent, consent.auth_method) == (
        "203.0.113.7",
        "Mozilla/5.0 (iPhone)",
        "email_code",
    )
    assert consent.authenticated_at is not None
    assert consent.signature_svg.startswith("<svg") and "<path" in consent.signature_svg
    assert consent.sequence == 1 and consent.previous_hash == integrity.GENESIS
    assert "{" not in text and "Trained 80 h." in text and "Bruising: about 8 in 100 treatments." in text


def test_each_consent_links_to_the_one_before(
    patient: Patient, other_patient: Patient, form: ConsentFormVersion, questionnaire: QuestionnaireVersion
) -> None:
    first = sign(patient, form, screened(patient, questionnaire))
    second = sign(other_patient, form, screened(other_patient, questionnaire))

    assert second.sequence == 2
    assert second.previous_hash == first.row_hash
    assert services_verify() is None


def services_verify() -> integrity.Break | None:
    from consent.selectors import verify_chain

    return verify_chain()


@pytest.mark.parametrize("typed", ["Pat  example", "PAT EXAMPLE", " Pat Example "])
def test_the_typed_name_matches_ignoring_case_and_spaces(
    patient: Patient, form: ConsentFormVersion, questionnaire: QuestionnaireVersion, typed: str
) -> None:
    assert sign(patient, form, screened(patient, questionnaire), typed_name=typed).pk


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"typed_name": "Someone Else"}, "typed_name"),
        ({"typed_name": ""}, "typed_name"),
        ({"acknowledgements": ["read"]}, "acknowledgements"),
        ({"acknowledgements": ["read", "asked", "made_up"]}, "acknowledgements"),
        ({"e_records_accepted": False}, "e_records_accepted"),
        ({"signature_svg": "<svg><script>alert(1)</script></svg>"}, "signature_svg"),
        ({"signature_svg": '<svg onload="alert(1)"><path d="M1 1"/></svg>'}, "signature_svg"),
        ({"signature_svg": "<svg>" + '<path d="M1 1 L2 2"/>' * 5000 + "</svg>"}, "signature_svg"),
        ({"signature_svg": "not svg at all"}, "signature_svg"),
    ],
)
def test_it_refuses_bad_signing_input_and_writes_nothing(
    patient: Patient,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
    overrides: dict[str, Any],
    field: str,
) -> None:
    screening = screened(patient, questionnaire)

    with pytest.raises(services.ConsentError) as refusal:
        sign(patient, form, screening, **overrides)

    assert field in refusal.value.fields
    assert SignedConsent.objects.count() == 0


def test_a_minor_needs_a_guardian_with_authority_and_assent(
    patient: Patient, form: ConsentFormVersion, questionnaire: QuestionnaireVersion
) -> None:
    screening = services.record_screening(patient, questionnaire=questionnaire, answers=CLEAR, is_minor=True)
    assert screening.outcome == "review" and screening.reasons[0]["code"] == "minor"

    with pytest.raises(services.ConsentError) as refusal:
        sign(patient, form, screening, context=context(is_minor=True))
    assert "guardian" in refusal.value.fields

    guardian = services.Guardian(relationship="", authority="", minor_assent=False)
    with pytest.raises(services.ConsentError) as refusal:
        sign(patient, form, screening, context=context(is_minor=True), guardian=guardian, typed_name="Gina Guardian")
    assert {"guardian.relationship", "guardian.authority", "guardian.minor_assent"} <= set(refusal.value.fields)

    guardian = services.Guardian(
        relationship="Mother", authority="I am her parent with parental responsibility.", minor_assent=True
    )
    consent = sign(
        patient, form, screening, context=context(is_minor=True), guardian=guardian, typed_name="Gina Guardian"
    )
    assert (consent.signer_role, consent.typed_name, consent.minor_assent) == ("guardian", "Gina Guardian", True)


def test_a_blocked_screening_cannot_be_signed(
    patient: Patient, form: ConsentFormVersion, questionnaire: QuestionnaireVersion
) -> None:
    screening = screened(patient, questionnaire, needle_fear="yes")

    with pytest.raises(services.ConsentError) as refusal:
        sign(patient, form, screening)

    assert refusal.value.code == "screening_blocked" and refusal.value.status == 409


def test_another_patients_screening_cannot_be_used(
    patient: Patient, other_patient: Patient, form: ConsentFormVersion, questionnaire: QuestionnaireVersion
) -> None:
    with pytest.raises(services.ConsentError) as refusal:
        sign(patient, form, screened(other_patient, questionnaire))

    assert "screening" in refusal.value.fields


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({"needle_fear": "no"}, "answers.diabetes"),
        ({**CLEAR, "diabetes": "maybe"}, "answers.diabetes"),
        ({**CLEAR, "shoe_size": "9"}, "answers.shoe_size"),
    ],
)
def test_bad_answers_are_field_errors_and_record_nothing(
    patient: Patient, questionnaire: QuestionnaireVersion, answers: dict[str, str], field: str
) -> None:
    with pytest.raises(services.ConsentError) as refusal:
        services.record_screening(patient, questionnaire=questionnaire, answers=answers, is_minor=False)

    assert field in refusal.value.fields
    assert ScreeningResponse.objects.count() == 0


def test_publishing_numbers_versions_and_hashes_the_content(form: ConsentFormVersion) -> None:
    from tests.consent.factories import form_content

    second = services.publish_consent_form(scope=SCOPE, material=True, **form_content(title="Consent v2"))

    assert (form.version, second.version) == (1, 2)
    assert second.material and second.content_sha256 != form.content_sha256
    assert len(form.content_sha256) == 64


def test_withdrawing_twice_leaves_one_row(
    patient: Patient, form: ConsentFormVersion, questionnaire: QuestionnaireVersion
) -> None:
    consent = sign(patient, form, screened(patient, questionnaire))

    first = services.withdraw_consent(consent, by=patient.user)
    second = services.withdraw_consent(consent, by=patient.user)

    assert first.pk == second.pk


def test_covering_consent_ends_on_withdrawal_expiry_and_material_change(
    patient: Patient, form: ConsentFormVersion, questionnaire: QuestionnaireVersion
) -> None:
    from consent.selectors import covering_consent
    from tests.consent.factories import form_content

    now = timezone.now()
    consent = sign(patient, form, screened(patient, questionnaire))
    assert covering_consent(patient, scope=SCOPE, valid_since=now - timedelta(days=365)) == consent
    assert covering_consent(patient, scope=SCOPE, valid_since=now + timedelta(seconds=1)) is None, "expired"
    assert covering_consent(patient, scope="other-clinic", valid_since=now - timedelta(days=365)) is None

    services.publish_consent_form(scope=SCOPE, material=False, **form_content(title="Typo fixed"))
    assert covering_consent(patient, scope=SCOPE, valid_since=now - timedelta(days=365)) == consent
    services.publish_consent_form(scope=SCOPE, material=True, **form_content(title="New risks"))
    assert covering_consent(patient, scope=SCOPE, valid_since=now - timedelta(days=365)) is None, "superseded"


def test_a_withdrawn_consent_covers_nothing(
    patient: Patient, form: ConsentFormVersion, questionnaire: QuestionnaireVersion
) -> None:
    from consent.selectors import covering_consent

    consent = sign(patient, form, screened(patient, questionnaire))
    services.withdraw_consent(consent, by=patient.user)

    assert covering_consent(patient, scope=SCOPE, valid_since=timezone.now() - timedelta(days=365)) is None
