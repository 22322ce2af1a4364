"""The demo data ships reviewed Spanish and French translations, labelled as demo data."""

from __future__ import annotations

import sys
import types
from typing import Any

import pytest

from consent import content, demo, selectors, translation_checks
from consent.models import ConsentFormTranslation, QuestionnaireTranslation
from tests.consent.translations import _rewrite

pytestmark = pytest.mark.django_db


@pytest.fixture
def stand_in_translations(monkeypatch: pytest.MonkeyPatch) -> None:
    """consent.content.translations, as its own tests do not need its words: prefixed English."""
    module = types.ModuleType("consent.content.translations")

    def form(language: str) -> dict[str, Any]:
        return _rewrite(content.demo_consent_form(), translation_checks.CONSENT_FORM_TEXTS, f"[{language}] ")

    def questions(language: str) -> dict[str, Any]:
        return _rewrite(content.demo_questionnaire(), translation_checks.QUESTIONNAIRE_TEXTS, f"[{language}] ")

    module.translated_consent_form = form  # type: ignore[attr-defined]
    module.translated_questionnaire = questions  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "consent.content.translations", module)


def test_the_demo_documents_get_reviewed_spanish_and_french_by_the_labelled_demo_reviewer(
    stand_in_translations: None,
) -> None:
    demo.seed_documents("demo-clinic")
    demo.seed_documents("demo-clinic")  # a second run adds nothing

    for model in (ConsentFormTranslation, QuestionnaireTranslation):
        rows = model.objects.order_by("language")
        assert [t.language for t in rows] == ["es", "fr"]
        assert {t.reviewer.email for t in rows if t.reviewer} == {demo.DEMO_REVIEWER_EMAIL}
        assert all(t.reviewed_at and t.outdated_at is None for t in rows)
    reviewer = ConsentFormTranslation.objects.first().reviewer  # type: ignore[union-attr]
    assert reviewer is not None and not reviewer.has_usable_password() and not reviewer.is_staff
    offered = selectors.offered_form("demo-clinic", language="fr", source_language="en-gb")
    assert offered is not None and offered.translation is not None and offered.title.startswith("[fr] ")


def test_without_the_translations_module_the_demo_is_english_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo, "_translations", lambda: None)

    demo.seed_documents("demo-clinic")

    assert not ConsentFormTranslation.objects.exists()


def test_the_shipped_demo_translations_match_their_sources() -> None:
    translations = demo._translations()
    if translations is None:
        pytest.skip("consent.content.translations is not in this branch yet")
    for language in demo.DEMO_LANGUAGES:
        translation_checks.check_consent_form(
            content.demo_consent_form(), translations.translated_consent_form(language)
        )
        translation_checks.check_questionnaire(
            content.demo_questionnaire(), translations.translated_questionnaire(language)
        )
