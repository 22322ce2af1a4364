"""A small published form and questionnaire for consent tests."""

from __future__ import annotations

from typing import Any

import pytest

from consent import services
from consent.models import ConsentFormVersion, QuestionnaireVersion

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


@pytest.fixture
def form(db: None) -> ConsentFormVersion:
    return services.publish_consent_form(scope=SCOPE, **form_content())


@pytest.fixture
def questionnaire(db: None) -> QuestionnaireVersion:
    return services.publish_questionnaire(
        scope=SCOPE,
        title="Health check",
        items=QUESTIONS,
        combined_rules=[
            {"when": {"context:minor": True}, "outcome": "review", "code": "minor", "explanation": "A guardian signs."}
        ],
    )


CLEAR = {"needle_fear": "no", "diabetes": "no"}
