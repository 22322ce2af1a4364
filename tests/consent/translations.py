"""Translations for tests: the source's content with every text a person reads rewritten
("ES: ..."), blanks and figures kept, and helpers to save and review one."""

from __future__ import annotations

import copy
from typing import Any

from accounts.models import User
from consent import translation_checks, translation_services
from consent.models import ConsentFormTranslation, ConsentFormVersion, QuestionnaireTranslation, QuestionnaireVersion


def _rewrite(value: Any, texts: frozenset[str], prefix: str) -> Any:
    if isinstance(value, dict):
        return {
            key: _text(item, prefix) if key in texts else _rewrite(item, texts, prefix) for key, item in value.items()
        }
    if isinstance(value, list):
        return [_rewrite(item, texts, prefix) for item in value]
    return value


def _text(value: Any, prefix: str) -> Any:
    if isinstance(value, list):
        return [_text(item, prefix) for item in value]
    return f"{prefix}{value}" if value else value


def translated_form(source: ConsentFormVersion, prefix: str = "ES: ") -> dict[str, Any]:
    content = {k: v for k, v in source.canonical().items() if k not in {"kind", "scope", "version", "material"}}
    return _rewrite(copy.deepcopy(content), translation_checks.CONSENT_FORM_TEXTS, prefix)


def translated_questionnaire(source: QuestionnaireVersion, prefix: str = "ES: ") -> dict[str, Any]:
    content = {"title": source.title, "items": source.items, "combined_rules": source.combined_rules}
    return _rewrite(copy.deepcopy(content), translation_checks.QUESTIONNAIRE_TEXTS, prefix)


def form_translation(
    source: ConsentFormVersion,
    *,
    language: str = "es",
    reviewer: User | None = None,
    content: dict[str, Any] | None = None,
) -> ConsentFormTranslation:
    """A draft translation of `source`; reviewed by `reviewer` when given."""
    prefix = f"{language.upper()}: "
    draft = translation_services.save_consent_form_translation(
        source, language=language, translator="Ana Traductora", content=content or translated_form(source, prefix)
    )
    return translation_services.review_translation(draft, reviewer=reviewer) if reviewer else draft


def questionnaire_translation(
    source: QuestionnaireVersion, *, language: str = "es", reviewer: User | None = None
) -> QuestionnaireTranslation:
    draft = translation_services.save_questionnaire_translation(
        source,
        language=language,
        translator="Ana Traductora",
        content=translated_questionnaire(source, f"{language.upper()}: "),
    )
    return translation_services.review_translation(draft, reviewer=reviewer) if reviewer else draft
