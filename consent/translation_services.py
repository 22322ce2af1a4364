"""Writes for translations: save a draft, review it, mark translations out of date.

A draft is checked against its source on every save (consent/translation_checks.py): same
structure, same blanks, and every side-effect figure kept. A reviewed translation never
changes (migration 0010); to correct one, publish a new version and translate that."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from consent import documents, translation_checks
from consent.documents import FRAMES
from consent.models import ConsentFormVersion, QuestionnaireVersion
from consent.translation_models import ConsentFormTranslation, QuestionnaireTranslation

TranslationModel = ConsentFormTranslation | QuestionnaireTranslation
T = TypeVar("T", ConsentFormTranslation, QuestionnaireTranslation)


class TranslationError(ValueError):
    """A translation cannot be saved or reviewed: the message says why."""


def _check_language(language: str) -> None:
    if language not in dict(settings.LANGUAGES) or language not in FRAMES:
        raise TranslationError(_("Acus cannot show documents in “%(language)s”.") % {"language": language})


def check_current(source: ConsentFormVersion | QuestionnaireVersion) -> None:
    newer = type(source).objects.filter(scope=source.scope, version__gt=source.version).exists()
    if newer:
        raise TranslationError(
            _("Version %(version)s is no longer the current one: translate the newest version.")
            % {"version": source.version}
        )


def save_consent_form_translation(
    source: ConsentFormVersion,
    *,
    language: str,
    translator: str,
    content: dict[str, Any],
    draft: ConsentFormTranslation | None = None,
) -> ConsentFormTranslation:
    """Create a draft translation of `source`, or replace the content of `draft`."""
    _check_language(language)
    translation_checks.check_consent_form(_source_content(source), content)
    translation = draft or ConsentFormTranslation(source=source)
    translation.title = content["title"]
    for key in ("sections", "side_effects", "acknowledgements", "intent_statement", "e_records_disclosure"):
        setattr(translation, key, content[key])
    return _save(translation, language=language, translator=translator)


def save_questionnaire_translation(
    source: QuestionnaireVersion,
    *,
    language: str,
    translator: str,
    content: dict[str, Any],
    draft: QuestionnaireTranslation | None = None,
) -> QuestionnaireTranslation:
    _check_language(language)
    translation_checks.check_questionnaire(_source_content(source), content)
    translation = draft or QuestionnaireTranslation(source=source)
    translation.title, translation.items = content["title"], content["items"]
    translation.combined_rules = content.get("combined_rules", [])
    return _save(translation, language=language, translator=translator)


def _source_content(source: ConsentFormVersion | QuestionnaireVersion) -> dict[str, Any]:
    canonical = source.canonical()
    return {k: v for k, v in canonical.items() if k not in {"kind", "scope", "version", "material"}}


def _save(translation: T, *, language: str, translator: str) -> T:
    if translation.reviewed:
        raise TranslationError(_("A reviewed translation never changes."))
    if not translator.strip():
        raise TranslationError(_("Name the translator."))
    check_current(translation.source)
    translation.language, translation.translator = language, translator.strip()
    translation.content_sha256 = documents.sha256_of(translation.canonical())
    translation.save()
    return translation


def may_review(user: User, scope: str) -> bool:
    """A clinic admin of the clinic, or a practitioner whose session passed the second factor."""
    if not (user.is_active and user.is_clinic_staff):
        return False
    if user.role == User.Role.CLINIC_ADMIN:
        return user.is_superuser or user.administered_clinics.filter(slug=scope).exists()
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def review_translation(translation: T, *, reviewer: User, at: datetime | None = None) -> T:
    """The clinical reviewer's check: from now on the translation is offered to patients."""
    if not may_review(reviewer, translation.source.scope):
        raise TranslationError(_("Only a clinic admin, or a practitioner signed in with a one-time code, may review."))
    return record_review(translation, reviewer=reviewer, at=at)


def record_review(translation: T, *, reviewer: User, at: datetime | None = None) -> T:
    """Mark reviewed, once the caller has decided `reviewer` may: review_translation for a
    person, the demo seed for its labelled demo account."""
    with transaction.atomic():
        locked = type(translation).objects.select_for_update().select_related("source").get(pk=translation.pk)
        if locked.reviewed:
            raise TranslationError(_("This translation was already reviewed."))
        if locked.outdated_at is not None:
            raise TranslationError(_("This translation is out of date: a newer version was published."))
        check_current(locked.source)
        locked.reviewer, locked.reviewed_at = reviewer, at or timezone.now()
        try:
            with transaction.atomic():
                locked.save(update_fields=["reviewer", "reviewed_at"])
        except IntegrityError:
            raise TranslationError(_("This version already has a reviewed translation in this language.")) from None
    return locked


def mark_outdated(model: type[TranslationModel], *, scope: str, current_version: int) -> int:
    """Publishing a new version: its scope's translations of older versions go out of date."""
    return model.objects.filter(
        source__scope=scope, source__version__lt=current_version, outdated_at__isnull=True
    ).update(outdated_at=timezone.now())
