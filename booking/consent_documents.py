"""The consent documents in the patient's language: what booking's pages offer and the
notice shown when the clinic has no reviewed translation into it (consent.selectors.Offered)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import translation

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


def reader_language(patient: Patient) -> str:
    """The patient's stored language, else the one this request is answered in."""
    return patient.user.language or translation.get_language() or settings.LANGUAGE_CODE


def offered_form(
    patient: Patient, clinic: Clinic
) -> consent_selectors.Offered[ConsentFormVersion, ConsentFormTranslation] | None:
    """The clinic's current consent form as this patient reads it (see consent_selectors.Offered)."""
    return consent_selectors.offered_form(
        clinic.slug, language=reader_language(patient), source_language=clinic.language
    )


def offered_questionnaire(
    patient: Patient, clinic: Clinic
) -> consent_selectors.Offered[QuestionnaireVersion, QuestionnaireTranslation] | None:
    return consent_selectors.offered_questionnaire(
        clinic.slug, language=reader_language(patient), source_language=clinic.language
    )


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


def shown_reasons(response: ScreeningResponse, outcome: str) -> list[dict[str, Any]]:
    """The screening's reasons of one outcome, explained in the language its questions were
    shown in (the stored reasons keep the source's words, for the practitioner)."""
    shown = response.questionnaire_translation
    words = consent_screening.explanations(shown.items, shown.combined_rules) if shown is not None else {}
    return [
        {**reason, "explanation": words.get((reason["item"], reason["code"]), reason["explanation"])}
        for reason in response.reasons
        if reason["outcome"] == outcome
    ]
