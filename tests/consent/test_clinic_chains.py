"""Each clinic has its own chain (scheme 2), whose links also cover the screening answers;
consents signed before keep verifying under scheme 1, the one chain over every clinic."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Patient
from consent import chains, integrity, services
from consent.models import ChainHead, ClinicChainHead, ConsentFormVersion, QuestionnaireVersion, SignedConsent
from consent.selectors import verify_chain
from tests.consent.factories import QUESTIONS, form_content
from tests.consent.signing import context, screened, sign
from tests.consent.tampering import tamper

pytestmark = pytest.mark.django_db

OTHER = "other-clinic"


@pytest.fixture
def other_form(db: None) -> ConsentFormVersion:
    return services.publish_consent_form(scope=OTHER, **form_content())


@pytest.fixture
def other_questionnaire(db: None) -> QuestionnaireVersion:
    return services.publish_questionnaire(scope=OTHER, title="Health check", items=QUESTIONS)


def sign_at_other(patient: Patient, form: ConsentFormVersion, questionnaire: QuestionnaireVersion) -> SignedConsent:
    return sign(patient, form, screened(patient, questionnaire), context=context(scope=OTHER))


def legacy_chain(consents: list[SignedConsent]) -> list[SignedConsent]:
    """Copies of `consents` as the old code signed them: scheme 1, one chain over every clinic,
    its end in the single ChainHead row. Inserted, as the rows signed before the migration are."""
    previous, copies = integrity.GENESIS, []
    for position, consent in enumerate(consents, start=1):
        copy = SignedConsent.objects.get(pk=consent.pk)
        copy.pk, copy.chain_scheme, copy.screening_answers_sha256 = None, 1, ""
        copy.sequence, copy.previous_hash = position, previous
        copy.row_hash = integrity.row_hash({n: getattr(copy, n) for n in integrity.HASHED_FIELDS})
        copy.save(force_insert=True)  # a row from before, not an app write
        previous = copy.row_hash
        copies.append(copy)
    ChainHead.objects.create(last_hash=previous, count=len(copies))
    return copies


def test_each_clinic_chain_starts_at_one_with_its_own_head(
    patient: Patient,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
    other_form: ConsentFormVersion,
    other_questionnaire: QuestionnaireVersion,
) -> None:
    here = [sign(patient, form, screened(patient, questionnaire)) for _ in range(2)]
    there = sign_at_other(patient, other_form, other_questionnaire)

    assert [(c.scope, c.sequence, c.chain_scheme) for c in [*here, there]] == [
        ("test-clinic", 1, 2),
        ("test-clinic", 2, 2),
        (OTHER, 1, 2),
    ]
    assert there.previous_hash == integrity.GENESIS and here[1].previous_hash == here[0].row_hash
    heads = {h.scope: (h.count, h.last_hash) for h in ClinicChainHead.objects.all()}
    assert heads == {"test-clinic": (2, here[1].row_hash), OTHER: (1, there.row_hash)}
    assert not ChainHead.objects.exists()
    assert verify_chain() is None


def test_a_new_link_covers_the_screening_answers_and_the_text_shown(
    patient: Patient, form: ConsentFormVersion, questionnaire: QuestionnaireVersion
) -> None:
    consent = sign(patient, form, screened(patient, questionnaire, medicines="none"))

    assert consent.screening_answers_sha256 == integrity.answers_sha256(consent.screening.answers)
    assert {"screening_answers_sha256", "rendered_text_sha256", "chain_scheme"} <= set(integrity.HASHED_FIELDS_V2)
    fields = {n: getattr(consent, n) for n in integrity.HASHED_FIELDS_V2}
    assert integrity.row_hash(fields) == consent.row_hash
    assert integrity.row_hash({**fields, "screening_answers_sha256": "0" * 64}) != consent.row_hash


def test_it_notices_screening_answers_changed_behind_the_app(
    patient: Patient, form: ConsentFormVersion, questionnaire: QuestionnaireVersion
) -> None:
    consent = sign(patient, form, screened(patient, questionnaire))
    tamper(
        "UPDATE consent_screeningresponse SET answers = %s WHERE id = %s",
        ['{"needle_fear": "no", "diabetes": "yes"}', consent.screening_id],
    )

    broken = verify_chain()

    assert broken is not None and (broken.consent_id, broken.scope) == (consent.pk, "test-clinic")
    assert "screening answers it was signed with no longer match their hash" in broken.problem


def test_rows_signed_before_keep_verifying_under_scheme_1(
    patient: Patient,
    other_patient: Patient,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
    capsys: pytest.CaptureFixture[str],
) -> None:
    old = legacy_chain([sign(p, form, screened(p, questionnaire)) for p in (patient, other_patient)])

    call_command("verify_consents")

    out = capsys.readouterr().out
    assert "Signed consents by chain scheme: scheme 1: 2, scheme 2: 2." in out
    assert "every clinic (scheme 1): 2 walked" in out and "clinic test-clinic: 2 walked" in out
    assert [c.chain_scheme for c in old] == [1, 1]
    assert chains.verify_one(chains.ALL_CLINICS).broken is None


def test_it_names_the_first_broken_row_of_each_clinic(
    patient: Patient,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
    other_form: ConsentFormVersion,
    other_questionnaire: QuestionnaireVersion,
    capsys: pytest.CaptureFixture[str],
) -> None:
    here = [sign(patient, form, screened(patient, questionnaire)) for _ in range(3)]
    there = [sign_at_other(patient, other_form, other_questionnaire) for _ in range(2)]
    old = legacy_chain([here[0]])
    for consent in (here[1], here[2], there[0], old[0]):
        tamper("UPDATE consent_signedconsent SET typed_name = 'Mallory' WHERE id = %s", [consent.pk])

    with pytest.raises(CommandError) as failure:
        call_command("verify_consents")

    err = capsys.readouterr().err
    assert f"Broken in the chain over every clinic (scheme 1), consent {old[0].pk} (position 1)" in err
    assert f"Broken in clinic test-clinic's chain, consent {here[1].pk} (position 2)" in err
    assert f"Broken in clinic {OTHER}'s chain, consent {there[0].pk} (position 1)" in err
    assert f"consent {here[2].pk}" not in err, "only the first broken row of each chain"
    assert f"id={old[0].pk}" in str(failure.value)
