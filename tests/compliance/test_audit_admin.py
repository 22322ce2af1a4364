"""The Django admin shows signed consents read-only, and logs every view of one."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import Patient, User
from booking.models import Clinic
from consent.models import ConsentAccessLog, ConsentFormVersion, QuestionnaireVersion, SignedConsent
from tests.compliance.factories import sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def consent(
    clinic: Clinic, patient: Patient, form: ConsentFormVersion, questionnaire: QuestionnaireVersion
) -> SignedConsent:
    return sign(patient, form, questionnaire, clinic=clinic)


def test_opening_a_consent_in_the_admin_writes_one_access_row(
    admin_client: Client, audit_admin: User, consent: SignedConsent
) -> None:
    response = admin_client.get(f"/admin/consent/signedconsent/{consent.pk}/change/")

    assert response.status_code == 200
    assert consent.row_hash in response.content.decode()
    row = ConsentAccessLog.objects.get()
    assert (row.consent, row.user, row.channel, row.action, row.role) == (
        consent,
        audit_admin,
        "admin",
        "view",
        "clinic_admin",
    )


def test_the_admin_list_logs_nothing(admin_client: Client, consent: SignedConsent) -> None:
    response = admin_client.get("/admin/consent/signedconsent/")

    assert (
        response.status_code == 200
        and f"/admin/consent/signedconsent/{consent.pk}/change/" in response.content.decode()
    )
    assert not ConsentAccessLog.objects.exists()


def test_nobody_can_add_change_or_delete_in_the_admin(admin_client: Client, consent: SignedConsent) -> None:
    assert admin_client.get("/admin/consent/signedconsent/add/").status_code == 403
    assert (
        admin_client.post(f"/admin/consent/signedconsent/{consent.pk}/change/", {"typed_name": "Mallory"}).status_code
        == 403
    )
    assert admin_client.post(f"/admin/consent/signedconsent/{consent.pk}/delete/", {"post": "yes"}).status_code == 403
    consent.refresh_from_db()
    assert consent.typed_name == "Pat Example"
    for model in ("consentaccesslog", "consentexport", "chainverification"):
        assert admin_client.get(f"/admin/consent/{model}/add/").status_code == 403
        assert admin_client.get(f"/admin/consent/{model}/").status_code == 200
