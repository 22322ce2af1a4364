"""Fixtures for the workspace tests: the desk (tests/workspace/factories.py), a client signed in
as each of its people, a frozen clock, and the consent-ready clinic of
tests/booking/consent_world.py."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from accounts.models import User
from tests.booking.consent_world import clinic, colleague, needling, pin  # noqa: F401
from tests.workspace.factories import NOW, Desk, make_desk, staff_client


@pytest.fixture
def desk(db: None, clinic_admin: User) -> Desk:
    return make_desk(clinic_admin)


@pytest.fixture
def frozen(time_machine: time_machine.TimeMachineFixture) -> None:
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def alex_client(desk: Desk) -> Client:
    return staff_client(desk.alex.user)


@pytest.fixture
def priya_client(desk: Desk) -> Client:
    return staff_client(desk.priya.user)


@pytest.fixture
def admin_client_(desk: Desk) -> Client:
    return staff_client(desk.admin)
