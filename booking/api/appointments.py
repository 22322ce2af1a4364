"""A patient's own appointments: list, hold, read, cancel, move, confirm, calendar file.

Thin adapters over booking.services and booking.consent_flow. Ids sent in a body that
name nothing (or nothing bookable) are 400 field errors; ids in the path that are not
the patient's own are 404, never 403."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsPatient
from booking import consent_flow, selectors, services
from booking.api import serializers as s
from booking.api.appointment_cards import appointment_card, appointment_cards
from booking.api.base import (
    APPOINTMENT_ID,
    BAD_BODY,
    NOT_FOUND,
    PATIENT_ONLY,
    THROTTLED,
    AppointmentActionApi,
    booking_errors,
    error_response,
    signed_in_patient,
    signed_in_user,
    validated,
)
from booking.api.consent_serializers import HealthCheckIn
from booking.api.examples import EXAMPLES
from booking.ics import appointment_calendar
from booking.models import Appointment
from core.rest import ApiError
from core.throttling import ScopedThrottle

IDEMPOTENCY_KEY_MAX = 128


def own_appointment(request: Request, pk: int) -> Appointment:
    """One of the signed-in patient's appointments; a 404 for anyone else's."""
    return selectors.own_appointment(signed_in_patient(request), pk)


def _out(appointment: Appointment, status_code: int = status.HTTP_200_OK, **headers: str) -> Response:
    # AppointmentSerializer's shape (the schema says so), without its nested serializers.
    return Response(appointment_card(appointment, timezone.now()), status=status_code, headers=headers or None)


def idempotency_key(request: Request) -> str | None:
    """The caller's Idempotency-Key header (the REST API and the FHIR operations alike), or None."""
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    if not key.strip() or len(key) > IDEMPOTENCY_KEY_MAX:
        message = _("Send 1 to %(max)s characters, e.g. a UUID.") % {"max": IDEMPOTENCY_KEY_MAX}
        raise ApiError("invalid", message, status_code=400, fields={"Idempotency-Key": [message]})
    return key


class AppointmentListApi(APIView):
    permission_classes = [IsPatient]
    throttle_scope = "appointment_hold"

    def get_throttles(self) -> list[Any]:
        # Holding blocks a time for everyone else, so holds are rate-limited; reading is not.
        return [ScopedThrottle()] if self.request.method == "POST" else []

    @extend_schema(
        operation_id="appointments_list",
        summary="The patient's appointments",
        description="All of them, past and cancelled too: upcoming ones first by start, then past ones, latest first.",
        responses={200: s.AppointmentSerializer(many=True), **PATIENT_ONLY},
        examples=EXAMPLES["appointment_list"],
        tags=["appointments"],
    )
    def get(self, request: Request) -> Response:
        # AppointmentSerializer's shape (the schema says so), from plain rows.
        return Response(appointment_cards(signed_in_patient(request).pk, timezone.now()))

    @extend_schema(
        operation_id="appointments_hold",
        summary="Hold a slot",
        description=(
            "Holds the time for the clinic's hold period (status `held`); a needling treatment is then "
            "confirmed by signing a consent, others with POST appointments/{id}/confirm. "
            "Send an `Idempotency-Key`: a retry with the same key and body answers 200 with the first "
            "appointment and never books twice; the same key with a different body is a 422."
        ),
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                str,
                OpenApiParameter.HEADER,
                description=f"Up to {IDEMPOTENCY_KEY_MAX} characters, unique per booking attempt, e.g. a UUID.",
            )
        ],
        request=s.AppointmentCreateSerializer,
        responses={
            201: OpenApiResponse(s.AppointmentSerializer, description="Held"),
            200: OpenApiResponse(
                s.AppointmentSerializer, description="A retry with the same key: the first appointment, as it is now"
            ),
            **BAD_BODY,
            **PATIENT_ONLY,
            409: error_response("slot_unavailable, patient_busy or practitioner_not_credentialled"),
            422: error_response("idempotency_key_reused: the key was used for a different booking"),
            **THROTTLED,
        },
        examples=EXAMPLES["hold"] + EXAMPLES["appointment"] + EXAMPLES["conflict"],
        tags=["appointments"],
    )
    def post(self, request: Request) -> Response:
        key = idempotency_key(request)
        data = validated(s.AppointmentCreateSerializer, request.data)
        patient = signed_in_patient(request)
        now = timezone.now()
        seen = key is not None and services.key_used(patient, key)
        with booking_errors():
            appointment = services.hold_appointment(
                patient,
                appointment_type=data["appointment_type"],
                start=data["start"],
                practitioner=data.get("practitioner"),
                idempotency_key=key,
                now=now,
            )
        if seen or appointment.created_at < now:  # a replay of an earlier request
            return _out(appointment)
        return _out(appointment, status.HTTP_201_CREATED, Location=reverse("api-appointment", args=[appointment.pk]))


def _appointment_schema(
    operation_id: str,
    summary: str,
    *,
    description: str = "",
    request: Any = None,
    conflicts: str = "",
    examples: list[Any],
) -> Any:
    """The schema shared by the endpoints that answer with one of the patient's appointments."""
    responses: dict[Any, Any] = {200: s.AppointmentSerializer, **PATIENT_ONLY, **NOT_FOUND}
    if request is not None:
        responses.update(BAD_BODY)
    if conflicts:
        responses[409] = error_response(conflicts)
    return extend_schema(
        operation_id=operation_id,
        summary=summary,
        description=description,
        parameters=[APPOINTMENT_ID],
        request=request,
        responses=responses,
        examples=examples,
        tags=["appointments"],
    )


class AppointmentDetailApi(APIView):
    permission_classes = [IsPatient]

    @_appointment_schema(
        "appointments_read",
        "One of the patient's appointments",
        examples=EXAMPLES["appointment"] + EXAMPLES["not_found"],
    )
    def get(self, request: Request, pk: int) -> Response:
        return _out(own_appointment(request, pk))


class _PatientActionApi(AppointmentActionApi):
    permission_classes = [IsPatient]

    def find(self, request: Request, pk: int) -> Appointment:
        return own_appointment(request, pk)

    def answer(self, request: Request, appointment: Appointment) -> Response:
        return _out(appointment)


@extend_schema_view(
    post=_appointment_schema(
        "appointments_cancel",
        "Cancel",
        description="Allowed while held, and otherwise until the clinic's cancellation window starts.",
        request=s.CancelSerializer,
        conflicts="too_late_to_change (the detail gives the clinic's phone) or invalid_status",
        examples=EXAMPLES["cancel"] + EXAMPLES["too_late"],
    )
)
class AppointmentCancelApi(_PatientActionApi):
    body_serializer = s.CancelSerializer

    def act(self, request: Request, appointment: Appointment, data: dict[str, Any]) -> Appointment:
        return services.cancel_appointment(appointment, actor=signed_in_user(request), reason=data["reason"])


@extend_schema_view(
    post=_appointment_schema(
        "appointments_reschedule",
        "Move to another time",
        description=(
            "Keeps the id; `version` goes up by one. The same policy as for cancelling. A needling visit moved to "
            "another practitioner lets go of its consent and waits as `pending_review` until the patient signs "
            "again (POST screenings, then POST consents): the signed text names the practitioner."
        ),
        request=s.RescheduleSerializer,
        conflicts="slot_unavailable, patient_busy, too_late_to_change, hold_expired or invalid_status",
        examples=EXAMPLES["reschedule"] + EXAMPLES["too_late"],
    )
)
class AppointmentRescheduleApi(_PatientActionApi):
    body_serializer = s.RescheduleSerializer

    def act(self, request: Request, appointment: Appointment, data: dict[str, Any]) -> Appointment:
        return services.reschedule_appointment(
            appointment, actor=signed_in_user(request), start=data["start"], practitioner=data.get("practitioner")
        )


@extend_schema_view(
    post=_appointment_schema(
        "appointments_confirm",
        "Confirm a held appointment",
        description=(
            "Treatments without needling are confirmed at once. A needling visit is confirmed here only when a "
            "signed consent still covers it and the patient confirms `health_unchanged: true`; otherwise 409 "
            "consent_required (answer the health questions and sign: POST screenings, then POST consents). "
            "A consent covers it when its screening was clear or a practitioner approved it; while that review "
            "is undecided, the visit answers 200 as `pending_review` and waits for it too. Only a held visit can "
            "be confirmed this way. `health_unchanged: false` ends the current consent."
        ),
        request=HealthCheckIn,
        conflicts="consent_required, hold_expired or invalid_status",
        examples=EXAMPLES["confirm"],
    )
)
class AppointmentConfirmApi(_PatientActionApi):
    body_serializer = HealthCheckIn

    def act(self, request: Request, appointment: Appointment, data: dict[str, Any]) -> Appointment:
        if not appointment.appointment_type.involves_needling:
            return services.confirm_appointment(appointment, actor=signed_in_user(request))
        health_unchanged = data.get("health_unchanged")
        if health_unchanged is None:
            raise ApiError(
                "consent_required",
                _(
                    "Dry needling is confirmed by a signed consent: say whether your health has changed "
                    "(health_unchanged), or answer the health questions and sign."
                ),
            )
        return consent_flow.confirm_with_existing_consent(
            signed_in_patient(request), appointment_id=appointment.pk, health_unchanged=health_unchanged
        )


class AppointmentCalendarApi(APIView):
    permission_classes = [IsPatient]

    @extend_schema(
        operation_id="appointments_calendar",
        summary="The appointment as a calendar file (.ics)",
        description="One event; its UID stays the same and SEQUENCE follows `version`, so importing again updates it.",
        parameters=[APPOINTMENT_ID],
        responses={
            (200, "text/calendar"): OpenApiResponse(OpenApiTypes.BINARY, description="An iCalendar file"),
            (401, "application/json"): PATIENT_ONLY[401],
            (403, "application/json"): PATIENT_ONLY[403],
            (404, "application/json"): NOT_FOUND[404],
        },
        tags=["appointments"],
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        appointment = own_appointment(request, pk)
        response = HttpResponse(appointment_calendar(appointment), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="acus-appointment-{appointment.pk}.ics"'
        return response

    def perform_content_negotiation(self, request: Request, force: bool = False) -> tuple[Any, str]:
        # The file is written by hand above, so an Accept of text/calendar must not be
        # refused; errors stay in the one JSON shape, whatever the client accepts.
        return JSONRenderer(), JSONRenderer.media_type
