"""The demo data ships reviewed Spanish and French translations, labelled as demo data."""

from __future__ import annotations

import pytest

from consent import content, demo, selectors, translation_checks
from consent.content.translations import translated_consent_form, translated_questionnaire
from consent.models import ConsentFormTranslation, QuestionnaireTranslation

pytestmark = pytest.mark.django_db


def test_the_demo_documents_get_reviewed_spanish_and_french_by_the_labelled_demo_reviewer() -> None:
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
    assert (
        offered is not None
        and offered.translation is not None
        and offered.title == translated_consent_form("fr")["title"]
    )


def test_the_shipped_demo_translations_match_their_sources() -> None:
    for language in demo.DEMO_LANGUAGES:
        translation_checks.check_consent_form(content.demo_consent_form(), translated_consent_form(language))
        translation_checks.check_questionnaire(content.demo_questionnaire(), translated_questionnaire(language))
