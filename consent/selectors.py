"""Reads for consent: current documents, the consent that covers a visit, chain checks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import Patient
from consent import chains, integrity
from consent.models import (
    ConsentFormTranslation,
    ConsentFormVersion,
    ConsentWithdrawal,
    Outcome,
    QuestionnaireTranslation,
    QuestionnaireVersion,
    ScreeningResponse,
    ScreeningReview,
    SignedConsent,
)

_Source = TypeVar("_Source", ConsentFormVersion, QuestionnaireVersion)
_Translation = TypeVar("_Translation", ConsentFormTranslation, QuestionnaireTranslation)


def current_form(scope: str) -> ConsentFormVersion | None:
    return ConsentFormVersion.objects.filter(scope=scope).order_by("-version").first()


def current_questionnaire(scope: str) -> QuestionnaireVersion | None:
    return QuestionnaireVersion.objects.filter(scope=scope).order_by("-version").first()


@dataclass(frozen=True)
class Cover:
    """The consent that can carry a later needling visit, and whether that visit must
    first wait for a practitioner (see `consent_cover`)."""

    consent: SignedConsent
    needs_review: bool


def consent_cover(patient: Patient, *, scope: str, valid_since: datetime) -> Cover | None:
    """What the patient's newest consent for this clinic does for a later visit.

    Only the newest signature counts: it carries the newest health answers, so when it
    has ended (withdrawn, health changed, declined on review) an older consent does not
    come back to life. It covers nothing when signed on or before `valid_since` (the
    visit minus the clinic's validity period) or superseded by a material form. Then its
    screening decides: clear covers; review covers only once a practitioner approved it
    (`needs_review` while nobody has decided yet), and never after a decline. The consent
    app knows no practitioners: booking.consent_flow.existing_cover narrows this to visits
    with the practitioner the consent was signed for."""
    reviews = ScreeningReview.objects.filter(screening=OuterRef("screening"))
    consent = (
        SignedConsent.objects.filter(patient=patient, scope=scope)
        .annotate(
            ended=Exists(ConsentWithdrawal.objects.filter(consent=OuterRef("pk"))),
            approved=Exists(reviews.filter(decision=ScreeningReview.Decision.APPROVED)),
            declined=Exists(reviews.filter(decision=ScreeningReview.Decision.DECLINED)),
        )
        .select_related("form_version", "screening")
        .order_by("-signed_at", "-id")
        .first()
    )
    if consent is None or consent.ended or consent.signed_at <= valid_since:
        return None
    latest_material = (
        ConsentFormVersion.objects.filter(scope=scope, material=True).order_by("-version").values("version").first()
    )
    if latest_material and consent.form_version.version < latest_material["version"]:
        return None
    outcome = consent.screening.outcome
    if outcome == Outcome.CLEAR:
        return Cover(consent, needs_review=False)
    if outcome != Outcome.REVIEW or consent.declined:
        return None
    return Cover(consent, needs_review=not consent.approved)


def covering_consent(patient: Patient, *, scope: str, valid_since: datetime) -> SignedConsent | None:
    """The consent that covers a later needling visit on its own, without a review:
    `consent_cover` when nothing is left for a practitioner to decide."""
    cover = consent_cover(patient, scope=scope, valid_since=valid_since)
    return cover.consent if cover is not None and not cover.needs_review else None


def latest_screening(patient: Patient, *, scope: str) -> ScreeningResponse | None:
    """The patient's newest answers to this clinic's questions: the only ones a new signature may rest on."""
    return (
        ScreeningResponse.objects.filter(patient=patient, questionnaire_version__scope=scope)
        .order_by("-created_at", "-id")
        .first()
    )


def replaced_by_newer() -> Exists:
    """A later signature by the same patient at the same clinic exists. Only the newest
    signature counts (consent_cover), so an older one it replaced is superseded: one rule
    for the patient's pages and API (consent_status) and the audit's SQL (compliance)."""
    later = Q(signed_at__gt=OuterRef("signed_at")) | Q(signed_at=OuterRef("signed_at"), pk__gt=OuterRef("pk"))
    return Exists(SignedConsent.objects.filter(later, patient=OuterRef("patient"), scope=OuterRef("scope")))


def consent_status(consent: SignedConsent, *, valid_since: datetime) -> str:
    """active, withdrawn, expired or superseded — for lists and badges. Superseded: by a
    material form, or (while not expired) by the patient's newer signature at the clinic."""
    if consent.withdrawals.exists():
        return "withdrawn"
    newer_material = ConsentFormVersion.objects.filter(
        scope=consent.scope, material=True, version__gt=consent.form_version.version
    ).exists()
    if newer_material:
        return "superseded"
    if consent.signed_at <= valid_since:
        return "expired"
    if SignedConsent.objects.filter(replaced_by_newer(), pk=consent.pk).exists():
        return "superseded"
    return "active"


def verify_chain() -> integrity.Break | None:
    """The first broken link of any chain (consent.chains walks each against its head)."""
    return next((v.broken for v in chains.verify_all() if v.broken is not None), None)


def patient_consents(patient: Patient) -> QuerySet[SignedConsent]:
    """The patient's signed consents with what their pages and the API show of each."""
    return (
        SignedConsent.objects.filter(patient=patient)
        .select_related("form_version", "screening", "screening__questionnaire_version")
        .prefetch_related("appointments", "withdrawals")
    )


def own_consent(patient: Patient, pk: int) -> SignedConsent:
    """One of the patient's own signed consents; anyone else's id is a 404."""
    return get_object_or_404(patient_consents(patient), pk=pk)


# --- What a patient is offered, in their language -----------------------------------------


def same_language(a: str, b: str) -> bool:
    """en-gb and en are one language to a reader; es and fr are not."""
    return a.lower().split("-")[0] == b.lower().split("-")[0]


@dataclass(frozen=True)
class Offered(Generic[_Source, _Translation]):
    """The current version of a document as a patient reads it: a reviewed, up-to-date
    translation into their language, or else the source, in the clinic's own language,
    with `missing` naming the language the patient wanted (for the notice)."""

    source: _Source
    translation: _Translation | None
    language: str
    missing: str | None

    @property
    def shown(self) -> _Source | _Translation:
        """What the patient reads: the translation, else the source (same ids, codes and values)."""
        return self.translation if self.translation is not None else self.source

    @property
    def pk(self) -> str:
        """Names what was shown, for a page to send back: the source version, and the
        translation if one was shown (a translation reviewed meanwhile is not what was read)."""
        if self.translation is None:
            return str(self.source.pk)
        return f"{self.source.pk}-{self.translation.pk}"

    @property
    def title(self) -> str:
        return self.shown.title

    @property
    def version(self) -> int:
        return self.source.version

    def canonical(self) -> dict[str, Any]:
        return self.shown.canonical()


def _offered(source: Any, model: Any, *, language: str, source_language: str) -> Offered[Any, Any]:
    if same_language(language, source_language):
        return Offered(source, None, source_language, None)
    translation = (
        model.objects.filter(source=source, reviewed_at__isnull=False, outdated_at__isnull=True)
        .select_related("source")
        .order_by("-reviewed_at")
    )
    found = next((t for t in translation if same_language(t.language, language)), None)
    if found is not None:
        return Offered(source, found, found.language, None)
    return Offered(source, None, source_language, language)


def offered_form(
    scope: str, *, language: str, source_language: str
) -> Offered[ConsentFormVersion, ConsentFormTranslation] | None:
    """The clinic's current consent form for a reader of `language` (None: none published)."""
    source = current_form(scope)
    if source is None:
        return None
    return _offered(source, ConsentFormTranslation, language=language, source_language=source_language)


def offered_questionnaire(
    scope: str, *, language: str, source_language: str
) -> Offered[QuestionnaireVersion, QuestionnaireTranslation] | None:
    source = current_questionnaire(scope)
    if source is None:
        return None
    return _offered(source, QuestionnaireTranslation, language=language, source_language=source_language)
