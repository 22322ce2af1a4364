"""What the patient's newest consent does for a later visit: its screening decides."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Patient, User
from consent import selectors, services
from consent.models import ConsentFormVersion, QuestionnaireVersion, ScreeningReview
from tests.consent.factories import SCOPE
from tests.consent.signing import screened, sign

pytestmark = pytest.mark.django_db


def cover(patient: Patient) -> selectors.Cover | None:
    return selectors.consent_cover(patient, scope=SCOPE, valid_since=timezone.now() - timedelta(days=365))


def covering(patient: Patient) -> object:
    return selectors.covering_consent(patient, scope=SCOPE, valid_since=timezone.now() - timedelta(days=365))


def test_a_clear_screening_covers_without_a_review(
    patient: Patient, form: ConsentFormVersion, questionnaire: QuestionnaireVersion
) -> None:
    consent = sign(patient, form, screened(patient, questionnaire))

    assert cover(patient) == selectors.Cover(consent, needs_review=False)
    assert covering(patient) == consent


def test_an_undecided_review_covers_only_with_a_review(
    patient: Patient, form: ConsentFormVersion, questionnaire: QuestionnaireVersion
) -> None:
    consent = sign(patient, form, screened(patient, questionnaire, diabetes="yes"))

    assert cover(patient) == selectors.Cover(consent, needs_review=True)
    assert covering(patient) is None


def test_an_approved_review_covers(
    patient: Patient, practitioner: User, form: ConsentFormVersion, questionnaire: QuestionnaireVersion
) -> None:
    consent = sign(patient, form, screened(patient, questionnaire, diabetes="yes"))
    services.record_review(
        consent.screening, reviewer=practitioner, decision=ScreeningReview.Decision.APPROVED, note="Well controlled."
    )

    assert covering(patient) == consent


def test_a_declined_review_covers_nothing_even_before_the_consent_is_ended(
    patient: Patient, practitioner: User, form: ConsentFormVersion, questionnaire: QuestionnaireVersion
) -> None:
    consent = sign(patient, form, screened(patient, questionnaire, diabetes="yes"))
    for decision in (ScreeningReview.Decision.APPROVED, ScreeningReview.Decision.DECLINED):
        services.record_review(consent.screening, reviewer=practitioner, decision=decision, note="Decided.")

    assert cover(patient) is None


def test_only_the_newest_consent_counts(
    patient: Patient, form: ConsentFormVersion, questionnaire: QuestionnaireVersion
) -> None:
    sign(patient, form, screened(patient, questionnaire))
    newer = sign(patient, form, screened(patient, questionnaire))
    services.withdraw_consent(newer, by=patient.user)

    assert cover(patient) is None
