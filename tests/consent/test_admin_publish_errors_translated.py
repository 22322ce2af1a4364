"""A clinic admin who reads Spanish or French reads the publish page's errors in that language:
each problem with a document is one whole sentence, the position ("Section 2", "Question 1
(x), answer 1") in the admin's words, the JSON keys as they are typed. The model names the
admin shows and the message template's help text are translated too."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.utils import translation

from accounts.models import User
from booking.models import Clinic
from consent import document_checks as checks
from consent.models import ConsentFormVersion, QuestionnaireVersion
from notifications.models import MessageTemplate
from tests.accounts.sign_in import verified_staff_client
from tests.booking.factories import make_clinic
from tests.consent.factories import SCOPE
from tests.consent.publishing import FORM_URL, QUESTIONNAIRE_URL, admin_of, form_post, questionnaire_post
from tests.core.i18n import english_left_in

pytestmark = pytest.mark.django_db

BAD_SECTIONS = [
    {"id": "what", "heading": "", "paragraphs": ["Hi {patient_name}", "Oops {"]},
    {"id": "what", "heading": 3, "paragraph": ["x"]},
]
BAD_ITEMS = [
    {"id": "x", "text": "X?", "type": "choice", "required": "yes", "options": [{"value": "a"}, {"value": "a"}]},
    {"id": "Y", "text": " ", "type": "text", "options": [], "if_answered": {"outcome": "maybe", "site": 1}},
    {"text": "Z?", "type": "scale"},
]
SPANISH = {
    "sections": ['Sección 1: "heading" está vacío.', "Sección 1, párrafo 2: este texto tiene una { o } suelta."],
    "items": ['Pregunta 1 (x), respuesta 2: el valor "a" se usa dos veces.', 'Pregunta 3: "type" debe ser uno'],
}
FRENCH = {
    "sections": ['Section 1 : "heading" est vide.', 'Section 2 : l\'id "what" est utilisé deux fois.'],
    "items": ['Question 2 (Y), "if_answered" : "outcome" doit être', 'Question 3 : "id" manque.'],
}


def every_error() -> list[str]:
    return [
        *checks.section_errors(BAD_SECTIONS),
        *checks.section_errors({}),
        *checks.side_effect_errors([{"effect": 1, "how_often": "", "note": "{x}"}]),
        *checks.acknowledgement_errors([{"id": "1", "text": None}]),
        *checks.risks_errors([], [{"effect": "Bruising"}]),
        *checks.item_errors(BAD_ITEMS),
        *checks.combined_rule_errors([{"when": {}, "outcome": "x", "code": 1, "site": "no"}]),
        *checks.blank_errors(3),
        *checks.blank_errors("{"),
        *checks.blank_errors("{who}"),
    ]


@pytest.mark.parametrize(("language", "expected"), [("es", SPANISH), ("fr", FRENCH)])
def test_every_shape_error_is_a_whole_sentence_in_the_admins_language(language: str, expected: dict) -> None:
    with translation.override(language):
        errors = every_error()
        section_errors = checks.section_errors(BAD_SECTIONS)
        item_errors = checks.item_errors(BAD_ITEMS)

    assert len(errors) > 30
    assert english_left_in(" ".join(errors)) == []
    for words in expected["sections"]:
        assert any(error.startswith(words) for error in section_errors), words
    for words in expected["items"]:
        assert any(error.startswith(words) for error in item_errors), words


def test_the_shape_errors_keep_their_english_wording_in_english() -> None:
    errors = checks.section_errors(BAD_SECTIONS)

    assert 'Section 1: "heading" is empty.' in errors
    assert "Section 1, paragraph 1: this text names an unknown blank {patient_name}." in " ".join(errors)
    assert 'Section 2: the id "what" is used twice.' in errors
    assert 'Section 2: unknown "paragraph" (a typo?). Use heading, id, paragraphs.' in errors


def spanish_admin(clinic: Clinic) -> User:
    user = admin_of(clinic, "administra@example.com")
    User.objects.filter(pk=user.pk).update(language="es")
    return user


@pytest.mark.parametrize(
    ("items", "rules", "message"),
    [
        (
            [
                {
                    "id": "x",
                    "text": "X?",
                    "type": "yes_no",
                    "options": [{"value": "yes", "label": "Sí", "outcome": "block"}],
                }
            ],
            [],
            "x: una respuesta que no es clear necesita un código de motivo y una explicación.",
        ),
        (
            [{"id": "x", "text": "X?", "type": "yes_no", "options": [{"value": "yes", "label": "Sí"}]}],
            [{"when": {"nope": "yes"}, "outcome": "review", "code": "c", "explanation": "e"}],
            "La regla combinada nombra una pregunta o una respuesta desconocida: nope=",
        ),
    ],
)
def test_a_spanish_admin_reads_the_questionnaire_rule_errors_in_spanish(
    questionnaire: QuestionnaireVersion, items: list, rules: list, message: str
) -> None:
    client = verified_staff_client(spanish_admin(make_clinic(name="Test Clinic", slug=SCOPE)))

    response = client.post(QUESTIONNAIRE_URL, questionnaire_post(questionnaire, items=items, combined_rules=rules))

    html = response.content.decode()
    assert response.status_code == 200 and message in html
    assert english_left_in(html) == []
    assert QuestionnaireVersion.objects.filter(scope=SCOPE).count() == 1


def test_a_spanish_admin_reads_the_consent_form_errors_in_spanish(form: ConsentFormVersion) -> None:
    client = verified_staff_client(spanish_admin(make_clinic(name="Test Clinic", slug=SCOPE)))

    response = client.post(FORM_URL, form_post(form, sections=BAD_SECTIONS, intent_statement="Firmo {."))

    html = response.content.decode().replace("&quot;", '"')
    assert 'Sección 1: "heading" está vacío.' in html and "Este texto tiene una { o } suelta." in html
    assert english_left_in(html) == []
    assert ConsentFormVersion.objects.filter(scope=SCOPE).count() == 1


MODELS = [
    "accounts.SignInChallenge",
    "consent.ScreeningResponse",
    "consent.ConsentWithdrawal",
    "consent.ScreeningReview",
    "consent.ChainHead",
    "consent.ClinicChainHead",
    "booking.CredentialExpiryNotice",
    "booking.ErasureRequest",
    "booking.PractitionerEvent",
    "booking.SymptomReport",
    "booking.SessionNote",
    "axes.AccessAttempt",
    "axes.AccessLog",
    "axes.AccessFailureLog",
]


@pytest.mark.parametrize("language", ["es", "fr"])
@pytest.mark.parametrize("label", MODELS)
def test_model_names_are_in_the_admins_language(language: str, label: str) -> None:
    meta = apps.get_model(label)._meta
    english = (str(meta.verbose_name), str(meta.verbose_name_plural))

    with translation.override(language):
        translated = (str(meta.verbose_name), str(meta.verbose_name_plural))

    assert translated[0] != english[0] and translated[1] != english[1]


@pytest.mark.parametrize("language", ["es", "fr"])
def test_the_message_template_help_is_whole_translated_sentences(language: str) -> None:
    help_text = MessageTemplate._meta.get_field("text").help_text

    assert str(help_text).startswith("The plain-text body (or the whole text message). Names you can use: ")
    with translation.override(language):
        translated = str(help_text)
    assert english_left_in(translated) == []
    assert "patient_name" in translated and "notifications/includes/red_flags.txt" in translated
