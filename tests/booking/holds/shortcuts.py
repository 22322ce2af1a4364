"""The hold tests' clock (Monday 1 June 2026, 09:00 in London) and `hold`, which calls
booking.services.hold_appointment at that clock unless told another `now`."""

from __future__ import annotations

from datetime import UTC, date, datetime

from accounts.models import Patient
from booking import services
from booking.models import Appointment, AppointmentType, Practitioner

NOW = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)  # Monday 09:00 in London
TUESDAY = date(2026, 6, 2)
Status = Appointment.Status


def hold(
    patient: Patient,
    kind: AppointmentType,
    start: datetime,
    who: Practitioner | None,
    *,
    now: datetime = NOW,
    idempotency_key: str | None = None,
) -> Appointment:
    return services.hold_appointment(
        patient, appointment_type=kind, start=start, practitioner=who, idempotency_key=idempotency_key, now=now
    )
