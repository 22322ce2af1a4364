"""Exports: CSV of the filtered list, a PDF per consent, a FHIR R4B bundle per patient; each logged."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from accounts.models import Patient, User
from booking.models import AppointmentType, Clinic, Practitioner
from consent.fhir.validation import check_bundle, validate_bundle
from consent.models import ConsentAccessLog, ConsentExport, ConsentFormVersion, QuestionnaireVersion, SignedConsent
from tests.accounts.factories import make_patient
from tests.compliance.factories import sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def consents(
    clinic: Clinic,
    pin: Practitioner,
    needling: AppointmentType,
    patient: Patient,
    other_patient: Patient,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
) -> list[SignedConsent]:
    return [
        sign(
            patient,
            form,
            questionnaire,
            clinic=clinic,
            practitioner=pin,
            treatment=needling,
            answers={"diabetes": "yes"},
        ),
        sign(other_patient, form, questionnaire, clinic=clinic, answers={"medicines": '=HYPERLINK("http://x")'}),
    ]


def rows_of(response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.content.decode()[:2000]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_the_csv_leaves_out_health_answers_unless_asked(
    admin_client: Client, audit_admin: User, consents: list[SignedConsent]
) -> None:
    rows = rows_of(admin_client.post("/staff/audit/consents/export.csv", {}))

    assert [int(r["consent_id"]) for r in rows] == [consents[1].pk, consents[0].pk]
    assert not any(key.startswith(("answer:", "screening")) for key in rows[0])
    assert rows[1]["patient_legal_name"] == "Pat Example" and rows[1]["practitioner"] == "Dr Pin"
    export = ConsentExport.objects.get()
    assert (export.user, export.format, export.include_health_answers, export.consent_count) == (
        audit_admin,
        "csv",
        False,
        2,
    )


def test_the_csv_includes_health_answers_when_asked_and_records_the_choice(
    admin_client: Client, consents: list[SignedConsent]
) -> None:
    rows = rows_of(admin_client.post("/staff/audit/consents/export.csv", {"include_health_answers": "on"}))

    assert rows[1]["answer:diabetes"] == "Yes" and rows[1]["screening_outcome"] == "review"
    assert rows[0]["answer:medicines"].startswith("'=")  # a formula is defused, not run
    assert ConsentExport.objects.get().include_health_answers is True


def test_each_exported_consent_gets_an_access_row_in_the_export(
    admin_client: Client, audit_admin: User, consents: list[SignedConsent]
) -> None:
    admin_client.post("/staff/audit/consents/export.csv", {"q": "olive"})

    export = ConsentExport.objects.get()
    row = ConsentAccessLog.objects.get()
    assert (row.consent, row.user, row.action, row.channel, row.export) == (
        consents[1],
        audit_admin,
        "export",
        "csv",
        export,
    )
    assert export.filters == {"q": "olive"}


def test_an_export_with_bad_filters_exports_nothing(admin_client: Client, consents: list[SignedConsent]) -> None:
    response = admin_client.post("/staff/audit/consents/export.csv", {"signed_from": "soon"})

    assert response.status_code == 400
    assert "Enter the date as year-month-day" in response.content.decode()
    assert not ConsentExport.objects.exists() and not ConsentAccessLog.objects.exists()


def test_the_csv_export_needs_a_post(admin_client: Client, consents: list[SignedConsent]) -> None:
    assert admin_client.get("/staff/audit/consents/export.csv").status_code == 405


def test_the_pdf_download_is_logged(admin_client: Client, consents: list[SignedConsent]) -> None:
    response = admin_client.get(f"/staff/audit/consents/{consents[0].pk}/consent.pdf")

    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    row = ConsentAccessLog.objects.get()
    assert (row.consent, row.action, row.channel) == (consents[0], "download", "pdf")


def test_the_fhir_bundle_validates_and_is_logged(
    admin_client: Client, audit_admin: User, patient: Patient, consents: list[SignedConsent]
) -> None:
    response = admin_client.get(f"/staff/audit/patients/{patient.pk}/fhir.json")

    assert response.status_code == 200 and response["Content-Type"] == "application/fhir+json"
    bundle = json.loads(response.content)
    validate_bundle(bundle)  # the R4B models and our own checks, again, on what was sent
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert kinds == [
        "Patient",
        "Practitioner",
        "Appointment",
        "Questionnaire",
        "QuestionnaireResponse",
        "Consent",
    ]
    export = ConsentExport.objects.get()
    assert (export.format, export.include_health_answers, export.filters["patient"]) == ("fhir", True, patient.pk)
    row = ConsentAccessLog.objects.get()
    assert (row.consent, row.channel, row.action, row.export, row.user) == (
        consents[0],
        "fhir",
        "export",
        export,
        audit_admin,
    )


def test_the_bundle_carries_what_was_signed(
    admin_client: Client, patient: Patient, consents: list[SignedConsent]
) -> None:
    import base64

    bundle = json.loads(admin_client.get(f"/staff/audit/patients/{patient.pk}/fhir.json").content)
    resources = {e["resource"]["resourceType"]: e["resource"] for e in bundle["entry"]}

    consent = resources["Consent"]
    assert consent["status"] == "active"
    assert consent["scope"]["coding"][0]["code"] == "treatment"
    assert consent["patient"]["reference"] == bundle["entry"][0]["fullUrl"]
    assert consent["policyRule"]["coding"][0]["code"] == "OPTIN"
    text = base64.b64decode(consent["sourceAttachment"]["data"]).decode()
    from consent import documents

    assert documents.sha256_text(text) == consents[0].rendered_text_sha256
    practitioner = resources["Practitioner"]
    assert practitioner["qualification"][0]["code"]["coding"][0]["code"] == "dry_needling"
    assert resources["Appointment"]["status"] == "booked"
    answers = {i["linkId"]: i["answer"][0] for i in resources["QuestionnaireResponse"]["item"]}
    assert answers["diabetes"]["valueCoding"]["code"] == "yes"


def test_export_fhir_prints_a_valid_bundle_and_logs_it(
    patient: Patient, consents: list[SignedConsent], capsys: pytest.CaptureFixture[str], audit_admin: User
) -> None:
    call_command("export_fhir", "--patient", "PAT@example.com", "--by", audit_admin.email)

    bundle = json.loads(capsys.readouterr().out)
    validate_bundle(bundle)
    assert bundle["resourceType"] == "Bundle" and bundle["type"] == "collection"
    row = ConsentAccessLog.objects.get()
    assert (row.user, row.channel, row.export.channel) == (audit_admin, "fhir", "command")  # type: ignore[union-attr]


def test_export_fhir_without_by_names_the_command_line(
    patient: Patient, consents: list[SignedConsent], capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("export_fhir", "--patient", patient.user.email)

    row = ConsentAccessLog.objects.get()
    assert (row.user.email, row.user.is_active, row.role) == ("command-line@acus.invalid", False, "command")


def test_export_fhir_refuses_an_unknown_patient(db: None) -> None:
    make_patient("someone@example.com")

    with pytest.raises(CommandError, match=r"No patient signs in with nobody@example\.com"):
        call_command("export_fhir", "--patient", "nobody@example.com")


def test_our_checks_catch_what_the_package_lets_through(
    admin_client: Client, patient: Patient, consents: list[SignedConsent]
) -> None:
    bundle = json.loads(admin_client.get(f"/staff/audit/patients/{patient.pk}/fhir.json").content)
    assert check_bundle(bundle) == []
    by_type = {e["resource"]["resourceType"]: e["resource"] for e in bundle["entry"]}

    by_type["Consent"].pop("patient")
    by_type["Consent"].pop("policyRule")
    by_type["Consent"]["policy"] = []
    by_type["Consent"]["status"] = "signed"
    by_type["Appointment"]["status"] = "confirmed"
    by_type["Appointment"]["participant"][0]["status"] = "maybe"
    by_type["QuestionnaireResponse"]["item"][0]["answer"][0]["valueCoding"]["code"] = "perhaps"
    bundle["type"] = "pile"

    problems = "\n".join(check_bundle(bundle))
    assert "ppc-5" in problems and "ppc-1" in problems
    assert "'signed' is not a Consent status" in problems
    assert "'confirmed' is not an Appointment status" in problems
    assert "'maybe' is not a participation status" in problems
    assert "'perhaps' is not one of its options" in problems
    assert "Bundle.type 'pile'" in problems


def test_a_bundle_that_fails_validation_exports_nothing(
    admin_client: Client, patient: Patient, consents: list[SignedConsent], monkeypatch: pytest.MonkeyPatch
) -> None:
    from consent.fhir import codes

    monkeypatch.setitem(codes.APPOINTMENT_STATUS_MAP, "confirmed", "confirmed")  # not an R4B code

    response = admin_client.get(f"/staff/audit/patients/{patient.pk}/fhir.json", follow=True)

    assert response.redirect_chain[-1][0].startswith("/staff/audit/consents/?q=pat%40example.com")
    assert "could not be built" in response.content.decode()
    assert not ConsentExport.objects.exists() and not ConsentAccessLog.objects.exists()
