"""Checkpoints signed with a key outside the database, written outside it: a re-chained,
truncated or flushed table is reported, naming what is missing, whatever the database says."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from accounts.models import Patient
from consent import anchors, integrity
from consent.models import ChainVerification, ClinicChainHead, ConsentFormVersion, QuestionnaireVersion, SignedConsent
from consent.selectors import verify_chain
from tests.consent.signing import screened, sign
from tests.consent.tampering import tamper
from tests.resources import need_postgres

pytestmark = pytest.mark.django_db

Capture = Callable[..., Any]


@pytest.fixture
def three(
    patient: Patient,
    other_patient: Patient,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
    django_capture_on_commit_callbacks: Capture,
) -> list[SignedConsent]:
    """Three signed consents, then a whole check (which writes a checkpoint after commit)."""
    consents = [sign(p, form, screened(p, questionnaire)) for p in (patient, other_patient, patient)]
    with django_capture_on_commit_callbacks(execute=True):
        call_command("verify_consents")
    return consents


def files() -> list[Path]:
    return sorted(Path(settings.ANCHOR_DIR).glob("*/*.json"))


def settle_deferred_checks() -> None:
    """TRUNCATE refuses a table with deferred foreign-key checks pending in the test's transaction."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def failure_of_verify_consents() -> str:
    with pytest.raises(CommandError) as failure:
        call_command("verify_consents")
    return str(failure.value)


def test_an_integrity_run_writes_a_signed_checkpoint_per_clinic(three: list[SignedConsent]) -> None:
    [path] = files()
    line = json.loads(path.read_text())

    assert path.parent.name == "test-clinic" and path.read_text().count("\n") == 1
    assert (line["clinic"], line["scheme"], line["sequence"], line["count"]) == ("test-clinic", 2, 3, 3)
    assert line["head_hash"] == three[2].row_hash and line["time"] and len(line["signature"]) == 64
    assert anchors.read_checkpoints().invalid == []


def test_a_checkpoint_file_is_never_rewritten(three: list[SignedConsent]) -> None:
    [path] = files()
    checkpoint = anchors.read_checkpoints().by_clinic["test-clinic"][0]

    assert path.stat().st_mode & 0o222 == 0, "created read-only"
    written = anchors.write_checkpoint(checkpoint)
    assert written != path and len(files()) == 2, "a new file each time, created with O_EXCL"


def test_it_writes_a_checkpoint_every_n_signatures(
    patient: Patient,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    with override_settings(ANCHOR_EVERY=2), django_capture_on_commit_callbacks(execute=True):
        consents = [sign(patient, form, screened(patient, questionnaire)) for _ in range(5)]

    stored = anchors.read_checkpoints().by_clinic["test-clinic"]
    assert [(c.count, c.head_hash) for c in stored] == [(2, consents[1].row_hash), (4, consents[3].row_hash)]
    assert len(files()) == 2


def test_it_reports_a_full_rechain_hidden_behind_a_forged_verification(three: list[SignedConsent]) -> None:
    need_postgres()
    previous = integrity.GENESIS
    for consent in three:  # every row rewritten and re-hashed, as an insider with the database could
        consent.typed_name, consent.previous_hash = "Mallory Forger", previous
        consent.row_hash = integrity.row_hash({n: getattr(consent, n) for n in integrity.HASHED_FIELDS_V2})
        tamper(
            "UPDATE consent_signedconsent SET typed_name = %s, previous_hash = %s, row_hash = %s WHERE id = %s",
            [consent.typed_name, consent.previous_hash, consent.row_hash, consent.pk],
        )
        previous = consent.row_hash
    ClinicChainHead.objects.filter(scope="test-clinic").update(last_hash=previous)
    forged = ChainVerification.objects.latest("finished_at")
    forged.pk, forged.chain_ends = None, {"test-clinic": {"count": 3, "hash": previous}}
    forged.save(force_insert=True)  # a forged "whole" run
    assert verify_chain() is None, "the rows, the head and the recorded runs agree with one another"

    message = failure_of_verify_consents()

    assert "records 3 signed consents in clinic test-clinic's chain, ending at position 3" in message
    assert "now has a different hash: the chain was rewritten" in message


def test_it_reports_consents_truncated_with_their_head_and_runs(three: list[SignedConsent]) -> None:
    need_postgres()
    settle_deferred_checks()
    tamper(
        "TRUNCATE consent_signedconsent, consent_clinicchainhead, consent_chainhead, consent_chainverification CASCADE",
        [],
    )

    message = failure_of_verify_consents()

    assert message.startswith("The start of the chain:")
    assert f"in clinic test-clinic's chain, ending at position 3 with hash {three[2].row_hash}" in message
    assert "but no signed consent of it is left: 3 are missing" in message


def test_it_reports_a_flushed_database(three: list[SignedConsent]) -> None:
    need_postgres()
    settle_deferred_checks()
    call_command("flush", interactive=False, verbosity=0)
    assert not SignedConsent.objects.exists()

    message = failure_of_verify_consents()

    assert "records 3 signed consents in clinic test-clinic's chain" in message
    assert "but no signed consent of it is left: 3 are missing" in message


def test_it_reports_a_tampered_checkpoint_file(three: list[SignedConsent]) -> None:
    [path] = files()
    line = json.loads(path.read_text())
    path.chmod(0o644)
    path.write_text(json.dumps({**line, "count": 2, "sequence": 2, "head_hash": three[1].row_hash}) + "\n")

    message = failure_of_verify_consents()

    assert f"the checkpoint file {path} does not carry a valid signature" in message


def test_a_rotated_key_still_verifies_old_checkpoints(three: list[SignedConsent]) -> None:
    old_key = settings.ANCHOR_KEYS[0]
    new_key = "a-new-anchor-key-of-at-least-32-characters"

    with override_settings(ANCHOR_KEYS=[new_key, old_key]):
        assert len(anchors.read_checkpoints().by_clinic["test-clinic"]) == 1
        line = json.loads(anchors.write_checkpoint(anchors.read_checkpoints().by_clinic["test-clinic"][0]).read_text())
        assert line["key_id"] == anchors.key_id(new_key.encode()), "the first key signs"
    with override_settings(ANCHOR_KEYS=[new_key]):
        stored = anchors.read_checkpoints()
        assert len(stored.by_clinic["test-clinic"]) == 1 and len(stored.invalid) == 1, "the old key's is unverifiable"


def test_it_says_when_it_signs_with_the_development_key(
    three: list[SignedConsent], capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("verify_consents")

    assert settings.ANCHOR_KEY_IS_DEV
    assert "checkpoints are signed with the development key" in capsys.readouterr().err


def test_a_sink_that_fails_does_not_fail_the_signature(
    patient: Patient,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
    django_capture_on_commit_callbacks: Capture,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("")
    with override_settings(ANCHOR_EVERY=1, ANCHOR_DIR=blocked), django_capture_on_commit_callbacks(execute=True):
        consent = sign(patient, form, screened(patient, questionnaire))

    assert SignedConsent.objects.filter(pk=consent.pk).exists()
    assert "could not write the checkpoint of 'test-clinic'" in caplog.text
