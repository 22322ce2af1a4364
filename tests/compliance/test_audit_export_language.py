"""The CSV export names the language of the text each consent signed, in a last column
added after every column it had before (whose order stays as it was)."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from accounts.models import Patient, User
from booking.models import Clinic
from consent.models import ConsentFormVersion, QuestionnaireVersion, SignedConsent
from tests.compliance.factories import sign
from tests.consent.translations import form_translation

pytestmark = pytest.mark.django_db

HEADER = [
    "consent_id",
    "chain_position",
    "clinic",
    "signed_at_utc",
    "signed_at_local",
    "status",
    "patient_legal_name",
    "patient_email",
    "signer_role",
    "signed_name",
    "guardian_relationship",
    "form",
    "form_version",
    "practitioner",
    "authentication",
    "ip_address",
    "withdrawn_at_utc",
    "record_sha256",
]


@pytest.fixture
def consents(
    clinic: Clinic,
    patient: Patient,
    other_patient: Patient,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
    audit_admin: User,
) -> list[SignedConsent]:
    spanish = form_translation(form, language="es", reviewer=audit_admin)
    return [
        sign(patient, form, questionnaire, clinic=clinic, translation=spanish),
        sign(other_patient, form, questionnaire, clinic=clinic),
    ]


def export(client: Client, **data: str) -> list[list[str]]:
    response = client.post("/staff/audit/consents/export.csv", data)
    assert response.status_code == 200, response.content.decode()[:2000]
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_language_column_comes_last_after_the_columns_as_they_were(
    admin_client: Client, consents: list[SignedConsent]
) -> None:
    header, *_ = export(admin_client)

    assert header == [*HEADER, "language"]


def test_with_health_answers_the_language_column_is_still_the_last(
    admin_client: Client, consents: list[SignedConsent]
) -> None:
    header, *_ = export(admin_client, include_health_answers="on")

    assert header[: len(HEADER)] == HEADER
    assert header[len(HEADER) : len(HEADER) + 2] == ["screening_outcome", "screening_reasons"]
    assert all(name.startswith("answer:") for name in header[len(HEADER) + 2 : -1])
    assert header[-1] == "language"


def test_each_row_names_the_language_of_the_text_signed(admin_client: Client, consents: list[SignedConsent]) -> None:
    header, *rows = export(admin_client)

    by_id = {int(row[0]): row[header.index("language")] for row in rows}
    assert consents[0].language == "es" and consents[1].language == ""
    assert by_id == {consents[0].pk: "es", consents[1].pk: "en-gb"}
