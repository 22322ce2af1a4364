"""Only the clinic's current form can be signed, and only with the patient's latest
answers to the current questions, answered for this visit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Patient
from consent import services
from consent.models import ConsentFormVersion, QuestionnaireVersion, SignedConsent
from tests.consent.factories import QUESTIONS, SCOPE, form_content
from tests.consent.signing import screened, sign

pytestmark = pytest.mark.django_db


def test_a_superseded_form_is_refused_on_form_version(
    patient: Patient, form: ConsentFormVersion, questionnaire: QuestionnaireVersion
) -> None:
    services.publish_consent_form(scope=SCOPE, **form_content(title="Typo fixed"))

    with pytest.raises(services.ConsentError) as refusal:
        sign(patient, form, screened(patient, questionnaire))

    assert "newer consent form" in " ".join(refusal.value.fields["form_version"])
    assert not SignedConsent.objects.exists()


def test_a_screening_on_an_earlier_questionnaire_is_refused(
    patient: Patient, form: ConsentFormVersion, questionnaire: QuestionnaireVersion
) -> None:
    answers = screened(patient, questionnaire)
    services.publish_questionnaire(scope=SCOPE, title="Health check, reworded", items=QUESTIONS)

    with pytest.raises(services.ConsentError) as refusal:
        sign(patient, form, answers)

    assert "questions have changed" in " ".join(refusal.value.fields["screening"])


def test_earlier_answers_cannot_be_signed_once_the_patient_answered_again(
    patient: Patient, form: ConsentFormVersion, questionnaire: QuestionnaireVersion
) -> None:
    clear = screened(patient, questionnaire)
    screened(patient, questionnaire, diabetes="yes")

    with pytest.raises(services.ConsentError) as refusal:
        sign(patient, form, clear)

    assert "latest answers" in " ".join(refusal.value.fields["screening"])
    assert not SignedConsent.objects.exists()


def test_answers_from_before_the_visit_was_held_are_refused(
    patient: Patient, form: ConsentFormVersion, questionnaire: QuestionnaireVersion
) -> None:
    answers = screened(patient, questionnaire)

    with pytest.raises(services.ConsentError) as refusal:
        sign(patient, form, answers, screened_since=answers.created_at + timedelta(seconds=1))

    assert "for this visit" in " ".join(refusal.value.fields["screening"])
    assert sign(patient, form, answers, screened_since=answers.created_at).screening == answers


def test_the_current_form_with_the_latest_answers_is_signed(
    patient: Patient, form: ConsentFormVersion, questionnaire: QuestionnaireVersion
) -> None:
    screened(patient, questionnaire)
    latest = screened(patient, questionnaire, diabetes="yes")

    consent = sign(patient, form, latest, screened_since=timezone.now() - timedelta(minutes=5))

    assert (consent.form_version, consent.screening) == (form, latest)
