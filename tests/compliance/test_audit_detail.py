"""The consent detail: exactly what was signed, by whom and how, its integrity, and one access row per view."""

from __future__ import annotations

import base64
import html
from datetime import UTC

import pytest
from django.test import Client

from accounts.models import Patient, User
from booking.models import AppointmentType, Clinic, Practitioner
from compliance import integrity
from consent import documents, services
from consent.models import ChainVerification, ConsentAccessLog, ConsentFormVersion, QuestionnaireVersion, SignedConsent
from tests.accounts.factories import make_patient
from tests.compliance.factories import GUARDIAN, SVG, sign
from tests.consent.tampering import tamper

pytestmark = pytest.mark.django_db


@pytest.fixture
def consent(
    clinic: Clinic,
    pin: Practitioner,
    needling: AppointmentType,
    patient: Patient,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
) -> SignedConsent:
    return sign(
        patient,
        form,
        questionnaire,
        clinic=clinic,
        practitioner=pin,
        treatment=needling,
        answers={"diabetes": "yes", "medicines": "Metformin"},
        signature_svg=SVG,
    )


def page(client: Client, consent: SignedConsent) -> str:
    response = client.get(f"/staff/audit/consents/{consent.pk}/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    return html.unescape(response.content.decode())


def test_one_view_writes_exactly_one_access_row(
    admin_client: Client, audit_admin: User, consent: SignedConsent
) -> None:
    page(admin_client, consent)

    row = ConsentAccessLog.objects.get()
    assert (row.consent, row.user, row.role, row.action, row.channel, row.ip_address) == (
        consent,
        audit_admin,
        "clinic_admin",
        "view",
        "staff_page",
        "127.0.0.1",
    )
    assert row.export is None


def test_it_shows_the_exact_text_and_both_hashes_matching(admin_client: Client, consent: SignedConsent) -> None:
    body = page(admin_client, consent)

    text = documents.render_text(consent.form_version.canonical(), consent.render_context)
    assert documents.sha256_text(text) == consent.rendered_text_sha256
    assert body.count(consent.rendered_text_sha256) == 2  # rebuilt now, and stored
    assert "Thin needles go into tight muscle at Test Clinic." in body
    assert "Bruising: about 8 in 100 treatments." in body
    assert "Differs" not in body and body.count('badge--active">Match<') == 2


def test_it_shows_the_signature_and_how_the_signer_was_authenticated(
    admin_client: Client, consent: SignedConsent
) -> None:
    body = page(admin_client, consent)

    assert "Printed name</dt><dd>Pat Example" in body
    assert "The patient" in body
    assert "adopted it as their electronic signature" in body  # the meaning of the signature
    assert consent.intent_statement in body
    assert "emailed one-time code, web session" in body
    assert "203.0.113.7" in body and "Mozilla/5.0 (iPhone" in body
    assert "data:image/svg+xml;base64," + base64.b64encode(consent.signature_svg.encode()).decode() in body
    assert consent.signed_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M") + " UTC" in body


def test_it_shows_the_answers_outcome_reviews_and_withdrawals(
    admin_client: Client, consent: SignedConsent, practitioner: User, patient: Patient
) -> None:
    from consent.models import ScreeningReview

    services.record_review(
        consent.screening, reviewer=practitioner, decision=ScreeningReview.Decision.APPROVED, note="Sugar is stable."
    )
    services.withdraw_consent(consent, by=patient.user, note="Changed my mind.")

    body = page(admin_client, consent)

    assert "Do you have diabetes?</td><td>Yes" in body
    assert "Metformin" in body
    assert "Outcome: <strong>Needs a practitioner's review</strong>" in body
    assert "Approved</strong> by prac@example.com" in body and "Sugar is stable." in body
    assert "Withdrawn by the patient" in body and "Changed my mind." in body
    assert 'badge--withdrawn">Withdrawn' in body


def test_it_shows_a_guardians_authority_and_the_minors_assent(
    admin_client: Client, clinic: Clinic, form: ConsentFormVersion, questionnaire: QuestionnaireVersion
) -> None:
    minor = make_patient(legal_name="Kit Young")
    consent = sign(minor, form, questionnaire, clinic=clinic, guardian=GUARDIAN, typed_name="Gwen Young")

    body = page(admin_client, consent)

    assert "Printed name</dt><dd>Gwen Young" in body
    assert "A parent or guardian (mother)" in body
    assert "I have parental responsibility." in body
    assert "own agreement</dt><dd>Given" in body


def test_an_untouched_consent_is_verified(admin_client: Client, consent: SignedConsent) -> None:
    integrity.run_verification(trigger=ChainVerification.Trigger.PAGE)

    body = page(admin_client, consent)

    assert "integrity-badge--ok" in body and "Chain verified" in body


def test_a_tampered_consent_shows_as_broken(admin_client: Client, consent: SignedConsent) -> None:
    integrity.run_verification(trigger=ChainVerification.Trigger.PAGE)  # verified before the tampering
    tamper("UPDATE consent_signedconsent SET typed_name = %s WHERE id = %s", ["Mallory", consent.pk])

    body = page(admin_client, consent)

    assert "integrity-badge--broken" in body
    assert "Broken: this record fails its integrity check" in body
    assert "altered" in body


def test_a_neighbours_consent_shows_the_first_broken_link_of_the_chain(
    admin_client: Client,
    consent: SignedConsent,
    other_patient: Patient,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
    clinic: Clinic,
) -> None:
    later = sign(other_patient, form, questionnaire, clinic=clinic)
    tamper("UPDATE consent_signedconsent SET typed_name = %s WHERE id = %s", ["Mallory", consent.pk])
    integrity.run_verification(trigger=ChainVerification.Trigger.SCHEDULE)

    body = page(admin_client, later)

    assert "Chain broken" in body
    assert f"first broken link at consent {consent.pk} (position {consent.sequence})" in body


def test_a_removed_predecessor_breaks_the_link(
    admin_client: Client,
    consent: SignedConsent,
    other_patient: Patient,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
    clinic: Clinic,
) -> None:
    later = sign(other_patient, form, questionnaire, clinic=clinic)
    tamper("DELETE FROM booking_appointment WHERE consent_id = %s", [consent.pk])
    tamper("DELETE FROM consent_signedconsent WHERE id = %s", [consent.pk])

    body = page(admin_client, later)

    assert "integrity-badge--broken" in body and "link to the consent signed before it is broken" in body


def test_an_unknown_consent_is_a_404_and_logs_nothing(admin_client: Client, clinic: Clinic) -> None:
    assert admin_client.get("/staff/audit/consents/999999/").status_code == 404
    assert not ConsentAccessLog.objects.exists()


def test_the_newest_consent_left_shows_as_broken_when_later_ones_are_gone(
    admin_client: Client,
    consent: SignedConsent,
    other_patient: Patient,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
    clinic: Clinic,
) -> None:
    later = sign(other_patient, form, questionnaire, clinic=clinic)
    assert integrity.check_row(later).head_ok is True  # the newest, where the head ends
    tamper("DELETE FROM consent_signedconsent WHERE id = %s", [later.pk])

    body = page(admin_client, consent)

    assert "integrity-badge--broken" in body and "the chain head does not end at it" in body
