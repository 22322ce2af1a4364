"""The workspace services' refusals, each with a code and a status for the API and pages."""

from __future__ import annotations

from collections.abc import Sequence

from booking import errors
from booking.models import (
    Appointment,
)


class InvalidInput(errors.BookingError):
    """Bad input, named by field: pages show it next to the field, the API as a 400."""

    code = "invalid"
    status = 400

    def __init__(self, fields: dict[str, list[str]]) -> None:
        super().__init__(" ".join(m for messages in fields.values() for m in messages))
        self.fields = fields


class Stranded(errors.BookingError):
    """The change would leave booked visits outside working hours or inside time off."""

    code = "strands_appointments"

    def __init__(self, message: str, appointments: Sequence[Appointment]) -> None:
        super().__init__(message)
        self.appointments = list(appointments)


class ConsentNotReconfirmed(errors.BookingError):
    code = "consent_not_reconfirmed"
