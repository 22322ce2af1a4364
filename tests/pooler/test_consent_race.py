"""Consent signing races through a real PgBouncer in transaction pooling: patients signing at
once in one clinic and across clinics each get their signature stored, and every clinic's hash
chain verifies intact, walked through the pooler too (consent/chains.py streams it with
.iterator(), which must not need a server-side cursor there)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from accounts.models import Patient
from consent import chains, services
from consent.models import ClinicChainHead, ConsentFormVersion, QuestionnaireVersion, SignedConsent
from consent.selectors import verify_chain
from tests.accounts.factories import make_patient
from tests.consent.factories import QUESTIONS, SCOPE, form_content
from tests.consent.signing import context, screened, sign
from tests.pooler.conftest import Pooled
from tests.races import race

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

CLIENTS = 12  # four times the pool's three server connections
CLINICS = (SCOPE, "harbour-physio", "north-acupuncture")
Documents = tuple[ConsentFormVersion, QuestionnaireVersion]


def published(scope: str) -> Documents:
    form = services.publish_consent_form(scope=scope, **form_content())
    return form, services.publish_questionnaire(scope=scope, title="Health check", items=QUESTIONS)


def signer(patient: Patient, scope: str, documents: Documents) -> Callable[[], int]:
    form, questions = documents

    def call() -> int:
        return sign(patient, form, screened(patient, questions), context=context(scope=scope)).pk

    return call


def test_patients_of_one_clinic_signing_at_once_through_the_pooler_extend_its_chain_intact(pooled: Pooled) -> None:
    documents = published(SCOPE)
    patients = [make_patient() for _ in range(CLIENTS)]

    outcomes = race([signer(patient, SCOPE, documents) for patient in patients])

    signed = [pk for pk in outcomes if isinstance(pk, int)]
    assert len(signed) == CLIENTS, outcomes
    assert SignedConsent.objects.filter(pk__in=signed).count() == CLIENTS
    assert sorted(SignedConsent.objects.values_list("sequence", flat=True)) == list(range(1, CLIENTS + 1))
    assert ClinicChainHead.objects.get(scope=SCOPE).count == CLIENTS
    assert verify_chain() is None


def test_patients_of_several_clinics_signing_at_once_through_the_pooler_keep_every_chain_intact(
    pooled: Pooled,
) -> None:
    documents = {scope: published(scope) for scope in CLINICS}
    scopes = [CLINICS[i % len(CLINICS)] for i in range(CLIENTS)]

    outcomes = race([signer(make_patient(), scope, documents[scope]) for scope in scopes])

    assert all(isinstance(pk, int) for pk in outcomes), outcomes
    assert SignedConsent.objects.count() == CLIENTS
    heads = dict(ClinicChainHead.objects.values_list("scope", "count"))
    assert heads == {scope: CLIENTS // len(CLINICS) for scope in CLINICS}
    assert verify_chain() is None
    # The integrity check as a worker behind the pooler runs it: every chain walked through it.
    [verdicts] = race([chains.verify_all])
    assert isinstance(verdicts, list), verdicts
    each = CLIENTS // len(CLINICS)
    assert {v.key: (v.checked, v.broken) for v in verdicts} == {scope: (each, None) for scope in CLINICS}
