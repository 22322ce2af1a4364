"""Fixtures for calendar sync's tests: the servers come from tests/calendars/fixtures.py (loaded
for every test directory); here, the credentials key every test of this folder seals with."""

from __future__ import annotations

from typing import Any

import pytest

from tests.calendars.factories import KEYS


@pytest.fixture(autouse=True)
def _calendar_keys(settings: Any) -> None:
    settings.CALENDAR_KEYS = KEYS
