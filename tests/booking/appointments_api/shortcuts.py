"""The appointments API tests' clock (Monday 2 March 2026, before the clocks go forward) and
shortcuts: `at` a time on a day in London, `hold` and `booked` through booking.services,
`post_hold` through the API."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from rest_framework.test import APIClient

from accounts.models import Patient
from booking import services
from booking.models import Appointment, AppointmentEvent, AppointmentType

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # a Monday, before the clocks go forward on 29 March
MONDAY = NOW.date()
TUESDAY = datetime(2026, 3, 3).date()
Action = AppointmentEvent.Action
Status = Appointment.Status


def at(hh_mm: str, day: Any = TUESDAY) -> datetime:
    return datetime.combine(day, time.fromisoformat(hh_mm), LONDON)


def hold(patient: Patient, kind: AppointmentType, start: datetime, **kwargs: Any) -> Appointment:
    return services.hold_appointment(patient, appointment_type=kind, start=start, **kwargs)


def booked(patient: Patient, kind: AppointmentType, start: datetime) -> Appointment:
    return services.confirm_appointment(hold(patient, kind, start), actor=patient.user)


def post_hold(client: APIClient, kind: AppointmentType, start: str, key: str | None = None, **body: Any) -> Any:
    headers = {"Idempotency-Key": key} if key is not None else {}
    body = {"appointment_type": kind.pk, "start": start, **body}
    return client.post("/api/v1/appointments", body, format="json", headers=headers)
