"""The access log: admins browse and filter it; nobody can change or remove it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.utils import timezone

from accounts.models import Patient, User
from booking.models import Clinic, ErasureRequest
from compliance import integrity
from compliance.erasure import carry_out_erasure
from consent import services
from consent.models import (
    ChainVerification,
    ConsentAccessLog,
    ConsentExport,
    ConsentFormVersion,
    QuestionnaireVersion,
    SignedConsent,
)
from tests.booking.factories import make_clinic
from tests.compliance.factories import sign
from tests.consent.factories import publish_for
from tests.resources import need_postgres

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged(
    clinic: Clinic,
    patient: Patient,
    other_patient: Patient,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
    practitioner: User,
) -> list[ConsentAccessLog]:
    first = sign(patient, form, questionnaire, clinic=clinic)
    second = sign(other_patient, form, questionnaire, clinic=clinic)
    return [
        services.log_access(
            first, user=patient.user, action=ConsentAccessLog.Action.VIEW, channel="api", ip_address="198.51.100.1"
        ),
        services.log_access(
            first, user=practitioner, action=ConsentAccessLog.Action.DOWNLOAD, channel="pdf", ip_address=None
        ),
        services.log_access(
            second,
            user=practitioner,
            action=ConsentAccessLog.Action.VIEW,
            channel="staff_page",
            ip_address="198.51.100.2",
        ),
    ]


def consent_ids(response) -> list[int]:
    assert response.status_code == 200, response.content.decode()[:3000]
    return [int(n) for n in re.findall(r'<td><a href="/staff/audit/consents/(\d+)/"', response.content.decode())]


def test_admins_browse_every_access_newest_first(admin_client: Client, logged: list[ConsentAccessLog]) -> None:
    response = admin_client.get("/staff/audit/access-log/")

    assert consent_ids(response) == [row.consent_id for row in reversed(logged)]
    body = response.content.decode()
    assert "pat@example.com" in body and "198.51.100.1" in body and "3 entries" in body


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"who": "prac@"}, [2, 1]),
        ({"action": "download"}, [1]),
        ({"channel": "api"}, [0]),
        ({"patient": "olive"}, [2]),
    ],
)
def test_it_filters_the_log(
    admin_client: Client, logged: list[ConsentAccessLog], params: dict[str, str], expected: list[int]
) -> None:
    assert consent_ids(admin_client.get("/staff/audit/access-log/", params)) == [logged[i].consent_id for i in expected]


def test_it_filters_by_consent_and_dates(admin_client: Client, logged: list[ConsentAccessLog]) -> None:
    today = timezone.localdate()
    by_consent = admin_client.get("/staff/audit/access-log/", {"consent": logged[0].consent_id})
    tomorrow = admin_client.get("/staff/audit/access-log/", {"at_from": (today + timedelta(days=1)).isoformat()})

    assert consent_ids(by_consent) == [logged[0].consent_id] * 2
    assert "No entries match these filters." in tomorrow.content.decode()


def test_it_shows_only_its_own_clinics_entries(
    admin_client: Client, other_patient: Patient, practitioner: User
) -> None:
    elsewhere = make_clinic(slug="elsewhere")
    consent = sign(other_patient, *publish_for(elsewhere), clinic=elsewhere)
    services.log_access(consent, user=practitioner, action=ConsentAccessLog.Action.VIEW, channel="api", ip_address=None)

    assert consent_ids(admin_client.get("/staff/audit/access-log/")) == []


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"consent": "abc"}, "Enter a consent number"),
        ({"consent": "99999999999999999999999"}, "too large"),
        ({"at_from": "2026-13-01"}, "Enter the date as year-month-day"),
        ({"at_from": "2026-03-02", "at_to": "2026-03-01"}, "on or after the start date"),
        ({"channel": "fax"}, "Choose a channel from the list."),
        ({"action": "edit"}, "Choose an action from the list."),
    ],
)
def test_bad_filters_get_a_clear_message(
    admin_client: Client, clinic: Clinic, params: dict[str, str], message: str
) -> None:
    response = admin_client.get("/staff/audit/access-log/", params)

    assert response.status_code == 400 and message in response.content.decode()


@pytest.fixture
def audit_rows(
    admin_client: Client, logged: list[ConsentAccessLog], audit_admin: User, other_patient: Patient
) -> dict[str, str]:
    admin_client.post("/staff/audit/consents/export.csv", {})
    integrity.run_verification(trigger=ChainVerification.Trigger.PAGE, by=audit_admin)
    carry_out_erasure(other_patient, by=audit_admin, received_on=timezone.localdate())
    return {
        "consent_consentaccesslog": str(ConsentAccessLog.objects.first().pk),  # type: ignore[union-attr]
        "consent_consentexport": str(ConsentExport.objects.get().pk),
        "consent_chainverification": str(ChainVerification.objects.get().pk),
        "booking_erasurerequest": str(ErasureRequest.objects.get().pk),
    }


@pytest.mark.parametrize(
    "table",
    ["consent_consentaccesslog", "consent_consentexport", "consent_chainverification", "booking_erasurerequest"],
)
def test_postgres_refuses_to_edit_or_delete_audit_rows(table: str, audit_rows: dict[str, str]) -> None:
    need_postgres()
    pk = audit_rows[table]

    for sql in (f"UPDATE {table} SET id = id WHERE id = %s", f"DELETE FROM {table} WHERE id = %s"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [pk])


def test_postgres_refuses_to_delete_a_signed_consent(audit_rows: dict[str, str]) -> None:
    need_postgres()

    consent = SignedConsent.objects.get(pk=ConsentAccessLog.objects.first().consent_id)  # type: ignore[union-attr]

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM consent_signedconsent WHERE id = %s", [consent.pk])
