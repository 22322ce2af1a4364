"""A signed consent and each logged read of it store the caller's real address,
never one the caller wrote into X-Forwarded-For."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import Patient
from booking import services
from booking.models import Appointment, AppointmentType, Practitioner
from consent.models import ConsentAccessLog, ConsentFormVersion, QuestionnaireVersion, SignedConsent
from tests.booking.consent_api import sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(patient: Patient, pin: Practitioner, needling: AppointmentType) -> Appointment:
    start = datetime.combine(timezone.localdate() + timedelta(days=3), time(10), tzinfo=ZoneInfo("Europe/London"))
    return services.hold_appointment(patient, appointment_type=needling, practitioner=pin, start=start)


def phone(patient: Patient, forwarded: str) -> APIClient:
    client = APIClient(HTTP_X_FORWARDED_FOR=forwarded)
    token, _ = Token.objects.get_or_create(user=patient.user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def stored_addresses(consent_id: int) -> tuple[str | None, set[str | None]]:
    signed = SignedConsent.objects.get(pk=consent_id).ip_address
    reads = set(ConsentAccessLog.objects.filter(consent_id=consent_id).values_list("ip_address", flat=True))
    return signed, reads


def test_it_stores_the_peer_address_whatever_the_header_says(
    patient: Patient, held: Appointment, form: ConsentFormVersion, questionnaire: QuestionnaireVersion
) -> None:
    client = phone(patient, "203.0.113.7")
    consent = sign(client, form, questionnaire, held)

    assert client.get(f"/api/v1/consents/{consent['id']}").status_code == 200
    assert client.get(f"/api/v1/consents/{consent['id']}/pdf").status_code == 200

    assert stored_addresses(consent["id"]) == ("127.0.0.1", {"127.0.0.1"})
    assert ConsentAccessLog.objects.filter(consent_id=consent["id"]).count() == 2


@override_settings(TRUSTED_PROXIES=["127.0.0.1"])
def test_behind_a_trusted_proxy_it_stores_the_address_the_proxy_saw(
    patient: Patient, held: Appointment, form: ConsentFormVersion, questionnaire: QuestionnaireVersion
) -> None:
    client = phone(patient, "203.0.113.7, 198.51.100.4")
    consent = sign(client, form, questionnaire, held)

    assert client.get(f"/api/v1/consents/{consent['id']}").status_code == 200

    assert stored_addresses(consent["id"]) == ("198.51.100.4", {"198.51.100.4"})
