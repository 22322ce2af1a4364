"""The workspace services' refusals, each with a code and a status for the API and pages.
InvalidInput and ConsentNotReconfirmed are the clinical record's (care.errors), named here too
because the workspace's own services and pages use them."""

from __future__ import annotations

from collections.abc import Sequence

from booking import errors
from booking.models import (
    Appointment,
)
from care.errors import ConsentNotReconfirmed, InvalidInput

__all__ = ["ConsentNotReconfirmed", "InvalidInput", "Stranded"]


class Stranded(errors.BookingError):
    """The change would leave booked visits outside working hours or inside time off."""

    code = "strands_appointments"

    def __init__(self, message: str, appointments: Sequence[Appointment]) -> None:
        super().__init__(message)
        self.appointments = list(appointments)
