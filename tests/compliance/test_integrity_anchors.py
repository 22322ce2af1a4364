"""The weekly job and the Integrity page's button write checkpoints too, and the job emails
the clinic admins when the database contradicts one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import Client

from accounts.models import Patient, User
from booking.models import Clinic
from compliance import tasks
from consent import anchors
from consent.models import ConsentFormVersion, QuestionnaireVersion, SignedConsent
from tests.compliance.factories import sign
from tests.consent.tampering import tamper
from tests.resources import need_postgres

pytestmark = pytest.mark.django_db

Capture = Callable[..., Any]


@pytest.fixture
def chain(
    clinic: Clinic,
    patient: Patient,
    other_patient: Patient,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
) -> list[SignedConsent]:
    return [sign(p, form, questionnaire, clinic=clinic) for p in (patient, other_patient)]


def checkpoint_files() -> list[Path]:
    return sorted(Path(settings.ANCHOR_DIR).glob("*/*.json"))


def test_the_weekly_job_writes_a_checkpoint_of_each_clinic(
    chain: list[SignedConsent], clinic: Clinic, django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.verify_consent_chain() is True

    [checkpoint] = anchors.read_checkpoints().by_clinic[clinic.slug]
    assert (checkpoint.count, checkpoint.head_hash) == (2, chain[1].row_hash)


def test_the_button_writes_a_checkpoint(
    admin_client: Client, chain: list[SignedConsent], django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post("/staff/audit/integrity/")

    assert len(checkpoint_files()) == 1


def test_the_weekly_job_emails_the_admins_when_consents_were_wiped(
    audit_admin: User, chain: list[SignedConsent], clinic: Clinic, django_capture_on_commit_callbacks: Capture
) -> None:
    need_postgres()
    with django_capture_on_commit_callbacks(execute=True):
        tasks.verify_consent_chain()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # TRUNCATE refuses pending deferred checks
    tamper("TRUNCATE consent_signedconsent, consent_clinicchainhead, consent_chainverification CASCADE", [])

    assert tasks.verify_consent_chain() is False

    [message] = mail.outbox
    assert message.to == [audit_admin.email]
    assert f"records 2 signed consents in clinic {clinic.slug}'s chain" in message.body
    assert "no signed consent of it is left: 2 are missing" in message.body
