"""The health questions and the consent form in the patient's language: the clinic's reviewed
translation when there is one, else its own text with a notice in the patient's language."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from accounts.models import Patient, User
from consent import documents, selectors
from consent.models import ScreeningResponse, SignedConsent
from tests.booking.pages import ANSWERS_CLEAR, Journey, sign_in, signature, walk_to_consent
from tests.consent.translations import form_translation, questionnaire_translation

pytestmark = pytest.mark.django_db

NOTICE_EN = "This form is not yet available in"


@pytest.fixture
def reviewer(practitioner: User) -> User:
    practitioner.is_verified = lambda: True  # type: ignore[attr-defined]  # a session that passed the one-time code
    return practitioner


def speaks(patient: Patient, language: str) -> None:
    User.objects.filter(pk=patient.user_id).update(language=language)
    patient.user.refresh_from_db()


def translate(journey: Journey, reviewer: User, language: str = "es") -> None:
    scope = journey.clinic.slug
    form, questionnaire = selectors.current_form(scope), selectors.current_questionnaire(scope)
    assert form is not None and questionnaire is not None
    form_translation(form, language=language, reviewer=reviewer)
    questionnaire_translation(questionnaire, language=language, reviewer=reviewer)


def test_a_spanish_patient_answers_and_signs_the_reviewed_spanish_documents(
    client: Client, journey: Journey, patient: Patient, reviewer: User
) -> None:
    translate(journey, reviewer)
    speaks(patient, "es")
    sign_in(client, patient)

    pk, screening = walk_to_consent(client, journey, patient, ANSWERS_CLEAR)
    questions = client.get(f"/appointments/{pk}/screening/").content.decode()
    page = client.get(f"/appointments/{pk}/consent/?screening={screening}").content.decode()
    shown = re.search(r'name="form_version" value="([^"]+)"', page)
    assert shown is not None
    client.post(f"/appointments/{pk}/consent/", {"screening": screening, "form_version": shown[1], **signature()})

    assert "ES: Are you very afraid of needles?" in questions and NOTICE_EN not in questions
    assert "ES: Thin needles go into tight muscle at Harbour Physiotherapy." in page and NOTICE_EN not in page
    answered = ScreeningResponse.objects.get(pk=screening)
    assert answered.language == "es" and answered.answers == ANSWERS_CLEAR
    consent = SignedConsent.objects.get()
    assert consent.language == "es" and consent.form_translation is not None
    text = documents.render_text(consent.form_translation.canonical(), consent.render_context)
    assert consent.rendered_text_sha256 == documents.sha256_text(text)
    assert selectors.verify_chain() is None


@pytest.mark.parametrize(
    ("language", "notice"),
    [
        ("es", "Este formulario aún no está disponible en español. Se muestra en inglés;"),
        ("fr", "Ce formulaire n\u2019est pas encore disponible en français. Il est affiché en anglais ;"),
    ],
)
def test_without_a_reviewed_translation_the_clinic_s_text_comes_with_a_notice_in_the_patient_s_language(
    client: Client, journey: Journey, patient: Patient, language: str, notice: str
) -> None:
    speaks(patient, language)
    sign_in(client, patient)

    pk, screening = walk_to_consent(client, journey, patient, ANSWERS_CLEAR)
    questions = client.get(f"/appointments/{pk}/screening/").content.decode()
    page = client.get(f"/appointments/{pk}/consent/?screening={screening}").content.decode()
    client.post(f"/appointments/{pk}/consent/", {"screening": screening, **signature()})

    for html in (questions, page):
        flat = " ".join(html.split())
        assert notice in flat and NOTICE_EN not in flat
    assert "Thin needles go into tight muscle at Harbour Physiotherapy." in page
    consent = SignedConsent.objects.get()
    assert (consent.language, consent.form_translation) == ("en-gb", None)


def test_an_english_patient_gets_the_clinic_s_text_and_no_notice(
    client: Client, journey: Journey, patient: Patient, reviewer: User
) -> None:
    translate(journey, reviewer)
    sign_in(client, patient)

    pk, screening = walk_to_consent(client, journey, patient, ANSWERS_CLEAR)
    page = client.get(f"/appointments/{pk}/consent/?screening={screening}").content.decode()

    assert "ES: " not in page and NOTICE_EN not in page


def test_a_translation_reviewed_while_the_patient_read_the_english_is_not_signed_unread(
    client: Client, journey: Journey, patient: Patient, reviewer: User
) -> None:
    speaks(patient, "es")
    sign_in(client, patient)
    pk, screening = walk_to_consent(client, journey, patient, ANSWERS_CLEAR)
    page = client.get(f"/appointments/{pk}/consent/?screening={screening}").content.decode()
    shown = re.search(r'name="form_version" value="([^"]+)"', page)
    assert shown is not None
    translate(journey, reviewer)

    response = client.post(
        f"/appointments/{pk}/consent/", {"screening": screening, "form_version": shown[1], **signature()}
    )

    assert response.status_code == 200
    assert "ES: Thin needles" in response.content.decode()  # now shown the Spanish, to read first
    assert not SignedConsent.objects.exists()
