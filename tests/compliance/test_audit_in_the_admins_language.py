"""A clinic admin who chose French reads the consent audit, the access log, the integrity report
and the erasure pages in French (no English sentence from the catalogues left, `<html lang="fr">`,
dates in French order); the weekly integrity email goes to each admin in their own language."""

from __future__ import annotations

from html import unescape

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from accounts.models import Patient, User
from booking.models import AppointmentType, Clinic, Practitioner
from compliance import tasks
from consent.models import ConsentFormVersion, QuestionnaireVersion, SignedConsent
from tests.accounts.factories import make_staff
from tests.accounts.sign_in import verified_staff_client
from tests.compliance.factories import sign
from tests.consent.tampering import tamper
from tests.core.i18n import english_left_in

pytestmark = pytest.mark.django_db


def _speaks(user: User, language: str) -> None:
    user.language = language
    user.save(update_fields=["language"])


@pytest.fixture
def chain(
    clinic: Clinic,
    patient: Patient,
    other_patient: Patient,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
    pin: Practitioner,
    needling: AppointmentType,
) -> list[SignedConsent]:
    return [
        sign(p, form, questionnaire, clinic=clinic, practitioner=pin, treatment=needling)
        for p in (patient, other_patient, patient)
    ]


@pytest.fixture
def admin_in_french(audit_admin: User) -> Client:
    _speaks(audit_admin, "fr")
    return verified_staff_client(audit_admin)


def _french(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    page = response.content.decode()
    assert '<html lang="fr"' in page, url
    assert english_left_in(page) == [], url
    return unescape(page)


def test_the_consent_audit_and_one_consent_are_in_french(admin_in_french: Client, chain: list[SignedConsent]) -> None:
    listing = _french(admin_in_french, "/staff/audit/consents/")
    detail = _french(admin_in_french, f"/staff/audit/consents/{chain[0].pk}/")

    assert "3 consentements ; affichage de 1 à 3." in listing
    assert "Tous les statuts" in listing and "Exporter cette liste" in listing
    assert "Place dans la chaîne d'empreintes" in detail
    assert "Visites couvertes par ce consentement" in detail
    signed = timezone.localtime(chain[0].signed_at).strftime("%Y")
    assert signed in detail


def test_the_access_log_is_in_french(admin_in_french: Client, chain: list[SignedConsent]) -> None:
    admin_in_french.get(f"/staff/audit/consents/{chain[0].pk}/")  # a view to list

    page = _french(admin_in_french, "/staff/audit/access-log/")

    assert "Qui a consulté ou exporté des consentements" in page
    assert "1 entrée ; affichage de 1 à 1." in page
    assert "Page d'audit ou du personnel" in page and "Consultation" in page


def test_the_integrity_report_is_in_french(admin_in_french: Client, chain: list[SignedConsent]) -> None:
    before = _french(admin_in_french, "/staff/audit/integrity/")
    response = admin_in_french.post("/staff/audit/integrity/", follow=True)
    after = unescape(response.content.decode())

    assert "Pas encore vérifié" in before and "Vérifier maintenant les 3 consentements signés" in before
    assert english_left_in(after) == []
    assert "Les 3 consentements signés vérifiés" in after and "Chaîne vérifiée" in after


def test_the_erasure_pages_are_in_french(admin_in_french: Client, patient: Patient, chain: list[SignedConsent]) -> None:
    plan = _french(admin_in_french, "/staff/audit/erasure/?email=pat@example.com")
    response = admin_in_french.post(
        "/staff/audit/erasure/?email=pat@example.com",
        {"received_on": timezone.localdate().isoformat(), "note": "E-mail", "confirm": "on"},
        follow=True,
    )
    done = unescape(response.content.decode())

    assert "Effacement pour Pat Example" in plan and "Consentements signés, avec leurs retraits" in plan
    assert "ans après la dernière visite du" in plan
    assert response.redirect_chain and english_left_in(done) == []
    assert "Anonymisé ou supprimé" in done and "Numéro de téléphone" in done
    assert "Consentements signés, avec leurs retraits" in done, "the stored English record, shown in French"


def test_the_weekly_email_goes_to_each_admin_in_their_own_language(
    audit_admin: User, clinic: Clinic, chain: list[SignedConsent]
) -> None:
    _speaks(audit_admin, "fr")
    spanish = make_staff(User.Role.CLINIC_ADMIN, "jefa@example.com")
    _speaks(spanish, "es")
    english = make_staff(User.Role.CLINIC_ADMIN, "boss-two@example.com")
    clinic.admins.add(spanish, english)
    tamper("DELETE FROM booking_appointment WHERE consent_id = %s", [chain[1].pk])
    tamper("DELETE FROM consent_signedconsent WHERE id = %s", [chain[1].pk])

    assert tasks.verify_consent_chain() is False

    by_address = {message.to[0]: message for message in mail.outbox}
    french, spanish_mail, english_mail = (by_address[u.email] for u in (audit_admin, spanish, english))
    assert french.subject == "Acus : un consentement signé a échoué à sa vérification d'intégrité"
    assert "Premier lien rompu : le consentement" in french.body
    assert spanish_mail.subject == "Acus: un consentimiento firmado no superó su comprobación de integridad"
    assert "Primer enlace roto: el consentimiento" in spanish_mail.body
    assert english_mail.subject == "Acus: a signed consent failed its integrity check"
    assert "First broken link: consent" in english_mail.body
