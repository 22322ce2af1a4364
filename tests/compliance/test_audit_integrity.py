"""The integrity report, and the weekly job that emails the clinic admins when the chain breaks."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from accounts.models import Patient, User
from booking.models import Clinic
from compliance import tasks
from consent.models import ChainVerification, ConsentFormVersion, QuestionnaireVersion, SignedConsent
from tests.accounts.factories import make_staff
from tests.booking.factories import make_clinic
from tests.compliance.factories import sign
from tests.consent.tampering import tamper

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(
    clinic: Clinic,
    patient: Patient,
    other_patient: Patient,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
) -> list[SignedConsent]:
    return [sign(p, form, questionnaire, clinic=clinic) for p in (patient, other_patient, patient)]


def test_the_report_runs_the_check_and_records_it(
    admin_client: Client, audit_admin: User, chain: list[SignedConsent]
) -> None:
    assert "Not checked yet" in admin_client.get("/staff/audit/integrity/").content.decode()

    response = admin_client.post("/staff/audit/integrity/", follow=True)

    run = ChainVerification.objects.get()
    assert (run.ok, run.checked, run.trigger, run.by) == (True, 3, "page", audit_admin)
    body = response.content.decode()
    assert "All 3 signed consents verified" in body and "integrity-badge--ok" in body


def test_the_report_names_the_first_broken_link(admin_client: Client, chain: list[SignedConsent]) -> None:
    tamper("UPDATE consent_signedconsent SET typed_name = %s WHERE id = %s", ["Mallory", chain[1].pk])

    body = admin_client.post("/staff/audit/integrity/", follow=True).content.decode()

    run = ChainVerification.objects.get()
    assert (run.ok, run.broken_consent_id, run.broken_sequence) == (False, chain[1].pk, 2)
    assert "integrity-badge--broken" in body
    assert f'href="/staff/audit/consents/{chain[1].pk}/"' in body and "altered" in body


def test_the_weekly_job_stays_quiet_when_all_is_well(audit_admin: User, chain: list[SignedConsent]) -> None:
    assert tasks.verify_consent_chain() is True

    assert ChainVerification.objects.get().trigger == "schedule"
    assert mail.outbox == []


def test_the_weekly_job_emails_every_clinic_admin_when_the_chain_breaks(
    audit_admin: User, chain: list[SignedConsent], practitioner: User
) -> None:
    other_admin = make_staff(User.Role.CLINIC_ADMIN, "other-admin@example.com")
    make_clinic(slug="elsewhere").admins.add(other_admin)
    make_staff(User.Role.CLINIC_ADMIN, "no-clinic@example.com")
    tamper("DELETE FROM consent_signedconsent WHERE id = %s", [chain[1].pk])

    assert tasks.verify_consent_chain() is False

    assert sorted(m.to[0] for m in mail.outbox) == ["boss@example.com", "other-admin@example.com"]
    message = mail.outbox[0]
    assert "failed its integrity check" in message.subject
    assert f"consent {chain[2].pk} (position 3" in message.body
    assert "/staff/audit/integrity/" in message.body
    assert "Pat Example" not in message.body  # no patient data by email


def test_the_task_is_registered_under_its_beat_name() -> None:
    assert tasks.verify_consent_chain.name == "booking.audit.verify_consent_chain"


def test_the_weekly_job_emails_when_the_newest_consent_is_removed(
    audit_admin: User, chain: list[SignedConsent]
) -> None:
    # Deleting the newest row breaks no link: only the chain head shows it was ever there.
    tamper("DELETE FROM booking_appointment WHERE consent_id = %s", [chain[2].pk])
    tamper("DELETE FROM consent_signedconsent WHERE id = %s", [chain[2].pk])

    assert tasks.verify_consent_chain() is False

    run = ChainVerification.objects.get()
    assert (run.ok, run.broken_consent_id, run.broken_sequence) == (False, chain[1].pk, 2)
    assert "the newest 1 signed consent is missing" in run.problem
    body = mail.outbox[0].body
    assert f"consent {chain[1].pk} (position 2): the newest 1 signed consent is missing" in body
    assert f"the chain head records 3 signed consents ending in hash {chain[2].row_hash}" in body


def test_the_report_says_when_no_signed_consent_is_left(admin_client: Client, chain: list[SignedConsent]) -> None:
    for consent in reversed(chain):
        tamper("DELETE FROM booking_appointment WHERE consent_id = %s", [consent.pk])
        tamper("DELETE FROM consent_signedconsent WHERE id = %s", [consent.pk])

    body = admin_client.post("/staff/audit/integrity/", follow=True).content.decode()

    run = ChainVerification.objects.get()
    assert (run.ok, run.broken_consent_id, run.broken_sequence) == (False, 0, 0)
    assert "integrity-badge--broken" in body and "the start of the chain" in body
    assert "the newest 3 signed consents are missing" in body
    assert 'href="/staff/audit/consents/0/"' not in body
