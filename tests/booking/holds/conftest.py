"""The hold tests' clinic: it holds a time for 15 minutes, offers a 60-minute visit with
buffers (10 minutes before, 15 after) and a needling treatment, and has one practitioner
who offers both. These win over the booking conftest's consent-ready clinic in this folder."""

from __future__ import annotations

import pytest

from booking.models import AppointmentType, Clinic, Practitioner
from tests.booking.factories import make_clinic, make_practitioner, make_type


@pytest.fixture
def clinic(db: None) -> Clinic:
    return make_clinic(hold_minutes=15)


@pytest.fixture
def visit(clinic: Clinic) -> AppointmentType:
    return make_type(clinic, minutes=60, before=10, after=15)


@pytest.fixture
def needling(clinic: Clinic) -> AppointmentType:
    return make_type(clinic, minutes=30, needling=True)


@pytest.fixture
def physio(clinic: Clinic, visit: AppointmentType, needling: AppointmentType) -> Practitioner:
    return make_practitioner(clinic)
