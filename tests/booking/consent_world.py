"""A clinic ready for consent: the published test form and questionnaire under SCOPE, a
needling treatment, and two needling practitioners (Dr Pin and Dr Quill); a needling visit
with Dr Pin `held` in three days, and one `confirmed` in five days on a consent that names
Dr Pin (`at` gives a time some days ahead, in London).

tests/booking/conftest.py offers these fixtures to every booking test; a module that needs
another clinic defines its own `clinic`, which wins."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from accounts.models import Patient
from booking import consent_flow, services
from booking.models import Appointment, AppointmentType, Clinic, Practitioner
from consent.models import ConsentFormVersion, QuestionnaireVersion
from tests.booking.factories import make_clinic, make_practitioner, make_type
from tests.booking.signing import screen, signature
from tests.consent.factories import SCOPE

Status = Appointment.Status


@pytest.fixture
def clinic(form: ConsentFormVersion, questionnaire: QuestionnaireVersion) -> Clinic:
    return make_clinic(slug=SCOPE, name="Test Clinic")


@pytest.fixture
def needling(clinic: Clinic) -> AppointmentType:
    return make_type(clinic, minutes=30, needling=True, name="Dry needling")


@pytest.fixture
def pin(clinic: Clinic, needling: AppointmentType) -> Practitioner:
    return make_practitioner(clinic, name="Dr Pin", weekdays=range(7))


@pytest.fixture
def colleague(clinic: Clinic, needling: AppointmentType) -> Practitioner:
    return make_practitioner(clinic, name="Dr Quill", weekdays=range(7))


def at(days: int, hour: int) -> datetime:
    return datetime.combine(timezone.localdate() + timedelta(days=days), time(hour), tzinfo=ZoneInfo("Europe/London"))


@pytest.fixture
def held(patient: Patient, pin: Practitioner, needling: AppointmentType) -> Appointment:
    start = datetime.combine(timezone.localdate() + timedelta(days=3), time(10), tzinfo=ZoneInfo("Europe/London"))
    return services.hold_appointment(patient, appointment_type=needling, practitioner=pin, start=start)


@pytest.fixture
def confirmed(
    patient: Patient,
    pin: Practitioner,
    needling: AppointmentType,
    form: ConsentFormVersion,
    questionnaire: QuestionnaireVersion,
    clinic: Clinic,
) -> Appointment:
    """A needling visit with Dr Pin in five days, confirmed on a consent that names Dr Pin."""
    held = services.hold_appointment(patient, appointment_type=needling, practitioner=pin, start=at(5, 10))
    answers = screen(patient, questionnaire, clinic)
    consent = consent_flow.sign_for_appointment(
        patient, appointment_id=held.pk, request=signature(form, answers, patient)
    )
    assert consent.render_context["practitioner_name"] == "Dr Pin"
    held.refresh_from_db()
    assert held.status == Status.CONFIRMED
    return held
