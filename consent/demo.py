"""Publish the demo consent form and questionnaire for a clinic, once, with their Spanish
and French translations (consent.content.translations), reviewed by a clearly labelled
demo account: demo data, not a clinical review."""

from __future__ import annotations

from accounts.models import User
from consent import content, documents, selectors, services, translation_services
from consent.content.translations import translated_consent_form, translated_questionnaire
from consent.models import ConsentFormTranslation, ConsentFormVersion, QuestionnaireTranslation, QuestionnaireVersion

DEMO_LANGUAGES = ("es", "fr")
DEMO_REVIEWER_EMAIL = "reviewer@demo.acus.invalid"
DEMO_REVIEWER_NAME = "Demo reviewer (demo data, not a clinical review)"
DEMO_TRANSLATOR = "Acus demo data (not a professional translation)"


def seed_documents(scope: str) -> tuple[ConsentFormVersion, QuestionnaireVersion]:
    form = selectors.current_form(scope) or services.publish_consent_form(scope=scope, **content.demo_consent_form())
    questionnaire = selectors.current_questionnaire(scope) or services.publish_questionnaire(
        scope=scope, **content.demo_questionnaire()
    )
    seed_translations(form, questionnaire)
    return form, questionnaire


def demo_reviewer() -> User:
    """The account the demo translations name as reviewer. It cannot sign in (no password,
    not staff): nobody reviewed them clinically, and the name says so."""
    user, created = User.objects.get_or_create(
        email=DEMO_REVIEWER_EMAIL, defaults={"role": User.Role.PRACTITIONER, "is_staff": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def seed_translations(form: ConsentFormVersion, questionnaire: QuestionnaireVersion) -> None:
    """The demo translations of the demo documents, once per language. Only the demo's own
    versions get them: a clinic's edited version is its own to translate."""
    reviewer = None
    for language in DEMO_LANGUAGES:
        if form.content_sha256 == _demo_sha(form) and not _reviewed(ConsentFormTranslation, form, language):
            reviewer = reviewer or demo_reviewer()
            draft = translation_services.save_consent_form_translation(
                form,
                language=language,
                translator=DEMO_TRANSLATOR,
                content=translated_consent_form(language),
            )
            translation_services.record_review(draft, reviewer=reviewer)
        if questionnaire.content_sha256 == _demo_sha(questionnaire) and not _reviewed(
            QuestionnaireTranslation, questionnaire, language
        ):
            reviewer = reviewer or demo_reviewer()
            draft_q = translation_services.save_questionnaire_translation(
                questionnaire,
                language=language,
                translator=DEMO_TRANSLATOR,
                content=translated_questionnaire(language),
            )
            translation_services.record_review(draft_q, reviewer=reviewer)


def _demo_sha(document: ConsentFormVersion | QuestionnaireVersion) -> str:
    """The hash the document would have with the demo content, at its own scope and version."""
    demo = content.demo_consent_form() if isinstance(document, ConsentFormVersion) else content.demo_questionnaire()
    shaped = type(document)(scope=document.scope, version=document.version, material=document.material, **demo)
    return documents.sha256_of(shaped.canonical())


def _reviewed(
    model: type[ConsentFormTranslation] | type[QuestionnaireTranslation],
    source: ConsentFormVersion | QuestionnaireVersion,
    language: str,
) -> bool:
    return model.objects.filter(source_id=source.pk, language=language, reviewed_at__isnull=False).exists()
