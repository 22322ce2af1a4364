"""Shared by the calendar page and API tests: keys to seal credentials with, and a Radicale
calendar connected for a practitioner through the real service."""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.fernet import Fernet

from booking.models import Practitioner
from calendars.models import Connection
from calendars.services import connections as services
from tests.calendars.servers import Radicale

ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:a@test\r\n"
    "DTSTART:20260601T090000Z\r\nDTEND:20260601T100000Z\r\nSUMMARY:Dentist\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


@pytest.fixture(autouse=True)
def calendar_keys(settings: Any) -> None:
    settings.CALENDAR_KEYS = [Fernet.generate_key().decode()]


def connected(practitioner: Practitioner, radicale: Radicale, *, name: str = "Work") -> Connection:
    url, username, password = radicale.new_calendar(name=name)
    return services.connect_caldav(
        practitioner=practitioner, name="", url=url, username=username, password=password, actor=practitioner.user
    )
