"""A broken chain is told to its own clinic's admins: another clinic's admins learn that their
chains hold, never the other clinic's consent ids, positions or counts."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from accounts.models import Patient, User
from booking.models import Clinic
from compliance import integrity
from compliance.tasks import verify_consent_chain
from consent import services
from consent.models import ChainVerification, ConsentFormVersion, QuestionnaireVersion, SignedConsent
from tests.accounts.factories import make_staff
from tests.accounts.sign_in import verified_staff_client
from tests.booking.factories import make_clinic
from tests.compliance.factories import sign
from tests.consent.factories import QUESTIONS, form_content
from tests.consent.tampering import tamper

pytestmark = pytest.mark.django_db

OTHER = "elsewhere"


@pytest.fixture
def broken_here(
    clinic: Clinic, patient: Patient, form: ConsentFormVersion, questionnaire: QuestionnaireVersion
) -> SignedConsent:
    """A consent of the admin's clinic, altered behind the app's back."""
    consent = sign(patient, form, questionnaire, clinic=clinic)
    sign(patient, form, questionnaire, clinic=clinic)
    tamper("UPDATE consent_signedconsent SET typed_name = %s WHERE id = %s", ["Mallory", consent.pk])
    return consent


@pytest.fixture
def other_admin(other_patient: Patient) -> User:
    """The admin of another clinic whose own chain is whole."""
    elsewhere = make_clinic(slug=OTHER)
    their_form = services.publish_consent_form(scope=OTHER, **form_content())
    their_questions = services.publish_questionnaire(scope=OTHER, title="Health check", items=QUESTIONS)
    sign(other_patient, their_form, their_questions, clinic=elsewhere)
    admin = make_staff(User.Role.CLINIC_ADMIN, "other-admin@example.com")
    elsewhere.admins.add(admin)
    return admin


def test_the_other_clinics_admin_sees_their_chains_hold_and_nothing_of_the_break(
    admin_client: Client, broken_here: SignedConsent, other_admin: User
) -> None:
    admin_client.post("/staff/audit/integrity/")

    body = verified_staff_client(other_admin).get("/staff/audit/integrity/").content.decode()

    assert "Your clinics&#x27; chains hold" in body or "Your clinics' chains hold" in body
    assert f"consent {broken_here.pk} " not in body
    assert f"/staff/audit/consents/{broken_here.pk}/" not in body
    assert broken_here.scope not in body


def test_the_broken_clinics_admin_sees_where(
    admin_client: Client, broken_here: SignedConsent, other_admin: User
) -> None:
    body = admin_client.post("/staff/audit/integrity/", follow=True).content.decode()

    assert "Chain broken" in body
    assert f'href="/staff/audit/consents/{broken_here.pk}/"' in body
    assert f"consent {broken_here.pk} (position {broken_here.sequence})" in body


def test_the_run_keeps_each_break_under_its_own_chain(
    admin_client: Client, broken_here: SignedConsent, other_admin: User
) -> None:
    run = integrity.run_verification(trigger=ChainVerification.Trigger.SCHEDULE)

    assert set(run.clinic_problems) == {broken_here.scope}
    assert integrity.failure_for(run, [OTHER]) == integrity.Failure(0, 0, "", elsewhere=True)
    mine = integrity.failure_for(run, [broken_here.scope])
    assert mine is not None and (mine.consent_id, mine.elsewhere) == (broken_here.pk, False)


def test_the_weekly_email_names_the_break_only_to_its_clinics_admins(
    audit_admin: User, broken_here: SignedConsent, other_admin: User
) -> None:
    assert verify_consent_chain() is False

    to = {message.to[0]: message.body for message in mail.outbox}
    assert set(to) == {audit_admin.email, other_admin.email}
    assert f"consent {broken_here.pk} (position {broken_here.sequence})" in to[audit_admin.email]
    assert f"consent {broken_here.pk}" not in to[other_admin.email]
    assert broken_here.scope not in to[other_admin.email]
    assert "Your clinics' signed consents are not affected" in to[other_admin.email]
