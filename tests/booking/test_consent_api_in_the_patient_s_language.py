"""The API's health questions and consent form in the caller's language, as the pages give
them: the clinic's reviewed translation into the language asked for (Accept-Language, else
the patient's stored one), else the clinic's own text with the missing language named. What
is answered and signed through the API is stored in the language shown."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader
from rest_framework.test import APIClient

from accounts.models import Patient, User
from booking.models import Appointment
from consent import documents, selectors
from consent.models import (
    ChainVerification,
    ConsentFormTranslation,
    ConsentFormVersion,
    QuestionnaireTranslation,
    QuestionnaireVersion,
    ScreeningResponse,
    SignedConsent,
)
from consent.verification import check_chains
from tests.booking.consent_api import consent_body
from tests.consent.factories import CLEAR, SCOPE
from tests.consent.translations import form_translation, questionnaire_translation

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer(practitioner: User) -> User:
    practitioner.is_verified = lambda: True  # type: ignore[attr-defined]  # a session that passed the one-time code
    return practitioner


@pytest.fixture
def spanish(
    form: ConsentFormVersion, questionnaire: QuestionnaireVersion, reviewer: User
) -> tuple[ConsentFormTranslation, QuestionnaireTranslation]:
    return (
        form_translation(form, language="es", reviewer=reviewer),
        questionnaire_translation(questionnaire, language="es", reviewer=reviewer),
    )


def documents_for(client: APIClient, appointment: Appointment, language: str = "") -> tuple[Any, Any]:
    """The form for the visit and the questions, asked for in `language` ("": no Accept-Language)."""
    form = client.get(
        f"/api/v1/consent/form?clinic={SCOPE}&appointment={appointment.pk}", HTTP_ACCEPT_LANGUAGE=language
    )
    questions = client.get(f"/api/v1/consent/questionnaire?clinic={SCOPE}", HTTP_ACCEPT_LANGUAGE=language)
    assert form.status_code == questions.status_code == 200
    return form.json(), questions.json()


def test_a_spanish_caller_gets_the_reviewed_spanish_form_and_questions(
    patient_api: APIClient, held: Appointment, form: ConsentFormVersion, spanish: tuple[Any, Any]
) -> None:
    got_form, got_questions = documents_for(patient_api, held, "es")

    assert (got_form["id"], got_form["sha256"]) == (form.pk, form.content_sha256)  # the version, as before
    assert (got_form["language"], got_form["translation"]) == ("es", spanish[0].pk)
    assert (got_questions["language"], got_questions["translation"]) == ("es", spanish[1].pk)
    for got in (got_form, got_questions):
        assert got["missing_language"] is None and got["notice"] is None
        assert got["title"].startswith("ES: ")
    assert got_form["sections"][0]["heading"].startswith("ES: ")
    assert all(a["text"].startswith("ES: ") for a in got_form["acknowledgements"])
    assert got_questions["items"][0]["id"] == "needle_fear" and got_questions["items"][0]["text"].startswith("ES: ")


def test_without_accept_language_the_patient_s_stored_language_is_used(
    patient_api: APIClient, patient: Patient, held: Appointment, spanish: tuple[Any, Any]
) -> None:
    User.objects.filter(pk=patient.user_id).update(language="es")

    got_form, got_questions = documents_for(patient_api, held)

    assert got_form["language"] == got_questions["language"] == "es"
    assert got_form["translation"] == spanish[0].pk


def test_the_first_language_asked_for_that_the_clinic_offers_wins(
    stranger: APIClient, clinic: Any, spanish: tuple[Any, Any]
) -> None:
    got = stranger.get(f"/api/v1/consent/form?clinic={SCOPE}", HTTP_ACCEPT_LANGUAGE="de, es;q=0.8").json()

    assert (got["language"], got["translation"], got["missing_language"]) == ("es", spanish[0].pk, None)


@pytest.mark.parametrize(
    ("header", "missing", "notice"),
    [
        ("de", "de", "This form is not yet available in German. It is shown in English;"),
        ("es", "es", "Este formulario aún no está disponible en español. Se muestra en inglés;"),
        ("fr-CA", "fr-ca", "Ce formulaire n\u2019est pas encore disponible en français. Il est affiché en anglais ;"),
    ],
)
def test_without_a_reviewed_translation_the_clinic_s_text_comes_with_the_missing_language(
    patient_api: APIClient, held: Appointment, form: ConsentFormVersion, header: str, missing: str, notice: str
) -> None:
    got_form, got_questions = documents_for(patient_api, held, header)

    for got in (got_form, got_questions):
        assert (got["language"], got["translation"], got["missing_language"]) == ("en-gb", None, missing)
        assert got["notice"].startswith(notice)
    assert got_form["title"] == form.title


def test_an_english_caller_gets_the_clinic_s_text_and_no_notice(
    patient_api: APIClient, held: Appointment, form: ConsentFormVersion, spanish: tuple[Any, Any]
) -> None:
    got_form, _ = documents_for(patient_api, held, "en-GB")

    assert (got_form["language"], got_form["translation"], got_form["missing_language"]) == ("en-gb", None, None)
    assert got_form["title"] == form.title and got_form["notice"] is None


def sign_in_spanish(client: APIClient, held: Appointment, form: ConsentFormVersion, **sent: Any) -> Any:
    got_form, got_questions = documents_for(client, held, "es")
    screening = client.post(
        "/api/v1/screenings",
        {
            "questionnaire_version": got_questions["id"],
            "answers": CLEAR,
            "appointment": held.pk,
            "questionnaire_translation": got_questions["translation"],
            **sent.get("screening", {}),
        },
        format="json",
        HTTP_ACCEPT_LANGUAGE="es",
    )
    assert screening.status_code == 201, screening.json()
    body = consent_body(form, screening.json()["id"], held, form_translation=got_form["translation"])
    signed = client.post(
        "/api/v1/consents", {**body, **sent.get("consent", {})}, format="json", HTTP_ACCEPT_LANGUAGE="es"
    )
    return got_form, screening.json(), signed


def test_answering_and_signing_in_spanish_store_the_spanish_text_that_was_shown(
    patient_api: APIClient, held: Appointment, form: ConsentFormVersion, spanish: tuple[Any, Any]
) -> None:
    got_form, screening, signed = sign_in_spanish(patient_api, held, form)

    assert signed.status_code == 201, signed.json()
    assert (screening["language"], screening["questionnaire_translation"]) == ("es", spanish[1].pk)
    answered = ScreeningResponse.objects.get(pk=screening["id"])
    assert (answered.language, answered.questionnaire_translation) == ("es", spanish[1])
    consent = SignedConsent.objects.get(pk=signed.json()["id"])
    assert (consent.language, consent.form_translation) == ("es", spanish[0])
    assert (signed.json()["language"], signed.json()["form_translation"]) == ("es", spanish[0].pk)
    text = documents.render_text(spanish[0].canonical(), consent.render_context)
    assert "ES: " in text
    assert consent.rendered_text_sha256 == documents.sha256_text(text) == got_form["rendered_text_sha256"]
    assert consent.intent_statement.startswith("ES: ")
    assert selectors.verify_chain() is None
    assert check_chains(trigger=ChainVerification.Trigger.COMMAND).run.ok


def test_older_clients_that_send_no_translation_get_the_one_offered_for_their_language(
    patient_api: APIClient,
    held: Appointment,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
    spanish: tuple[Any, Any],
) -> None:
    screening = patient_api.post(
        "/api/v1/screenings",
        {"questionnaire_version": questionnaire.pk, "answers": CLEAR, "appointment": held.pk},
        format="json",
        HTTP_ACCEPT_LANGUAGE="es",
    ).json()
    signed = patient_api.post(
        "/api/v1/consents", consent_body(form, screening["id"], held), format="json", HTTP_ACCEPT_LANGUAGE="es"
    )

    assert signed.status_code == 201, signed.json()
    assert ScreeningResponse.objects.get().questionnaire_translation == spanish[1]
    assert SignedConsent.objects.get().form_translation == spanish[0]


def test_a_translation_reviewed_while_the_patient_read_the_english_is_not_signed_unread(
    patient_api: APIClient,
    held: Appointment,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
    reviewer: User,
) -> None:
    got_form, _ = documents_for(patient_api, held, "es")
    screening = patient_api.post(
        "/api/v1/screenings",
        {"questionnaire_version": questionnaire.pk, "answers": CLEAR, "appointment": held.pk},
        format="json",
        HTTP_ACCEPT_LANGUAGE="es",
    ).json()
    form_translation(form, language="es", reviewer=reviewer)

    body = consent_body(form, screening["id"], held, form_translation=got_form["translation"])
    refused = patient_api.post("/api/v1/consents", body, format="json", HTTP_ACCEPT_LANGUAGE="es")

    assert got_form["translation"] is None
    assert refused.status_code == 400
    assert refused.json()["fields"] == {
        "form_translation": ["Se ha publicado un formulario de consentimiento más reciente: léalo antes de firmar."]
    }
    assert not SignedConsent.objects.exists()


def test_answers_name_only_a_reviewed_translation_of_the_questions_answered(
    patient_api: APIClient,
    held: Appointment,
    questionnaire: QuestionnaireVersion,
) -> None:
    draft = questionnaire_translation(questionnaire, language="es")

    refused = patient_api.post(
        "/api/v1/screenings",
        {
            "questionnaire_version": questionnaire.pk,
            "answers": CLEAR,
            "appointment": held.pk,
            "questionnaire_translation": draft.pk,
        },
        format="json",
    )

    assert refused.status_code == 400
    assert list(refused.json()["fields"]) == ["questionnaire_translation"]
    assert not ScreeningResponse.objects.exists()


def test_the_pdf_of_a_consent_signed_through_the_api_in_spanish_holds_the_spanish_text(
    patient_api: APIClient, held: Appointment, form: ConsentFormVersion, spanish: tuple[Any, Any]
) -> None:
    _, _, signed = sign_in_spanish(patient_api, held, form)
    consent = SignedConsent.objects.get(pk=signed.json()["id"])

    response = patient_api.get(f"/api/v1/consents/{consent.pk}/pdf")

    assert response.status_code == 200
    flat = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages).split())
    signed_text = documents.render_text(consent.shown_canonical(), consent.render_context)
    for line in filter(None, signed_text.splitlines()):
        assert " ".join(line.split()) in flat, line
    assert "Firmado por: Pat Example" in flat and "Signed by" not in flat
