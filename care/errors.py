"""The clinical record's refusals, each with a code and a status for the API and pages."""

from __future__ import annotations

from booking import errors


class InvalidInput(errors.BookingError):
    """Bad input, named by field: pages show it next to the field, the API as a 400."""

    code = "invalid"
    status = 400

    def __init__(self, fields: dict[str, list[str]]) -> None:
        super().__init__(" ".join(m for messages in fields.values() for m in messages))
        self.fields = fields


class ConsentNotReconfirmed(errors.BookingError):
    code = "consent_not_reconfirmed"


class NotAPractitioner(errors.BookingError):
    """Only a practitioner proposes a plan of care (a clinic admin who does not treat cannot)."""

    code = "not_a_practitioner"
    status = 403
