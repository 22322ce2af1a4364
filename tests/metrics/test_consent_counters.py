"""Signing for a visit counts the screening by its outcome and the signature by its signer,
once committed; a blocked screening is counted but signs nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import Patient
from booking import consent_flow
from booking.models import Appointment, Clinic
from consent.models import ConsentFormVersion, QuestionnaireVersion
from tests.booking.signing import screen, sign_clear, signature
from tests.metrics.scrape import scrape

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_signing_moves_the_screening_and_signature_counters(
    patient: Patient,
    held: Appointment,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
    clinic: Clinic,
) -> None:
    web = Client()
    before = scrape(web)

    sign_clear(patient, held, form, questionnaire, clinic)
    after = scrape(web)

    assert (
        after.value("acus_screenings_total", outcome="clear")
        == before.value("acus_screenings_total", outcome="clear") + 1
    )
    assert after.value("acus_screenings_total", outcome="block") == before.value(
        "acus_screenings_total", outcome="block"
    )
    signed = after.value("acus_consents_signed_total", signer="patient")
    assert signed == before.value("acus_consents_signed_total", signer="patient") + 1
    assert after.value("acus_bookings_confirmed_total") == before.value("acus_bookings_confirmed_total") + 1


def test_a_blocking_screening_counts_as_blocked_and_no_signature(
    patient: Patient,
    held: Appointment,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
    clinic: Clinic,
) -> None:
    web = Client()
    before = scrape(web)

    screening = screen(patient, questionnaire, clinic, needle_fear="yes")
    with pytest.raises(consent_flow.ScreeningBlocked):
        consent_flow.sign_for_appointment(patient, appointment_id=held.pk, request=signature(form, screening, patient))
    after = scrape(web)

    assert (
        after.value("acus_screenings_total", outcome="block")
        == before.value("acus_screenings_total", outcome="block") + 1
    )
    assert after.value("acus_consents_signed_total") == before.value("acus_consents_signed_total")
