"""What the staff API's endpoints share: the error answers they document, and the schema of an
operation on one appointment (its id in the path, the staff-only and not-yours answers)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema

from booking.api.base import APPOINTMENT_ID, BAD_INPUT, error_response

STAFF_ONLY = {
    401: error_response("Not signed in"),
    403: error_response("Not a staff session verified with a one-time code"),
}
NOT_YOURS = {404: error_response("Not an appointment at your clinics")}
CONFLICT = {409: error_response("Refused by the booking rules; `code` says which")}
ACTION_ERRORS = {**BAD_INPUT, **NOT_YOURS, **CONFLICT}
TAGS = ["staff"]


def one_appointment(
    operation_id: str,
    summary: str,
    ok: Any,
    *,
    request: Any = None,
    errors: dict[int, OpenApiResponse] | None = None,
) -> Any:
    """The schema of a staff operation on the appointment in the path: `ok` answers 200; the
    staff-only answers and a 404 for an appointment not at the caller's clinics always apply."""
    return extend_schema(
        operation_id=operation_id,
        summary=summary,
        tags=TAGS,
        parameters=[APPOINTMENT_ID],
        request=request,
        # In status order, as the schema has always listed them.
        responses=dict(sorted({200: ok, **STAFF_ONLY, **NOT_YOURS, **(errors or {})}.items())),
    )
