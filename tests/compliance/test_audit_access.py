"""Only OTP-verified clinic admins open the audit pages, and only for their own clinics."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import Patient, User
from booking.models import Clinic
from consent.models import ConsentAccessLog, ConsentFormVersion, QuestionnaireVersion
from tests.accounts.factories import make_staff
from tests.accounts.sign_in import verified_staff_client
from tests.booking.factories import make_clinic
from tests.compliance.factories import sign
from tests.consent.factories import publish_for

pytestmark = pytest.mark.django_db

PAGES = [
    "/staff/audit/consents/",
    "/staff/audit/access-log/",
    "/staff/audit/integrity/",
    "/staff/audit/erasure/",
]


@pytest.mark.parametrize("url", PAGES)
def test_a_practitioner_cannot_open_the_audit_pages(url: str, practitioner: User, clinic: Clinic) -> None:
    response = verified_staff_client(practitioner).get(url)

    assert response.status_code == 403
    assert "for clinic admins" in response.content.decode()


def test_a_practitioner_cannot_open_a_consent_or_its_exports(
    practitioner: User,
    clinic: Clinic,
    patient: Patient,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
) -> None:
    consent = sign(patient, form, questionnaire, clinic=clinic)
    client = verified_staff_client(practitioner)

    for url in (
        f"/staff/audit/consents/{consent.pk}/",
        f"/staff/audit/consents/{consent.pk}/consent.pdf",
        f"/staff/audit/patients/{patient.pk}/fhir.json",
    ):
        assert client.get(url).status_code == 403
    assert client.post("/staff/audit/consents/export.csv").status_code == 403
    assert not ConsentAccessLog.objects.exists()


@pytest.mark.parametrize("url", PAGES)
def test_an_admin_without_the_second_factor_is_sent_to_sign_in(url: str, audit_admin: User) -> None:
    client = Client()
    client.force_login(audit_admin, backend="django.contrib.auth.backends.ModelBackend")

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/staff/signin/?next=")


def test_a_stranger_is_sent_to_sign_in(db: None) -> None:
    response = Client().get("/staff/audit/consents/")

    assert response.status_code == 302
    assert response["Location"].startswith("/staff/signin/")


def test_an_admin_of_no_clinic_is_told_why(db: None) -> None:
    lonely = make_staff(User.Role.CLINIC_ADMIN)

    response = verified_staff_client(lonely).get("/staff/audit/consents/")

    assert response.status_code == 403
    assert "not an admin of any clinic" in response.content.decode()


def test_an_admin_cannot_open_another_clinics_consent(admin_client: Client, patient: Patient) -> None:
    elsewhere = make_clinic(slug="elsewhere")
    consent = sign(patient, *publish_for(elsewhere), clinic=elsewhere)

    assert admin_client.get(f"/staff/audit/consents/{consent.pk}/").status_code == 404
    assert admin_client.get(f"/staff/audit/consents/{consent.pk}/consent.pdf").status_code == 404
    assert admin_client.get(f"/staff/audit/patients/{patient.pk}/fhir.json").status_code == 404
    assert not ConsentAccessLog.objects.exists()
    listing = admin_client.get("/staff/audit/consents/").content.decode()
    assert "Pat Example" not in listing
