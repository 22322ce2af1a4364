"""Fixtures for the waitlist's tests: the practitioners' desk of tests/workspace/factories.py
(a London clinic open every day, Alex and Priya, a needling and a plain treatment), the clock
at its Monday morning, and no nudge to the real broker when a booking writes outbox rows."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import time_machine
from django.test import override_settings

from accounts.models import User
from tests.workspace.factories import NOW, Desk, make_desk


@pytest.fixture(autouse=True)
def _no_nudge() -> Iterator[None]:
    with override_settings(NOTIFICATIONS_NUDGE=False, SITE_URL="https://acus.example"):
        yield


@pytest.fixture
def desk(db: None, clinic_admin: User) -> Desk:
    return make_desk(clinic_admin)


@pytest.fixture
def frozen(time_machine: time_machine.TimeMachineFixture) -> None:
    time_machine.move_to(NOW, tick=False)
