"""Examples for the booking API's schema (booking/api/catalogue.py, booking/api/appointments.py):
what a client sees in /api/v1/docs/ for each answer, refusals included."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from drf_spectacular.utils import OpenApiExample

from booking.api.serializers import AwareDateTimeField
from core.rest import FIELDS_NEED_ATTENTION

_APPOINTMENT = {
    "id": 42,
    "status": "held",
    "start": "2026-03-30T09:00:00+01:00",
    "end": "2026-03-30T10:00:00+01:00",
    "time_zone": "Europe/London",
    "version": 1,
    "hold_expires_at": "2026-03-02T09:10:00+00:00",
    "appointment_type": {"id": 1, "name": "Initial assessment with dry needling", "involves_needling": True},
    "practitioner": {"id": 3, "display_name": "Alex Morgan"},
    "clinic": {"id": 1, "name": "Harbour Physiotherapy", "phone": "+44 117 496 0123", "address": "12 Quay Street"},
    "can_cancel": True,
    "can_reschedule": True,
}
_CONFIRMED = {**_APPOINTMENT, "status": "confirmed", "hold_expires_at": None}
_TYPE = {"id": 3, "name": "Assessment without needling", "involves_needling": False}


def _example(name: str, value: Any, **kwargs: Any) -> OpenApiExample:
    return OpenApiExample(name, value=value, **kwargs)


def _refusal(name: str, code: str, detail: str | Promise, status: int, **fields: list[str]) -> OpenApiExample:
    # The schema's examples are English: str() here, at import, before any language is active.
    body = {"code": code, "detail": str(detail), "fields": fields}
    return _example(name, body, response_only=True, status_codes=[status])


_NAIVE = str(AwareDateTimeField.default_error_messages["naive"])
_NOT_YOURS = _refusal("Not found", "not_found", "Not found.", 404)


EXAMPLES: dict[str, list[OpenApiExample]] = {
    # A list response's example is one item: drf-spectacular wraps it in the list.
    "clinics": [
        _example(
            "A clinic",
            {
                "id": 1,
                "name": "Harbour Physiotherapy",
                "slug": "harbour-physio",
                "time_zone": "Europe/London",
                "address": "12 Quay Street, Bristol BS1 4DJ",
                "phone": "+44 117 496 0123",
                "email": "hello@harbour-physio.example",
                "min_notice_minutes": 120,
                "max_advance_days": 60,
                "hold_minutes": 10,
                "cancellation_window_hours": 24,
            },
            response_only=True,
        )
    ],
    "appointment_types": [
        _example(
            "A treatment",
            {
                "id": 1,
                "clinic": 1,
                "name": "Initial assessment with dry needling",
                "description": "A full assessment, then dry needling if it suits you.",
                "duration_minutes": 60,
                "involves_needling": True,
            },
            response_only=True,
        )
    ],
    "practitioners": [
        _example(
            "A practitioner",
            {
                "id": 3,
                "display_name": "Alex Morgan",
                "bio": "Sports injuries.",
                "clinics": [1],
                "appointment_types": [1],
            },
            response_only=True,
        )
    ],
    "slots": [
        _example(
            "A slot in summer time",
            {"start": "2026-03-30T09:00:00+01:00", "end": "2026-03-30T10:00:00+01:00", "practitioner": 3},
            response_only=True,
        ),
        _refusal("No offset", "invalid", FIELDS_NEED_ATTENTION, 400, start=[_NAIVE]),
    ],
    "hold": [
        _example(
            "Any practitioner",
            {"appointment_type": 1, "practitioner": None, "start": "2026-03-30T09:00:00+01:00"},
            request_only=True,
        )
    ],
    "appointment": [_example("A held appointment", _APPOINTMENT, response_only=True, status_codes=[200, 201])],
    "not_found": [_NOT_YOURS],
    "appointment_list": [_example("A confirmed appointment", _CONFIRMED, response_only=True)],
    "conflict": [
        _refusal("Taken", "slot_unavailable", "That time has just been taken. Please choose another.", 409),
        _refusal(
            "Key reused",
            "idempotency_key_reused",
            "This Idempotency-Key was already used for a different booking.",
            422,
        ),
    ],
    "cancel": [
        _example("With a reason", {"reason": "Feeling better"}, request_only=True),
        _example(
            "Cancelled",
            {**_CONFIRMED, "status": "cancelled", "can_cancel": False, "can_reschedule": False},
            response_only=True,
            status_codes=[200],
        ),
    ],
    "too_late": [
        _refusal(
            "Too late",
            "too_late_to_change",
            "Changes online close 24 hours before the appointment. Please call the clinic on +44 117 496 0123.",
            409,
        )
    ],
    "reschedule": [
        _example("Same practitioner", {"start": "2026-03-31T14:00:00+01:00"}, request_only=True),
        _example(
            "Moved",
            {**_CONFIRMED, "start": "2026-03-31T14:00:00+01:00", "end": "2026-03-31T15:00:00+01:00", "version": 2},
            response_only=True,
            status_codes=[200],
        ),
    ],
    "confirm": [
        _example("Confirmed", {**_CONFIRMED, "appointment_type": _TYPE}, response_only=True, status_codes=[200]),
        _refusal(
            "Needling",
            "consent_required",
            "Dry needling is confirmed by answering the health questions and signing the consent.",
            409,
        ),
    ],
}
