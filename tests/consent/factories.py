"""Consent factories: a small consent form and questionnaire, and publishing them.

SCOPE is the clinic slug the `form` and `questionnaire` fixtures publish for
(tests/consent/fixtures.py); CLEAR answers both required questions without a flag."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from consent import services
from consent.models import ConsentFormVersion, QuestionnaireVersion

if TYPE_CHECKING:
    from booking.models import Clinic

SCOPE = "test-clinic"
CONTEXT = {"clinic_name": "Test Clinic", "practitioner_name": "Dr Pin", "practitioner_disclosure": "Trained 80 h."}


def form_content(**overrides: Any) -> dict[str, Any]:
    content: dict[str, Any] = {
        "title": "Consent to dry needling",
        "sections": [
            {
                "id": "what",
                "heading": "What it is",
                "paragraphs": ["Thin needles go into tight muscle at {clinic_name}."],
            },
            {"id": "risks", "heading": "Risks", "paragraphs": ["Most side effects are mild."]},
            {"id": "training", "heading": "Training", "paragraphs": ["{practitioner_disclosure}"]},
        ],
        "side_effects": [
            {"effect": "Bruising", "how_often": "about 8 in 100 treatments", "note": ""},
            {"effect": "Fainting", "how_often": "not known", "note": "Tell us if you feel faint."},
        ],
        "acknowledgements": [{"id": "read", "text": "I have read this."}, {"id": "asked", "text": "I could ask."}],
        "intent_statement": "Typing my name is my signature for {clinic_name}.",
        "e_records_disclosure": "You can ask for paper.",
    }
    return {**content, **overrides}


QUESTIONS: list[dict[str, Any]] = [
    {
        "id": "needle_fear",
        "text": "Are you very afraid of needles?",
        "type": "yes_no",
        "required": True,
        "options": [
            {"value": "no", "label": "No", "outcome": "clear"},
            {
                "value": "yes",
                "label": "Yes",
                "outcome": "block",
                "code": "needle_phobia",
                "explanation": "Needling is not for you now.",
            },
        ],
    },
    {
        "id": "diabetes",
        "text": "Do you have diabetes?",
        "type": "yes_no",
        "required": True,
        "options": [
            {"value": "no", "label": "No", "outcome": "clear"},
            {
                "value": "yes",
                "label": "Yes",
                "outcome": "review",
                "code": "diabetes",
                "explanation": "Your practitioner will check this.",
            },
        ],
    },
    {
        "id": "medicines",
        "text": "Which medicines do you take?",
        "type": "text",
        "required": False,
        "if_answered": {"outcome": "review", "code": "medicines", "explanation": "We will check your medicines."},
    },
]


CLEAR = {"needle_fear": "no", "diabetes": "no"}


def publish_form(scope: str = SCOPE) -> ConsentFormVersion:
    """The consent form above, published for `scope`."""
    return services.publish_consent_form(scope=scope, **form_content())


def publish_questionnaire(scope: str = SCOPE) -> QuestionnaireVersion:
    """The questions above, published for `scope`; a minor's answers always go to review."""
    return services.publish_questionnaire(
        scope=scope,
        title="Health check",
        items=QUESTIONS,
        combined_rules=[
            {"when": {"context:minor": True}, "outcome": "review", "code": "minor", "explanation": "A guardian signs."}
        ],
    )


def publish_for(clinic: Clinic, **form_overrides: Any) -> tuple[ConsentFormVersion, QuestionnaireVersion]:
    """A consent form and questionnaire for another clinic (the fixtures' are for `test-clinic`)."""
    return (
        services.publish_consent_form(scope=clinic.slug, **form_content(**form_overrides)),
        services.publish_questionnaire(scope=clinic.slug, title="Health check", items=QUESTIONS),
    )
