"""A clinic in London with a 60-minute treatment and a practitioner who works every day."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import time_machine
from django.test import override_settings

from accounts.models import Patient
from booking.models import AppointmentType, Clinic, Practitioner
from tests.booking.factories import make_clinic, make_practitioner, make_type
from tests.notifications.helpers import NOW


@pytest.fixture(autouse=True)
def _no_nudge() -> Iterator[None]:
    # Tests dispatch by hand; a nudge would publish to the real broker. The tests
    # of the nudge itself turn it back on.
    with override_settings(NOTIFICATIONS_NUDGE=False, SITE_URL="https://acus.example"):
        yield


@pytest.fixture
def frozen() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def clinic(db: None) -> Clinic:
    return make_clinic(name="Harbour Physio", min_notice_minutes=30, cancellation_window_hours=24)


@pytest.fixture
def visit(clinic: Clinic) -> AppointmentType:
    return make_type(clinic, minutes=60, name="Follow-up treatment")


@pytest.fixture
def physio(clinic: Clinic, visit: AppointmentType) -> Practitioner:
    return make_practitioner(clinic, weekdays=range(7), name="Alex Morgan")


@pytest.fixture
def sms_patient(patient: Patient) -> Patient:
    patient.phone = "+447911123456"
    patient.notify_sms = True
    patient.save()
    return patient
