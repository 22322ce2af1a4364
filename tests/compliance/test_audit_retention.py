"""Retention per clinic, and erasure requests that anonymise what may be and keep what must be."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_email.models import EmailDevice
from rest_framework.authtoken.models import Token

from accounts.models import Patient, User
from booking.models import Appointment, AppointmentType, Clinic, ErasureRequest, Practitioner
from compliance.erasure import ErasureRefused, carry_out_erasure
from compliance.retention import erasure_plan, keep_until
from consent.models import ConsentFormVersion, QuestionnaireVersion, SignedConsent
from tests.accounts.sign_in import api_as
from tests.booking.factories import insert_appointment, make_clinic
from tests.compliance.factories import sign
from tests.resources import need_postgres

pytestmark = pytest.mark.django_db


# --- The rule -------------------------------------------------------------------------------------


def test_adults_are_kept_for_the_clinics_years_after_the_last_visit(db: None) -> None:
    clinic = make_clinic(retention_years=8)

    kept = keep_until(
        clinic, first_contact=date(2020, 5, 1), last_contact=date(2024, 2, 29), date_of_birth=date(1980, 1, 1)
    )

    assert kept.until == date(2032, 2, 29)
    assert "8 years after the last visit on 29 February 2024" in kept.reason


def test_a_patient_first_seen_as_a_minor_is_kept_until_majority_plus_the_years(db: None) -> None:
    clinic = make_clinic(retention_years=8, age_of_majority=18, retention_years_after_majority=7)

    kept = keep_until(
        clinic, first_contact=date(2020, 5, 1), last_contact=date(2020, 6, 1), date_of_birth=date(2010, 3, 15)
    )

    assert kept.until == date(2035, 3, 15)  # 18 + 7 years, later than 2028-06-01
    assert "first seen as a minor" in kept.reason


def test_whichever_is_later_wins_for_a_minor_who_kept_coming(db: None) -> None:
    clinic = make_clinic(retention_years=8, age_of_majority=18, retention_years_after_majority=3)

    kept = keep_until(
        clinic, first_contact=date(2025, 1, 1), last_contact=date(2030, 1, 1), date_of_birth=date(2008, 6, 1)
    )

    assert kept.until == date(2038, 1, 1)


# --- Erasure ----------------------------------------------------------------------------------------


@pytest.fixture
def history(
    clinic: Clinic,
    pin: Practitioner,
    needling: AppointmentType,
    patient: Patient,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
) -> dict[str, object]:
    """A visit last year (with its consent) and one booked for next week."""
    past = timezone.now() - timedelta(days=365)
    with time_machine.travel(past - timedelta(days=2), tick=False):
        consent = sign(patient, form, questionnaire, clinic=clinic, practitioner=pin, treatment=needling, visit=past)
    Appointment.objects.filter(consent=consent).update(status=Appointment.Status.COMPLETED)
    future = insert_appointment(patient, pin, needling, timezone.now() + timedelta(days=7), consent=consent)
    patient.preferred_name, patient.phone, patient.time_zone, patient.notify_sms = (
        "Patty",
        "+447911123456",
        "Europe/Paris",
        True,
    )
    patient.save()
    Token.objects.create(user=patient.user)
    EmailDevice.objects.create(user=patient.user, name="email")
    return {"consent": consent, "future": future, "last_visit": past}


def test_the_plan_keeps_signed_records_until_the_retention_date(
    patient: Patient, history: dict[str, object], clinic: Clinic
) -> None:
    plan = erasure_plan(patient, now=timezone.now())

    last_visit = history["last_visit"].astimezone(clinic.zone).date()  # type: ignore[attr-defined]
    until = last_visit.replace(year=last_visit.year + 8)
    kept = {k.what: k for k in plan.kept}
    assert kept["Signed consents, with their withdrawals"].count == 1
    assert {k.until for k in plan.kept} == {until} and all(k.inside for k in plan.kept)
    assert plan.keeps_identity and plan.identity_until == until
    assert [a.pk for a in plan.future_appointments] == [history["future"].pk]  # type: ignore[attr-defined]


def test_erasure_anonymises_the_profile_and_closes_the_account(
    patient: Patient, history: dict[str, object], audit_admin: User
) -> None:
    user = patient.user
    done = carry_out_erasure(patient, by=audit_admin, received_on=timezone.localdate(), note="Email of today")

    patient.refresh_from_db()
    user.refresh_from_db()
    assert (patient.preferred_name, patient.phone, patient.time_zone) == ("", "", "")
    assert (patient.notify_email, patient.notify_sms) == (False, False)
    assert (patient.legal_name, patient.date_of_birth) == ("Pat Example", date(1990, 1, 1))  # the records need them
    assert user.email == f"erased-{user.pk}@erased.invalid" and not user.is_active and not user.has_usable_password()
    assert not Token.objects.filter(user=user).exists() and not EmailDevice.objects.filter(user=user).exists()
    future = history["future"]
    future.refresh_from_db()  # type: ignore[attr-defined]
    assert future.status == Appointment.Status.CANCELLED  # type: ignore[attr-defined]
    assert done.cancelled_appointments == [future.pk]  # type: ignore[attr-defined]
    assert any(k["what"].startswith("Signed consents") for k in done.kept)
    assert any(k["what"].startswith("Legal name and date of birth") for k in done.kept)


def test_erasure_leaves_every_signed_record_whole(
    patient: Patient, history: dict[str, object], audit_admin: User
) -> None:
    consent = history["consent"]
    before = SignedConsent.objects.filter(pk=consent.pk).values().get()  # type: ignore[attr-defined]

    carry_out_erasure(patient, by=audit_admin, received_on=timezone.localdate())

    assert SignedConsent.objects.filter(pk=consent.pk).values().get() == before  # type: ignore[attr-defined]
    from consent.selectors import verify_chain

    assert verify_chain() is None


def test_an_erased_patient_can_no_longer_sign_in(
    patient: Patient, history: dict[str, object], audit_admin: User
) -> None:
    api = api_as(patient)
    browser = Client()
    browser.force_login(patient.user, backend="django.contrib.auth.backends.ModelBackend")
    assert browser.get("/account/").status_code == 200

    carry_out_erasure(patient, by=audit_admin, received_on=timezone.localdate())

    assert api.get("/api/v1/me").status_code == 401
    assert browser.get("/account/").status_code == 302  # the session ended with the account


def test_erasure_without_retained_records_anonymises_name_and_birth_date(
    clinic: Clinic, audit_admin: User, pin: Practitioner, needling: AppointmentType
) -> None:
    from tests.accounts.factories import make_patient

    visitor = make_patient("brief@example.com", legal_name="Brief Visitor")
    insert_appointment(visitor, pin, needling, timezone.now() + timedelta(days=5), status=Appointment.Status.HELD)

    done = carry_out_erasure(visitor, by=audit_admin, received_on=timezone.localdate())

    visitor.refresh_from_db()
    assert (visitor.legal_name, visitor.date_of_birth) == ("Erased patient", None)
    assert done.kept == []


def test_records_past_retention_are_listed_as_such(
    clinic: Clinic, patient: Patient, form: ConsentFormVersion, questionnaire: QuestionnaireVersion
) -> None:
    clinic.retention_years = 1
    clinic.save()
    with time_machine.travel(timezone.now() - timedelta(days=800), tick=False):
        sign(patient, form, questionnaire, clinic=clinic)

    plan = erasure_plan(patient, now=timezone.now())

    assert plan.kept and not any(k.inside for k in plan.kept)
    assert not plan.keeps_identity


def test_erasure_is_carried_out_once(patient: Patient, history: dict[str, object], audit_admin: User) -> None:
    carry_out_erasure(patient, by=audit_admin, received_on=timezone.localdate())

    with pytest.raises(ErasureRefused, match="already erased"):
        carry_out_erasure(patient, by=audit_admin, received_on=timezone.localdate())


def test_postgres_refuses_to_delete_a_retained_consent_even_after_erasure(
    patient: Patient, history: dict[str, object], audit_admin: User
) -> None:
    need_postgres()
    carry_out_erasure(patient, by=audit_admin, received_on=timezone.localdate())

    consent = history["consent"]

    # Raw SQL, past Django's PROTECT: the database itself refuses.
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM consent_signedconsent WHERE id = %s", [consent.pk])  # type: ignore[attr-defined]


# --- The pages ----------------------------------------------------------------------------------------


def test_the_erasure_page_shows_the_plan_then_carries_it_out(
    admin_client: Client, patient: Patient, history: dict[str, object]
) -> None:
    preview = admin_client.get("/staff/audit/erasure/", {"email": "PAT@example.com"})
    body = preview.content.decode()
    assert preview.status_code == 200
    assert "Erasure for Pat Example" in body and "Signed consents, with their withdrawals" in body
    assert not ErasureRequest.objects.exists()

    refused = admin_client.post("/staff/audit/erasure/?email=pat@example.com", {"received_on": "2026-01-01"})
    assert "Tick the box to confirm." in refused.content.decode() and not ErasureRequest.objects.exists()

    today = timezone.localdate()
    done = admin_client.post(
        "/staff/audit/erasure/?email=pat@example.com",
        {"received_on": today.isoformat(), "note": "Asked by email", "confirm": "on"},
        follow=True,
    )
    request = ErasureRequest.objects.get()
    assert done.redirect_chain[-1][0] == f"/staff/audit/erasure/{request.pk}/"
    body = done.content.decode()
    assert "Kept, and until when" in body and "Signed consents, with their withdrawals" in body
    assert "Asked by email" in body


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"email": "not an email"}, "Enter the email address"),
        ({"email": "nobody@example.com"}, "No patient with that email"),
    ],
)
def test_the_erasure_page_explains_a_bad_lookup(
    admin_client: Client, clinic: Clinic, params: dict[str, str], message: str
) -> None:
    response = admin_client.get("/staff/audit/erasure/", params)

    assert response.status_code == 200 and message in response.content.decode()


def test_the_erasure_page_refuses_a_future_request_date(
    admin_client: Client, patient: Patient, history: dict[str, object]
) -> None:
    tomorrow = timezone.localdate() + timedelta(days=2)
    response = admin_client.post(
        "/staff/audit/erasure/?email=pat@example.com", {"received_on": tomorrow.isoformat(), "confirm": "on"}
    )

    assert "cannot be in the future" in response.content.decode()
    assert not ErasureRequest.objects.exists()


def test_an_admin_cannot_erase_another_clinics_patient(
    admin_client: Client, clinic: Clinic, other_patient: Patient
) -> None:
    from tests.consent.factories import publish_for

    elsewhere = make_clinic(slug="elsewhere")
    sign(other_patient, *publish_for(elsewhere), clinic=elsewhere)

    response = admin_client.get("/staff/audit/erasure/", {"email": "olive@example.com"})

    assert "No patient with that email address has records at your clinics." in response.content.decode()
