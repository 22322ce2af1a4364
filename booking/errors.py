"""Refusals the booking services raise; the API and pages turn them into words and status codes."""

from __future__ import annotations

from core.refusals import Refusal


class BookingError(Refusal):
    code = "booking_error"
    status = 409

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class SlotUnavailable(BookingError):
    code = "slot_unavailable"


class PatientBusy(BookingError):
    code = "patient_busy"


class InvalidStart(BookingError):
    """The time was never bookable: past, too soon, too far, off the grid or outside hours."""

    code = "invalid_start"
    status = 400


class NotCredentialled(BookingError):
    code = "practitioner_not_credentialled"


class TooLateToChange(BookingError):
    code = "too_late_to_change"


class InvalidTransition(BookingError):
    code = "invalid_status"


class HoldExpired(BookingError):
    code = "hold_expired"


class IdempotencyConflict(BookingError):
    code = "idempotency_key_reused"
    status = 422
