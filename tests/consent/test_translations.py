"""Translations of a consent form and a questionnaire: the same document in other words,
offered only once reviewed and while current, and frozen once reviewed."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, transaction
from django.utils import timezone

from accounts.models import User
from consent import selectors, services, translation_services
from consent.models import ConsentFormTranslation, ConsentFormVersion, QuestionnaireVersion
from consent.translation_checks import TranslationMismatch
from tests.consent.factories import SCOPE, form_content
from tests.consent.translations import form_translation, questionnaire_translation, translated_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewer(practitioner: User) -> User:
    practitioner.is_verified = lambda: True  # type: ignore[attr-defined]  # as django-otp marks a verified session
    return practitioner


def offered(language: str = "es") -> selectors.Offered:
    found = selectors.offered_form(SCOPE, language=language, source_language="en-gb")
    assert found is not None
    return found


def test_a_draft_is_not_offered_and_the_source_is_shown_with_the_language_missing(form: ConsentFormVersion) -> None:
    form_translation(form)

    shown = offered("es")

    assert shown.translation is None and shown.shown == form
    assert (shown.language, shown.missing) == ("en-gb", "es")


def test_a_reviewed_translation_is_offered_in_its_language_only(form: ConsentFormVersion, reviewer: User) -> None:
    spanish = form_translation(form, reviewer=reviewer)

    assert offered("es").translation == spanish
    assert offered("es").pk == f"{form.pk}-{spanish.pk}"
    assert offered("fr").translation is None and offered("fr").missing == "fr"
    english = offered("en-gb")
    assert english.translation is None and english.missing is None


def test_publishing_a_new_version_marks_its_translations_out_of_date(
    form: ConsentFormVersion, questionnaire: QuestionnaireVersion, reviewer: User
) -> None:
    spanish = form_translation(form, reviewer=reviewer)
    questions = questionnaire_translation(questionnaire, reviewer=reviewer)

    newer = services.publish_consent_form(scope=SCOPE, **form_content(title="Consent, revised"))

    spanish.refresh_from_db()
    questions.refresh_from_db()
    assert spanish.outdated_at is not None and questions.outdated_at is None
    shown = offered("es")
    assert shown.source == newer and shown.translation is None and shown.missing == "es"


def test_a_translation_that_changes_a_code_or_a_blank_is_refused(form: ConsentFormVersion) -> None:
    content = translated_form(form)
    content["acknowledgements"][0]["id"] = "leido"
    content["sections"][0]["paragraphs"][0] = "ES: Agujas finas en la clínica."  # {clinic_name} lost

    with pytest.raises(TranslationMismatch) as refused:
        translation_services.save_consent_form_translation(form, language="es", translator="Ana", content=content)

    assert any("acknowledgements[0].id" in p for p in refused.value.problems)
    assert any("sections[0].paragraphs[0]" in p and "{clinic_name}" in p for p in refused.value.problems)
    assert not ConsentFormTranslation.objects.exists()


def test_a_translation_with_a_part_missing_is_refused(form: ConsentFormVersion) -> None:
    content = translated_form(form)
    content["side_effects"].pop()

    with pytest.raises(TranslationMismatch, match="side_effects"):
        translation_services.save_consent_form_translation(form, language="es", translator="Ana", content=content)


def test_a_translation_that_changes_a_side_effect_figure_is_refused(form: ConsentFormVersion) -> None:
    content = translated_form(form)
    content["side_effects"][0]["how_often"] = "unas 9 de cada 100 sesiones"

    with pytest.raises(TranslationMismatch, match=r"side_effects\[0\]\.how_often"):
        translation_services.save_consent_form_translation(form, language="es", translator="Ana", content=content)


def test_a_figure_may_be_written_the_language_s_way(form: ConsentFormVersion) -> None:
    content = translated_form(form)
    content["side_effects"][0]["how_often"] = "unas 8 de cada 100 sesiones"

    saved = translation_services.save_consent_form_translation(form, language="es", translator="Ana", content=content)

    assert saved.side_effects[0]["how_often"] == "unas 8 de cada 100 sesiones"


def test_a_reviewed_translation_never_changes(form: ConsentFormVersion, reviewer: User) -> None:
    spanish = form_translation(form, reviewer=reviewer)

    with pytest.raises(translation_services.TranslationError):
        translation_services.save_consent_form_translation(
            form, language="es", translator="Otro", content=translated_form(form, "ESB: "), draft=spanish
        )
    with pytest.raises(DatabaseError), transaction.atomic():
        ConsentFormTranslation.objects.filter(pk=spanish.pk).update(title="Cambiado")
    with pytest.raises(DatabaseError), transaction.atomic():
        ConsentFormTranslation.objects.filter(pk=spanish.pk).delete()
    spanish.refresh_from_db()
    assert spanish.title == "ES: Consent to dry needling"


def test_a_draft_may_be_corrected_and_removed(form: ConsentFormVersion) -> None:
    draft = form_translation(form)

    corrected = translation_services.save_consent_form_translation(
        form, language="es", translator="Ana", content=translated_form(form, "ESB: "), draft=draft
    )

    assert corrected.pk == draft.pk and corrected.title == "ESB: Consent to dry needling"
    ConsentFormTranslation.objects.filter(pk=draft.pk).delete()


def test_only_one_reviewed_translation_per_version_and_language(form: ConsentFormVersion, reviewer: User) -> None:
    form_translation(form, reviewer=reviewer)
    second = form_translation(form)

    with pytest.raises(translation_services.TranslationError, match="already has a reviewed translation"):
        translation_services.review_translation(second, reviewer=reviewer)


def test_a_patient_or_an_unverified_practitioner_cannot_review(
    form: ConsentFormVersion, practitioner: User, patient: object
) -> None:
    draft = form_translation(form)

    with pytest.raises(translation_services.TranslationError):
        translation_services.review_translation(draft, reviewer=practitioner)
    draft.refresh_from_db()
    assert draft.reviewed_at is None


def test_an_out_of_date_draft_cannot_be_reviewed(form: ConsentFormVersion, reviewer: User) -> None:
    draft = form_translation(form)
    services.publish_consent_form(scope=SCOPE, **form_content())

    with pytest.raises(translation_services.TranslationError):
        translation_services.review_translation(draft, reviewer=reviewer)


def test_the_outdated_stamp_is_the_one_change_a_reviewed_translation_takes(
    form: ConsentFormVersion, reviewer: User
) -> None:
    spanish = form_translation(form, reviewer=reviewer)

    ConsentFormTranslation.objects.filter(pk=spanish.pk).update(outdated_at=timezone.now())

    with pytest.raises(DatabaseError), transaction.atomic():
        ConsentFormTranslation.objects.filter(pk=spanish.pk).update(outdated_at=None)
