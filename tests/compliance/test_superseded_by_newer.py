"""An older consent that the patient's newer signature at the clinic replaced shows as
superseded: on the patient's page, in the API, and in the audit (one rule, in consent.selectors)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Patient
from booking.models import Clinic
from compliance import selectors as audit
from consent.models import ConsentFormVersion, QuestionnaireVersion, SignedConsent
from tests.accounts.sign_in import api_as
from tests.booking.pages import sign_in
from tests.compliance.factories import sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def older_and_newer(
    clinic: Clinic, patient: Patient, form: ConsentFormVersion, questionnaire: QuestionnaireVersion
) -> list[SignedConsent]:
    return [sign(patient, form, questionnaire, clinic=clinic) for _ in range(2)]


def test_the_api_lists_the_replaced_consent_as_superseded(
    patient: Patient, older_and_newer: list[SignedConsent]
) -> None:
    body = api_as(patient).get("/api/v1/consents").json()

    rows = body["results"] if isinstance(body, dict) else body
    statuses = {row["id"]: row["status"] for row in rows}
    assert statuses == {older_and_newer[0].pk: "superseded", older_and_newer[1].pk: "active"}


def test_the_patient_page_says_the_older_consent_is_superseded(
    client: Client, patient: Patient, older_and_newer: list[SignedConsent]
) -> None:
    sign_in(client, patient)

    html = client.get("/appointments/").content.decode()

    assert html.count("Superseded: a newer consent or a newer form replaces it") == 1
    assert html.count("In force") == 1
    assert f"/consents/{older_and_newer[1].pk}/withdraw/" in html
    assert f"/consents/{older_and_newer[0].pk}/withdraw/" not in html


def test_the_audit_uses_the_same_rule(clinic: Clinic, older_and_newer: list[SignedConsent]) -> None:
    now = timezone.now()

    assert [audit.status_of(c, clinic, now=now) for c in older_and_newer] == ["superseded", "active"]
