"""Signing a reviewed translation: the signature keeps the language and the translation, the
hash of the translated text, and everything that rebuilds the text rebuilds the translation."""

from __future__ import annotations

import base64
import io
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from accounts.models import Patient, User
from consent import documents, selectors, services
from consent.access import signed_text
from consent.fhir.bundle import build_bundle
from consent.fhir.record import ConsentData, PatientData, PatientRecord
from consent.models import ConsentFormVersion, QuestionnaireVersion, SignedConsent
from consent.pdf import consent_pdf
from core import formats
from tests.consent.factories import CLEAR, CONTEXT, SCOPE, form_content
from tests.consent.signing import context, sign
from tests.consent.translations import form_translation, questionnaire_translation
from tests.core.i18n import english_left_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer(practitioner: User) -> User:
    practitioner.is_verified = lambda: True  # type: ignore[attr-defined]
    return practitioner


@pytest.fixture
def signed_in_spanish(
    patient: Patient, form: ConsentFormVersion, questionnaire: QuestionnaireVersion, reviewer: User
) -> SignedConsent:
    spanish_questions = questionnaire_translation(questionnaire, reviewer=reviewer)
    screening = services.record_screening(
        patient, questionnaire=questionnaire, answers=CLEAR, is_minor=False, translation=spanish_questions
    )
    return sign(patient, form, screening, translation=form_translation(form, reviewer=reviewer))


def test_it_keeps_the_language_the_translation_and_the_hash_of_the_spanish_text(
    signed_in_spanish: SignedConsent,
) -> None:
    consent = signed_in_spanish
    assert consent.form_translation is not None
    spanish_text = documents.render_text(consent.form_translation.canonical(), CONTEXT)

    assert consent.language == "es" and consent.form_translation is not None
    assert consent.screening.language == "es" and consent.screening.questionnaire_translation is not None
    assert consent.rendered_text_sha256 == documents.sha256_text(spanish_text)
    assert "ES: Thin needles go into tight muscle at Test Clinic." in spanish_text
    assert spanish_text.startswith("ES: Consent to dry needling (versión 1)")
    assert "Confirmo que:" in spanish_text
    assert consent.intent_statement == "ES: Typing my name is my signature for Test Clinic."
    assert consent.form_sha256 == consent.form_version.content_sha256  # the source version signed, in Spanish


def test_the_chain_still_verifies_and_the_text_is_rebuilt_in_spanish(
    signed_in_spanish: SignedConsent, patient: Patient, form: ConsentFormVersion
) -> None:
    english = sign(patient, form, signed_in_spanish.screening)  # the source, after the translation

    assert selectors.verify_chain() is None
    text = signed_text(signed_in_spanish, user=patient.user, channel="api", ip_address=None)
    assert documents.sha256_text(text) == signed_in_spanish.rendered_text_sha256
    assert english.language == "" and english.form_translation is None
    assert documents.sha256_text(documents.render_text(english.shown_canonical(), CONTEXT)) == (
        english.rendered_text_sha256
    )


def test_an_unreviewed_or_outdated_translation_cannot_be_signed(
    patient: Patient, form: ConsentFormVersion, questionnaire: QuestionnaireVersion
) -> None:
    screening = services.record_screening(patient, questionnaire=questionnaire, answers=CLEAR, is_minor=False)

    with pytest.raises(services.ConsentError) as refused:
        sign(patient, form, screening, translation=form_translation(form))

    assert "form_version" in refused.value.fields
    assert not SignedConsent.objects.exists()


def test_a_source_signature_records_the_clinic_s_language(
    patient: Patient, form: ConsentFormVersion, questionnaire: QuestionnaireVersion
) -> None:
    screening = services.record_screening(patient, questionnaire=questionnaire, answers=CLEAR, is_minor=False)

    consent = sign(patient, form, screening, context=context(language="en-gb"))

    assert (consent.language, consent.form_translation) == ("en-gb", None)


def test_the_pdf_of_a_consent_signed_in_spanish_holds_the_spanish_text_that_was_signed(
    signed_in_spanish: SignedConsent,
) -> None:
    pdf = consent_pdf(signed_in_spanish, zone="Europe/Madrid")

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    flat = " ".join(text.split())
    signed = documents.render_text(signed_in_spanish.shown_canonical(), signed_in_spanish.render_context)
    for line in filter(None, signed.splitlines()):
        assert " ".join(line.split()) in flat, line
    assert "Firmado por: Pat Example (el paciente)" in flat
    assert "Fecha y hora:" in flat and "de 20" in flat  # "4 de diciembre de 2026"
    assert "ES: Are you very afraid of needles? — ES: No" in flat
    assert "Signed by" not in flat and "Date and time" not in flat
    assert english_left_in(flat.replace("ES: ", "")) == []  # the test's document is prefixed English


@pytest.mark.parametrize("language", ["es", "fr"])
def test_the_pdf_labels_and_date_are_in_the_signer_s_language(
    patient: Patient, form: ConsentFormVersion, questionnaire: QuestionnaireVersion, reviewer: User, language: str
) -> None:
    screening = services.record_screening(patient, questionnaire=questionnaire, answers=CLEAR, is_minor=False)
    consent = sign(patient, form, screening, translation=form_translation(form, language=language, reviewer=reviewer))

    pdf = consent_pdf(consent, zone="Europe/Paris")

    flat = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())
    local = consent.signed_at.astimezone(ZoneInfo("Europe/Paris"))
    assert formats.full_date_at(local, language) in flat
    labels = {"es": ["Firma", "Lo que se firmó", "Integridad"], "fr": ["Signature", "Ce qui a été signé", "Intégrité"]}
    assert all(label in flat for label in labels[language])
    assert "What was signed" not in flat and "Health questions and answers" not in flat


def test_the_fhir_consent_and_questionnaire_response_carry_spanish(
    signed_in_spanish: SignedConsent, patient: Patient, form: ConsentFormVersion
) -> None:
    consent = signed_in_spanish
    record = PatientRecord(
        patient=PatientData(id=patient.pk, legal_name=patient.legal_name, email=patient.user.email),
        questionnaires=[consent.screening.questionnaire_version],
        screenings=[consent.screening],
        consents=[ConsentData(consent=consent, status="active", clinic_name="Test Clinic")],
    )

    bundle = build_bundle(record)  # validated: the R4B models and our own checks

    by_type = {entry["resource"]["resourceType"]: entry["resource"] for entry in bundle["entry"]}
    assert by_type["Consent"]["language"] == "es"
    assert by_type["QuestionnaireResponse"]["language"] == "es"
    attachment = by_type["Consent"]["sourceAttachment"]
    assert attachment["language"] == "es"
    assert "ES: Thin needles" in base64.b64decode(attachment["data"]).decode()
    assert by_type["QuestionnaireResponse"]["item"][0]["text"] == "ES: Are you very afraid of needles?"


def test_a_new_version_stops_the_translation_being_offered_but_signed_rows_keep_it(
    signed_in_spanish: SignedConsent,
) -> None:
    services.publish_consent_form(scope=SCOPE, **form_content())

    signed_in_spanish.refresh_from_db()
    assert signed_in_spanish.form_translation is not None
    assert signed_in_spanish.form_translation.outdated_at is not None
    assert selectors.verify_chain() is None
