"""A clinic admin's integrity page counts only their clinics' signed consents."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import Patient
from booking.models import Clinic
from consent import services
from consent.models import ChainVerification, ConsentFormVersion, QuestionnaireVersion
from tests.booking.factories import make_clinic
from tests.compliance.factories import sign
from tests.consent.factories import QUESTIONS, form_content

pytestmark = pytest.mark.django_db


def test_the_page_counts_only_the_admins_clinics(
    admin_client: Client,
    clinic: Clinic,
    patient: Patient,
    other_patient: Patient,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
) -> None:
    for p in (patient, other_patient):
        sign(p, form, questionnaire, clinic=clinic)
    elsewhere = make_clinic(slug="elsewhere")
    their_form = services.publish_consent_form(scope="elsewhere", **form_content())
    their_questions = services.publish_questionnaire(scope="elsewhere", title="Health check", items=QUESTIONS)
    sign(patient, their_form, their_questions, clinic=elsewhere)

    body = admin_client.post("/staff/audit/integrity/", follow=True).content.decode()

    run = ChainVerification.objects.get()
    assert (run.ok, run.checked, run.clinic_counts) == (True, 3, {clinic.slug: 2, "elsewhere": 1})
    assert "All 2 signed consents verified" in body
    assert "Check all 2 signed consents now" in body
    assert "All 2 signed consents of your clinics checked" in body
    assert "3 signed" not in body
