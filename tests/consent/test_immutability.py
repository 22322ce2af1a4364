"""Signed records never change: PostgreSQL refuses it, and verify_consents notices if it happens anyway."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from accounts.models import Patient
from consent.models import (
    ChainVerification,
    ConsentAccessLog,
    ConsentFormVersion,
    QuestionnaireVersion,
    SignedConsent,
)
from tests.consent.signing import screened, sign
from tests.consent.tampering import tamper
from tests.resources import need_postgres

pytestmark = pytest.mark.django_db

APPEND_ONLY = [
    "consent_signedconsent",
    "consent_screeningresponse",
    "consent_consentwithdrawal",
    "consent_screeningreview",
    "consent_consentaccesslog",
    "consent_consentformversion",
    "consent_questionnaireversion",
]


@pytest.fixture
def three(
    patient: Patient, other_patient: Patient, form: ConsentFormVersion, questionnaire: QuestionnaireVersion
) -> list[SignedConsent]:
    return [
        sign(patient, form, screened(patient, questionnaire)),
        sign(other_patient, form, screened(other_patient, questionnaire)),
        sign(patient, form, screened(patient, questionnaire, diabetes="yes")),
    ]


def test_verify_consents_passes_an_untouched_chain(
    three: list[SignedConsent], capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("verify_consents")

    assert "All 3 signed consents verified" in capsys.readouterr().out


def test_verify_consents_names_the_altered_row(three: list[SignedConsent]) -> None:
    tamper("UPDATE consent_signedconsent SET typed_name = %s WHERE id = %s", ["Mallory", three[1].pk])

    with pytest.raises(CommandError) as failure:
        call_command("verify_consents")

    assert f"id={three[1].pk}" in str(failure.value)
    assert "altered" in str(failure.value)


def test_verify_consents_records_its_run_for_the_audit_pages(three: list[SignedConsent]) -> None:
    call_command("verify_consents")
    tamper("UPDATE consent_signedconsent SET typed_name = %s WHERE id = %s", ["Mallory", three[1].pk])
    with pytest.raises(CommandError):
        call_command("verify_consents")

    runs = ChainVerification.objects.order_by("id")
    assert [(r.trigger, r.ok, r.checked, r.broken_consent_id) for r in runs] == [
        (ChainVerification.Trigger.COMMAND, True, 3, None),
        (ChainVerification.Trigger.COMMAND, False, 3, three[1].pk),
    ]


def test_verify_consents_notices_a_removed_row(three: list[SignedConsent]) -> None:
    tamper("DELETE FROM consent_signedconsent WHERE id = %s", [three[1].pk])

    with pytest.raises(CommandError) as failure:
        call_command("verify_consents")

    assert f"id={three[2].pk}" in str(failure.value)


@pytest.mark.parametrize("table", APPEND_ONLY)
def test_postgres_refuses_update_and_delete(table: str, three: list[SignedConsent]) -> None:
    need_postgres()
    from consent.services import log_access, withdraw_consent

    withdraw_consent(three[0], by=three[0].patient.user)
    log_access(
        three[0], user=three[0].patient.user, action=ConsentAccessLog.Action.VIEW, channel="api", ip_address=None
    )
    from consent.models import ScreeningReview

    ScreeningReview.objects.create(
        screening=three[2].screening, reviewer=three[0].patient.user, decision="approved", note="ok"
    )
    for statement in (f"UPDATE {table} SET id = id", f"DELETE FROM {table}"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
