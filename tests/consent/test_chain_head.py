"""The end of each clinic's chain is checked against its ClinicChainHead, so removing the newest consents,
losing the head, or adding a row behind signing's back is noticed too.

Rows are removed with the append-only triggers off (`tamper`), so each test runs as written
on SQLite and on PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Patient
from consent import chains, integrity
from consent.models import ClinicChainHead, ConsentFormVersion, QuestionnaireVersion, SignedConsent
from consent.selectors import verify_chain
from tests.consent.signing import screened, sign
from tests.consent.tampering import tamper

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(
    patient: Patient, other_patient: Patient, form: ConsentFormVersion, questionnaire: QuestionnaireVersion
) -> list[SignedConsent]:
    return [sign(p, form, screened(p, questionnaire)) for p in (patient, other_patient, patient)]


def remove(*consents: SignedConsent) -> None:
    for consent in consents:
        tamper("DELETE FROM consent_signedconsent WHERE id = %s", [consent.pk])


def failure_of_verify_consents() -> str:
    with pytest.raises(CommandError) as failure:
        call_command("verify_consents")
    return str(failure.value)


def forge_after(newest: SignedConsent, patient: Patient, questionnaire: QuestionnaireVersion) -> SignedConsent:
    """A well-formed, correctly hashed consent inserted straight into the table, as a DBA or a
    buggy import could: it links to `newest`, but signing's update of the head never ran."""
    forged = SignedConsent.objects.get(pk=newest.pk)
    forged.pk = None
    forged.screening = screened(patient, questionnaire)
    forged.typed_name = "Mallory Forger"
    forged.sequence = newest.sequence + 1
    forged.previous_hash = newest.row_hash
    forged.row_hash = integrity.row_hash(
        {name: getattr(forged, name) for name in integrity.hashed_fields(forged.chain_scheme)}
    )
    forged.save(force_insert=True)  # the forgery under test, not an app write
    return forged


def test_the_head_matches_an_untouched_chain(three: list[SignedConsent]) -> None:
    head = ClinicChainHead.objects.get()

    assert (head.count, head.last_hash) == (3, three[2].row_hash)
    assert verify_chain() is None


def test_an_empty_chain_with_no_head_yet_holds() -> None:
    assert not ClinicChainHead.objects.exists()
    assert verify_chain() is None


def test_it_notices_the_newest_consent_removed(three: list[SignedConsent]) -> None:
    remove(three[2])

    message = failure_of_verify_consents()

    assert f"id={three[1].pk} (chain position 2)" in message
    assert "the newest 1 signed consent is missing" in message
    assert f"the chain head records 3 signed consents ending in hash {three[2].row_hash}" in message


def test_it_counts_every_missing_newest_consent(three: list[SignedConsent]) -> None:
    remove(three[2], three[1])

    broken = verify_chain()

    assert broken is not None and (broken.sequence, broken.consent_id) == (1, three[0].pk)
    assert "the newest 2 signed consents are missing" in broken.problem


def test_it_notices_every_consent_removed(three: list[SignedConsent]) -> None:
    remove(three[2], three[1], three[0])

    message = failure_of_verify_consents()

    assert message.startswith("The start of the chain: the newest 3 signed consents are missing")
    assert "no signed consent is left" in message


def test_it_notices_a_missing_head(three: list[SignedConsent]) -> None:
    ClinicChainHead.objects.all().delete()  # the head is a plain table, without the append-only trigger

    broken = verify_chain()

    assert broken is not None and (broken.sequence, broken.consent_id) == (3, three[2].pk)
    assert "the chain head is missing" in broken.problem


def test_it_notices_a_row_added_without_signing(
    three: list[SignedConsent], patient: Patient, questionnaire: QuestionnaireVersion
) -> None:
    forged = forge_after(three[2], patient, questionnaire)

    message = failure_of_verify_consents()

    assert f"id={forged.pk} (chain position 4)" in message
    assert f"beyond the chain head, which records 3 signed consents ending in hash {three[2].row_hash}" in message


def test_it_notices_the_newest_consent_replaced(
    three: list[SignedConsent], patient: Patient, questionnaire: QuestionnaireVersion
) -> None:
    remove(three[2])
    forged = forge_after(three[1], patient, questionnaire)  # same position, links and hashes well

    broken = verify_chain()

    assert broken is not None and broken.consent_id == forged.pk
    assert f"differs from the one the chain head recorded when it was signed ({three[2].row_hash})" in broken.problem


def test_a_break_inside_the_chain_is_named_before_its_end(three: list[SignedConsent]) -> None:
    tamper("UPDATE consent_signedconsent SET typed_name = %s WHERE id = %s", ["Mallory", three[0].pk])
    remove(three[2])

    broken = verify_chain()

    assert broken is not None and broken.consent_id == three[0].pk and "altered" in broken.problem


def test_the_head_is_read_in_the_same_statement_as_the_rows(three: list[SignedConsent]) -> None:
    # One snapshot: a consent signed while the walk runs is neither "missing" nor "beyond the head".
    # Each clinic's chain is walked in one statement with its own head (finding the chains is not).
    with CaptureQueriesContext(connection) as queries:
        assert chains.verify_one(three[0].scope).broken is None

    assert len(queries) == 1


# --- The pure walk, on plain rows ------------------------------------------------------------------


def chain_of(n: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    previous = integrity.GENESIS
    for sequence in range(1, n + 1):
        fields: dict[str, Any] = dict.fromkeys(integrity.HASHED_FIELDS, "x")
        fields.update(sequence=sequence, previous_hash=previous)
        previous = integrity.row_hash(fields)
        rows.append({**fields, "id": 100 + sequence, "row_hash": previous})
    return rows


def test_the_walk_accepts_a_chain_that_ends_at_its_head() -> None:
    rows = chain_of(3)

    assert integrity.verify_chain(iter(rows), head=integrity.Head(3, rows[-1]["row_hash"])) is None


@pytest.mark.parametrize(
    ("kept", "head", "expected"),
    [
        (2, (3, "end"), (2, 102, "the newest 1 signed consent is missing")),
        (0, (2, "end"), (0, 0, "the newest 2 signed consents are missing")),
        (3, None, (3, 103, "the chain head is missing")),
        (3, (2, "keep"), (3, 103, "beyond the chain head, which records 2 signed consents")),
        (2, (2, "other"), (2, 102, "differs from the one the chain head recorded")),
    ],
)
def test_the_walk_compares_its_end_with_the_head(
    kept: int, head: tuple[int, str] | None, expected: tuple[int, int, str]
) -> None:
    rows = chain_of(3)
    hashes = {"end": rows[-1]["row_hash"], "keep": rows[1]["row_hash"], "other": "f" * 64}

    broken = integrity.verify_chain(
        rows[:kept], head=None if head is None else integrity.Head(head[0], hashes[head[1]])
    )

    assert broken is not None
    assert (broken.sequence, broken.consent_id) == expected[:2] and expected[2] in broken.problem


# --- A rewritten head: the recorded runs remember where the chain ended ----------------------


def rewrite_head_to(consent: SignedConsent) -> None:
    tamper(
        "UPDATE consent_clinicchainhead SET count = %s, last_hash = %s WHERE scope = %s",
        [consent.sequence, consent.row_hash, consent.scope],
    )


def test_a_rewritten_head_does_not_hide_removed_consents_from_a_later_run(three: list[SignedConsent]) -> None:
    call_command("verify_consents")  # a whole chain, ending at position 3
    remove(three[2])
    rewrite_head_to(three[1])
    assert verify_chain() is None, "the walk and the rewritten head agree with each other"

    message = failure_of_verify_consents()

    assert f"id={three[1].pk}" in message
    assert f"end at position 3 with hash {three[2].row_hash}" in message
    assert "removed or replaced" in message


def test_a_chain_that_grew_since_the_last_run_still_holds(
    three: list[SignedConsent], patient: Patient, form: ConsentFormVersion, questionnaire: QuestionnaireVersion
) -> None:
    call_command("verify_consents")
    sign(patient, form, screened(patient, questionnaire))

    call_command("verify_consents")  # no error: position 3 still holds its hash
