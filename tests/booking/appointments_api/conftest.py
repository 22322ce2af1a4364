"""The appointments API tests' clinic, on a frozen Monday morning (tests/booking/appointments_api/
shortcuts.py's NOW): Harbour Physiotherapy with a massage and a needling treatment, and Alex
Morgan, who offers both. These win over the booking conftest's consent-ready clinic in this folder."""

from __future__ import annotations

import pytest
import time_machine

from booking.models import AppointmentType, Clinic, Practitioner
from tests.booking.appointments_api.shortcuts import NOW
from tests.booking.factories import make_clinic, make_practitioner, make_type


@pytest.fixture(autouse=True)
def _frozen(time_machine: time_machine.TimeMachineFixture) -> None:
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def clinic(db: None) -> Clinic:
    return make_clinic(name="Harbour Physiotherapy", address="12 Quay Street, Bristol", phone="+44 117 496 0123")


@pytest.fixture
def massage(clinic: Clinic) -> AppointmentType:
    return make_type(clinic, name="Assessment without needling", minutes=60)


@pytest.fixture
def needling(clinic: Clinic) -> AppointmentType:
    return make_type(clinic, name="Dry needling", minutes=30, needling=True)


@pytest.fixture
def alex(clinic: Clinic, massage: AppointmentType, needling: AppointmentType) -> Practitioner:
    return make_practitioner(clinic, name="Alex Morgan")
