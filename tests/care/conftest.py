"""Fixtures for the clinical record's tests: a clinic with a practitioner who works every day
(the check-in), the desk of tests/workspace/factories.py (session notes), and no nudge to the
real broker when a red flag writes the practitioner's alert."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import time_machine
from django.test import override_settings

from accounts.models import User
from booking.models import Clinic, Practitioner
from tests.booking.factories import make_clinic, make_practitioner, make_type
from tests.workspace.factories import NOW, Desk, make_desk


@pytest.fixture(autouse=True)
def _no_nudge() -> Iterator[None]:
    # A red flag writes an outbox row; dispatching it is the notifications tests' job.
    with override_settings(NOTIFICATIONS_NUDGE=False, SITE_URL="https://acus.example"):
        yield


@pytest.fixture
def clinic(db: None) -> Clinic:
    return make_clinic(name="Harbour Physio", min_notice_minutes=30, cancellation_window_hours=24)


@pytest.fixture
def physio(clinic: Clinic) -> Practitioner:
    make_type(clinic, minutes=60, name="Follow-up treatment")
    return make_practitioner(clinic, weekdays=range(7), name="Alex Morgan")


@pytest.fixture
def desk(db: None, clinic_admin: User) -> Desk:
    return make_desk(clinic_admin)


@pytest.fixture
def frozen(time_machine: time_machine.TimeMachineFixture) -> None:
    time_machine.move_to(NOW, tick=False)
