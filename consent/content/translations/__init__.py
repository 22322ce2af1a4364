"""The demo consent form and health screening in Spanish and French, as plain data.

Each language has two words modules: `<lang>_consent.py` (the consent form's texts) and
`<lang>_questionnaire.py` (the health questions' texts). They hold only what a person reads; build.py
copies everything else (ids, values, codes, outcomes, flags, the {blanks}) from the English source in
consent/content, so a translated form has exactly the source's structure. The figures and sources are the
English form's (../shared/clinical/FACTS.md sections 1 and 2), written with each language's decimal comma.
"""

from __future__ import annotations

from typing import Any

from consent.content.consent_form import demo_consent_form
from consent.content.questionnaire import demo_questionnaire
from consent.content.translations import build, es_consent, es_questionnaire, fr_consent, fr_questionnaire

LANGUAGES = ("es", "fr")

_CONSENT_WORDS: dict[str, dict[str, Any]] = {"es": es_consent.CONSENT_FORM, "fr": fr_consent.CONSENT_FORM}
_QUESTIONNAIRE_WORDS: dict[str, dict[str, Any]] = {
    "es": es_questionnaire.QUESTIONNAIRE,
    "fr": fr_questionnaire.QUESTIONNAIRE,
}


def _words(table: dict[str, dict[str, Any]], language: str) -> dict[str, Any]:
    if language not in table:
        raise ValueError(f"no demo translation for language {language!r}; there are {', '.join(LANGUAGES)}")
    return table[language]


def translated_consent_form(language: str) -> dict[str, Any]:
    """The demo consent form in `language` ("es" or "fr"): demo_consent_form()'s structure, translated texts."""
    return build.consent_form(demo_consent_form(), _words(_CONSENT_WORDS, language))


def translated_questionnaire(language: str) -> dict[str, Any]:
    """The demo questionnaire in `language` ("es" or "fr"): demo_questionnaire()'s structure, translated texts."""
    return build.questionnaire(demo_questionnaire(), _words(_QUESTIONNAIRE_WORDS, language))


__all__ = ["LANGUAGES", "translated_consent_form", "translated_questionnaire"]
