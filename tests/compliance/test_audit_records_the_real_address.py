"""The audit's access rows store the admin's real address, never one written into X-Forwarded-For."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings

from accounts.models import Patient
from booking.models import AppointmentType, Clinic, Practitioner
from consent.models import ConsentAccessLog, ConsentFormVersion, QuestionnaireVersion, SignedConsent
from tests.compliance.factories import sign

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
    return sign(patient, form, questionnaire, clinic=clinic, practitioner=pin, treatment=needling)


def read_twice(client: Client, consent: SignedConsent, forwarded: str) -> set[str | None]:
    for url in (f"/staff/audit/consents/{consent.pk}/", f"/staff/audit/consents/{consent.pk}/consent.pdf"):
        assert client.get(url, HTTP_X_FORWARDED_FOR=forwarded).status_code == 200
    return set(ConsentAccessLog.objects.filter(consent=consent).values_list("ip_address", flat=True))


def test_an_audit_read_stores_the_peer_address_whatever_the_header_says(
    admin_client: Client, consent: SignedConsent
) -> None:
    assert read_twice(admin_client, consent, "203.0.113.7") == {"127.0.0.1"}


@override_settings(TRUSTED_PROXIES=["127.0.0.1"])
def test_behind_a_trusted_proxy_an_audit_read_stores_the_address_the_proxy_saw(
    admin_client: Client, consent: SignedConsent
) -> None:
    assert read_twice(admin_client, consent, "203.0.113.7, 198.51.100.4") == {"198.51.100.4"}
