"""The audit list: filters, search, status worked out in SQL, pagination, and bad input."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Patient
from booking.models import AppointmentType, Clinic, Practitioner
from compliance import selectors
from consent import services
from consent.models import ConsentFormVersion, QuestionnaireVersion, SignedConsent
from tests.accounts.factories import make_patient
from tests.booking.factories import make_clinic, make_practitioner
from tests.compliance.factories import GUARDIAN, sign
from tests.consent.factories import form_content

pytestmark = pytest.mark.django_db


def ids_on(response) -> list[int]:
    assert response.status_code == 200, response.content.decode()[:2000]
    return [int(n) for n in re.findall(r'href="/staff/audit/consents/(\d+)/"', response.content.decode())]


@pytest.fixture
def world(
    clinic: Clinic,
    pin: Practitioner,
    needling: AppointmentType,
    patient: Patient,
    other_patient: Patient,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
) -> dict[str, SignedConsent]:
    """Four consents, one in each status, plus one a guardian signed. The fixture's form is
    version 1; a material version 2 supersedes the consents signed to it."""
    now = timezone.now()
    with time_machine.travel(now - timedelta(days=20), tick=False):
        superseded = sign(patient, form, questionnaire, clinic=clinic, practitioner=pin, treatment=needling)
    new_form = services.publish_consent_form(scope=clinic.slug, material=True, **form_content())
    with time_machine.travel(now - timedelta(days=400), tick=False):
        expired = sign(other_patient, new_form, questionnaire, clinic=clinic)
    with time_machine.travel(now - timedelta(days=30), tick=False):
        withdrawn = sign(other_patient, new_form, questionnaire, clinic=clinic)
        services.withdraw_consent(withdrawn, by=other_patient.user)
    active = sign(patient, new_form, questionnaire, clinic=clinic, practitioner=pin, treatment=needling)
    minor = make_patient("kid@example.com", legal_name="Kit Young")
    guardian = sign(minor, new_form, questionnaire, clinic=clinic, guardian=GUARDIAN, typed_name="Gwen Young")
    return {
        "expired": expired,
        "withdrawn": withdrawn,
        "superseded": superseded,
        "active": active,
        "guardian": guardian,
    }


def test_it_lists_the_clinics_consents_newest_first(admin_client: Client, world: dict[str, SignedConsent]) -> None:
    response = admin_client.get("/staff/audit/consents/")

    expected = [world[k].pk for k in ("guardian", "active", "superseded", "withdrawn", "expired")]
    assert ids_on(response) == expected
    assert "5 consents" in response.content.decode()


@pytest.mark.parametrize("status", ["active", "withdrawn", "expired", "superseded"])
def test_it_filters_by_status(admin_client: Client, world: dict[str, SignedConsent], status: str) -> None:
    response = admin_client.get("/staff/audit/consents/", {"status": status})

    expected = {world[status].pk} | ({world["guardian"].pk} if status == "active" else set())
    assert set(ids_on(response)) == expected


def test_sql_status_agrees_with_consent_selectors(world: dict[str, SignedConsent], clinic: Clinic) -> None:
    from consent.selectors import consent_status

    now = timezone.now()
    rows = selectors.consents(selectors.ConsentQuery(clinics=[clinic]), now=now)

    for row in rows:
        assert row.audit_status == consent_status(row, valid_since=clinic.consent_valid_since(now))  # type: ignore[attr-defined]


def test_it_filters_by_date_range_in_the_clinics_zone(
    admin_client: Client, world: dict[str, SignedConsent], clinic: Clinic
) -> None:
    day = world["withdrawn"].signed_at.astimezone(clinic.zone).date()

    response = admin_client.get(
        "/staff/audit/consents/", {"signed_from": day.isoformat(), "signed_to": day.isoformat()}
    )

    assert ids_on(response) == [world["withdrawn"].pk]


def test_it_filters_by_form_version_practitioner_and_signer(
    admin_client: Client, world: dict[str, SignedConsent], pin: Practitioner, form: ConsentFormVersion
) -> None:
    assert ids_on(admin_client.get("/staff/audit/consents/", {"form_version": form.pk})) == [world["superseded"].pk]
    assert ids_on(admin_client.get("/staff/audit/consents/", {"practitioner": pin.pk})) == [
        world["active"].pk,
        world["superseded"].pk,
    ]
    assert ids_on(admin_client.get("/staff/audit/consents/", {"signer_role": "guardian"})) == [world["guardian"].pk]


@pytest.mark.parametrize(("q", "who"), [("pat example", "patient"), ("OLIVE@", "other"), ("kit", "minor")])
def test_it_searches_by_legal_name_or_email(
    admin_client: Client, world: dict[str, SignedConsent], q: str, who: str
) -> None:
    expected = {
        "patient": {world["active"].pk, world["superseded"].pk},
        "other": {world["withdrawn"].pk, world["expired"].pk},
        "minor": {world["guardian"].pk},
    }[who]

    assert set(ids_on(admin_client.get("/staff/audit/consents/", {"q": q}))) == expected


def test_it_pages_through_the_list(
    admin_client: Client, world: dict[str, SignedConsent], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)

    first = admin_client.get("/staff/audit/consents/", {"signer_role": "patient"})
    second = admin_client.get("/staff/audit/consents/", {"signer_role": "patient", "page": "2"})
    beyond = admin_client.get("/staff/audit/consents/", {"signer_role": "patient", "page": "999"})
    nonsense = admin_client.get("/staff/audit/consents/", {"signer_role": "patient", "page": "abc"})

    assert len(ids_on(first)) == 2 and "Page 1 of 2" in first.content.decode()
    assert "signer_role=patient&amp;page=2" in first.content.decode()
    assert ids_on(second) == ids_on(beyond) and len(ids_on(second)) == 2
    assert ids_on(nonsense) == ids_on(first)


def test_the_list_takes_the_same_number_of_queries_for_more_rows(
    admin_client: Client, world: dict[str, SignedConsent], form: ConsentFormVersion, questionnaire, clinic: Clinic
) -> None:
    with CaptureQueriesContext(connection) as few:
        admin_client.get("/staff/audit/consents/")
    current_form = world["active"].form_version  # the material version 2: only the current form can be signed
    for n in range(12):
        sign(make_patient(legal_name=f"Extra Person{n}"), current_form, questionnaire, clinic=clinic)
    with CaptureQueriesContext(connection) as many:
        admin_client.get("/staff/audit/consents/")

    assert len(many) == len(few)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"signed_from": "next tuesday"}, "Enter the date as year-month-day"),
        ({"signed_to": "2026-02-30"}, "Enter the date as year-month-day"),
        ({"signed_from": "0001-01-01"}, "Enter a date between 1900 and 2200."),
        ({"signed_from": "2026-03-02", "signed_to": "2026-03-01"}, "on or after the start date"),
        ({"form_version": "999999"}, "not one of your clinics"),
        ({"form_version": "abc"}, "not one of your clinics"),
        ({"practitioner": "99999999999999999999999"}, "does not work at your clinics"),
        ({"status": "lost"}, "Choose a status from the list."),
        ({"signer_role": "cat"}, "Choose who signed from the list."),
    ],
)
def test_bad_filters_get_a_clear_message_not_a_500(
    admin_client: Client, clinic: Clinic, params: dict[str, str], message: str
) -> None:
    response = admin_client.get("/staff/audit/consents/", params)

    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body and message in body


def test_it_refuses_another_clinics_form_version_and_practitioner(
    admin_client: Client, clinic: Clinic, form: ConsentFormVersion
) -> None:
    elsewhere = make_clinic(slug="elsewhere")
    foreign_form = services.publish_consent_form(scope=elsewhere.slug, **form_content())
    foreign_practitioner = make_practitioner(elsewhere)

    response = admin_client.get(
        "/staff/audit/consents/", {"form_version": foreign_form.pk, "practitioner": foreign_practitioner.pk}
    )

    assert response.status_code == 400
    assert "not one of your clinics" in response.content.decode()
    assert "does not work at your clinics" in response.content.decode()


def test_the_list_writes_no_access_rows(admin_client: Client, world: dict[str, SignedConsent]) -> None:
    from consent.models import ConsentAccessLog

    admin_client.get("/staff/audit/consents/")

    assert not ConsentAccessLog.objects.exists()
