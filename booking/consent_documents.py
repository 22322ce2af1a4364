"""The consent documents in the patient's language: what booking's pages offer and the
notice shown when the clinic has no reviewed translation into it (consent.selectors.Offered)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from accounts.models import Patient
from booking.models import Clinic
from consent import screening as consent_screening
from consent import selectors as consent_selectors
from consent.models import (
    ConsentFormTranslation,
    ConsentFormVersion,
    QuestionnaireTranslation,
    QuestionnaireVersion,
    ScreeningResponse,
)
from core import formats


def reader_language(patient: Patient | None) -> str:
    """The patient's stored language, else the one this request is answered in."""
    stored = patient.user.language if patient is not None else ""
    return stored or translation.get_language() or settings.LANGUAGE_CODE


Select = Callable[..., consent_selectors.Offered[Any, Any] | None]


def _best(select: Select, clinic: Clinic, languages: Sequence[str]) -> consent_selectors.Offered[Any, Any] | None:
    """The document in the first of `languages` the clinic offers it in (its own, or a
    reviewed translation); else the source with `missing` naming the first one wanted."""
    first = None
    for language in languages:
        offered = select(clinic.slug, language=language, source_language=clinic.language)
        if offered is None or offered.missing is None:
            return offered
        first = first or offered
    return first


def offered_form(
    patient: Patient | None, clinic: Clinic, *, languages: Sequence[str] = ()
) -> consent_selectors.Offered[ConsentFormVersion, ConsentFormTranslation] | None:
    """The clinic's current consent form as this patient reads it (see consent_selectors.Offered):
    in their language (reader_language), or in the first of `languages` it is offered in (the API)."""
    wanted = languages or [reader_language(patient)]
    return _best(consent_selectors.offered_form, clinic, wanted)


def offered_questionnaire(
    patient: Patient | None, clinic: Clinic, *, languages: Sequence[str] = ()
) -> consent_selectors.Offered[QuestionnaireVersion, QuestionnaireTranslation] | None:
    wanted = languages or [reader_language(patient)]
    return _best(consent_selectors.offered_questionnaire, clinic, wanted)


@dataclass(frozen=True)
class TranslationNotice:
    """For consent/includes/translation_notice.html: the language the patient wanted and the
    one the document is shown in, both named in the page's language ("español", "inglés")."""

    language: str
    source_language: str


def language_name(code: str) -> str:
    names = formats.locale().languages
    return names.get(code.split("-")[0], code)


def translation_notice(offered: consent_selectors.Offered[Any, Any] | None) -> TranslationNotice | None:
    if offered is None or offered.missing is None:
        return None
    return TranslationNotice(language_name(offered.missing), language_name(offered.language))


def notice_text(offered: consent_selectors.Offered[Any, Any] | None) -> str | None:
    """The notice as one sentence in the active language, for the API (the pages use the template)."""
    notice = translation_notice(offered)
    if notice is None:
        return None
    return gettext(
        "This form is not yet available in %(language)s. It is shown in %(source)s; "
        "ask the clinic if you need help understanding it."
    ) % {"language": notice.language, "source": notice.source_language}


def shown_reasons(response: ScreeningResponse, outcome: str | None = None) -> list[dict[str, Any]]:
    """The screening's reasons of one outcome, explained in the language its questions were
    shown in (the stored reasons keep the source's words, for the practitioner). All of
    them when `outcome` is None."""
    shown = response.questionnaire_translation
    words = consent_screening.explanations(shown.items, shown.combined_rules) if shown is not None else {}
    return [
        {**reason, "explanation": words.get((reason["item"], reason["code"]), reason["explanation"])}
        for reason in response.reasons
        if outcome is None or reason["outcome"] == outcome
    ]
