"""Booking endpoints: the public catalogue and slots, and a patient's own appointments.

Thin adapters over booking.selectors and booking.services. Ids sent in a query or a
body that name nothing (or nothing bookable) are 400 field errors; ids in the path
that are not the patient's own are 404, never 403."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Patient, User
from accounts.permissions import IsPatient
from accounts.serializers import ErrorSerializer
from booking import consent_flow, errors, selectors, services
from booking import serializers as s
from booking.consent_serializers import HealthCheckIn
from booking.ics import appointment_calendar
from booking.models import Appointment, AppointmentType, Clinic, Practitioner
from config.api import ApiError
from config.throttling import ScopedThrottle

IDEMPOTENCY_KEY_MAX = 128


def _error(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


BAD_INPUT = {400: _error("Invalid input; `fields` names each bad field")}
NOT_JSON = {415: _error("The body is not JSON: send it with Content-Type: application/json")}
BAD_BODY = {**BAD_INPUT, **NOT_JSON}
BAD_TOKEN = {401: _error("An invalid token was sent (this endpoint needs none)")}
PATIENT_ONLY = {
    401: _error("Not signed in"),
    403: _error("Signed in, but not as a patient"),
}
NOT_FOUND = {404: _error("No such appointment among the patient's own")}
THROTTLED = {429: _error("Too many requests; see Retry-After")}
ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="The appointment's id.")


# Which request field a 400 refusal from the services is about.
_FIELD_OF = {
    "invalid_start": "start",
    "appointment_type_inactive": "appointment_type",
    "practitioner_unavailable": "practitioner",
}


@contextmanager
def booking_errors() -> Iterator[None]:
    """Turn the services' refusals into the API's one error shape."""
    try:
        yield
    except errors.BookingError as exc:
        field = _FIELD_OF.get(exc.code) if exc.status == status.HTTP_400_BAD_REQUEST else None
        fields = {field: [exc.message]} if field else None
        raise ApiError(exc.code, exc.message, status_code=exc.status, fields=fields) from None


def _query(serializer_class: type[s.serializers.Serializer[Any]], request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.query_params, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# --- Public catalogue -----------------------------------------------------------------


class ClinicListApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="clinics_list",
        summary="Clinics",
        responses={200: s.ClinicSerializer(many=True), **BAD_TOKEN},
        examples=s.EXAMPLES["clinics"],
        tags=["catalogue"],
    )
    def get(self, request: Request) -> Response:
        return Response(s.ClinicSerializer(Clinic.objects.order_by("name", "id"), many=True).data)


class AppointmentTypeListApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="appointment_types_list",
        summary="Treatments that can be booked",
        parameters=[s.ClinicFilterSerializer],
        responses={200: s.AppointmentTypeSerializer(many=True), **BAD_INPUT, **BAD_TOKEN},
        examples=s.EXAMPLES["appointment_types"],
        tags=["catalogue"],
    )
    def get(self, request: Request) -> Response:
        query = _query(s.ClinicFilterSerializer, request)
        types = AppointmentType.objects.filter(active=True).order_by("clinic_id", "position", "name", "id")
        if "clinic" in query:
            types = types.filter(clinic=query["clinic"])
        return Response(s.AppointmentTypeSerializer(types, many=True).data)


class PractitionerListApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="practitioners_list",
        summary="Practitioners",
        parameters=[s.PractitionerFilterSerializer],
        responses={200: s.PractitionerSerializer(many=True), **BAD_INPUT, **BAD_TOKEN},
        examples=s.EXAMPLES["practitioners"],
        tags=["catalogue"],
    )
    def get(self, request: Request) -> Response:
        query = _query(s.PractitionerFilterSerializer, request)
        people: QuerySet[Practitioner] = Practitioner.objects.filter(active=True)
        if "appointment_type" in query:
            people = selectors.practitioners_offering(query["appointment_type"])
        if "clinic" in query:
            people = people.filter(clinics=query["clinic"])
        people = people.order_by("display_name", "id").prefetch_related(
            Prefetch("clinics", queryset=Clinic.objects.only("id")),
            Prefetch("appointment_types", queryset=AppointmentType.objects.only("id", "active")),
        )
        return Response(s.PractitionerSerializer(people, many=True).data)


class SlotListApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [ScopedThrottle]
    throttle_scope = "slots"

    @extend_schema(
        operation_id="slots_list",
        summary="Free times for a treatment",
        description=(
            "Free slots whose start lies in [start, end), at most 92 days at a time, sorted by start. "
            "`start` and `end` of each slot are written in the clinic's time zone with their offset. "
            "With no practitioner (or `any`) each start time is offered once, by the least busy practitioner. "
            "For moving an appointment, a signed-in patient sends its id as `reschedule`: times that overlap "
            "it are then free."
        ),
        parameters=[s.SlotQuerySerializer],
        responses={200: s.SlotSerializer(many=True), **BAD_INPUT, **BAD_TOKEN, **THROTTLED},
        examples=s.EXAMPLES["slots"],
        tags=["booking"],
    )
    def get(self, request: Request) -> Response:
        query = _query(s.SlotQuerySerializer, request)
        kind: AppointmentType = query["appointment_type"]
        slots = selectors.available_slots(
            appointment_type=kind,
            practitioner=query["practitioner"],
            start=query["start"],
            end=query["end"],
            now=timezone.now(),
            exclude_appointment_id=query.get("reschedule"),
        )
        return Response(s.SlotSerializer(slots, many=True, context={"zone": kind.clinic.zone}).data)


# --- A patient's appointments ---------------------------------------------------------


def _patient(request: Request) -> Patient:
    return request.user.patient  # type: ignore[union-attr]


def _own(request: Request) -> QuerySet[Appointment]:
    return Appointment.objects.filter(patient=_patient(request)).select_related(
        "clinic", "appointment_type", "practitioner"
    )


def _appointment(request: Request, pk: int) -> Appointment:
    return get_object_or_404(_own(request), pk=pk)


def _out(appointment: Appointment, status_code: int = status.HTTP_200_OK, **headers: str) -> Response:
    return Response(s.AppointmentSerializer(appointment).data, status=status_code, headers=headers or None)


def _idempotency_key(request: Request) -> str | None:
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    if not key.strip() or len(key) > IDEMPOTENCY_KEY_MAX:
        message = f"Send 1 to {IDEMPOTENCY_KEY_MAX} characters, e.g. a UUID."
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
        examples=s.EXAMPLES["appointment_list"],
        tags=["appointments"],
    )
    def get(self, request: Request) -> Response:
        now = timezone.now()
        upcoming = _own(request).filter(end__gte=now).order_by("start", "id")
        past = _own(request).filter(end__lt=now).order_by("-start", "-id")
        return Response(s.AppointmentSerializer([*upcoming, *past], many=True, context={"now": now}).data)

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
            409: _error("slot_unavailable, patient_busy or practitioner_not_credentialled"),
            422: _error("idempotency_key_reused: the key was used for a different booking"),
            **THROTTLED,
        },
        examples=s.EXAMPLES["hold"] + s.EXAMPLES["appointment"] + s.EXAMPLES["conflict"],
        tags=["appointments"],
    )
    def post(self, request: Request) -> Response:
        key = _idempotency_key(request)
        serializer = s.AppointmentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        patient = _patient(request)
        now = timezone.now()
        seen = key is not None and Appointment.objects.filter(patient=patient, idempotency_key=key).exists()
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
        responses[409] = _error(conflicts)
    return extend_schema(
        operation_id=operation_id,
        summary=summary,
        description=description,
        parameters=[ID],
        request=request,
        responses=responses,
        examples=examples,
        tags=["appointments"],
    )


def _user(request: Request) -> User:
    assert isinstance(request.user, User)
    return request.user


class AppointmentDetailApi(APIView):
    permission_classes = [IsPatient]

    @_appointment_schema(
        "appointments_read",
        "One of the patient's appointments",
        examples=s.EXAMPLES["appointment"] + s.EXAMPLES["not_found"],
    )
    def get(self, request: Request, pk: int) -> Response:
        return _out(_appointment(request, pk))


class AppointmentCancelApi(APIView):
    permission_classes = [IsPatient]

    @_appointment_schema(
        "appointments_cancel",
        "Cancel",
        description="Allowed while held, and otherwise until the clinic's cancellation window starts.",
        request=s.CancelSerializer,
        conflicts="too_late_to_change (the detail gives the clinic's phone) or invalid_status",
        examples=s.EXAMPLES["cancel"] + s.EXAMPLES["too_late"],
    )
    def post(self, request: Request, pk: int) -> Response:
        appointment = _appointment(request, pk)
        serializer = s.CancelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        reason = serializer.validated_data["reason"]
        with booking_errors():
            appointment = services.cancel_appointment(appointment, actor=_user(request), reason=reason)
        return _out(appointment)


class AppointmentRescheduleApi(APIView):
    permission_classes = [IsPatient]

    @_appointment_schema(
        "appointments_reschedule",
        "Move to another time",
        description="Keeps the id; `version` goes up by one. The same policy as for cancelling.",
        request=s.RescheduleSerializer,
        conflicts="slot_unavailable, patient_busy, too_late_to_change, hold_expired or invalid_status",
        examples=s.EXAMPLES["reschedule"] + s.EXAMPLES["too_late"],
    )
    def post(self, request: Request, pk: int) -> Response:
        appointment = _appointment(request, pk)
        serializer = s.RescheduleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        with booking_errors():
            appointment = services.reschedule_appointment(
                appointment, actor=_user(request), start=data["start"], practitioner=data.get("practitioner")
            )
        return _out(appointment)


class AppointmentConfirmApi(APIView):
    permission_classes = [IsPatient]

    @_appointment_schema(
        "appointments_confirm",
        "Confirm a held appointment",
        description=(
            "Treatments without needling are confirmed at once. A needling visit is confirmed here only when a "
            "signed consent still covers it and the patient confirms `health_unchanged: true`; otherwise 409 "
            "consent_required (answer the health questions and sign: POST screenings, then POST consents). "
            "`health_unchanged: false` ends the current consent."
        ),
        request=HealthCheckIn,
        conflicts="consent_required, hold_expired or invalid_status",
        examples=s.EXAMPLES["confirm"],
    )
    def post(self, request: Request, pk: int) -> Response:
        appointment = _appointment(request, pk)
        data = HealthCheckIn(data=request.data)
        data.is_valid(raise_exception=True)
        if appointment.appointment_type.involves_needling:
            health_unchanged = data.validated_data.get("health_unchanged")
            if health_unchanged is None:
                raise ApiError(
                    "consent_required",
                    "Dry needling is confirmed by a signed consent: say whether your health has changed "
                    "(health_unchanged), or answer the health questions and sign.",
                )
            with booking_errors():
                appointment = consent_flow.confirm_with_existing_consent(
                    _patient(request), appointment_id=appointment.pk, health_unchanged=health_unchanged
                )
            return _out(appointment)
        with booking_errors():
            appointment = services.confirm_appointment(appointment, actor=_user(request))
        return _out(appointment)


class AppointmentCalendarApi(APIView):
    permission_classes = [IsPatient]

    @extend_schema(
        operation_id="appointments_calendar",
        summary="The appointment as a calendar file (.ics)",
        description="One event; its UID stays the same and SEQUENCE follows `version`, so importing again updates it.",
        parameters=[ID],
        responses={
            (200, "text/calendar"): OpenApiResponse(OpenApiTypes.BINARY, description="An iCalendar file"),
            (401, "application/json"): PATIENT_ONLY[401],
            (403, "application/json"): PATIENT_ONLY[403],
            (404, "application/json"): NOT_FOUND[404],
        },
        tags=["appointments"],
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        appointment = _appointment(request, pk)
        response = HttpResponse(appointment_calendar(appointment), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="acus-appointment-{appointment.pk}.ics"'
        response["Cache-Control"] = "private, no-store"
        return response

    def perform_content_negotiation(self, request: Request, force: bool = False) -> tuple[Any, str]:
        # The file is written by hand above, so an Accept of text/calendar must not be
        # refused; errors stay in the one JSON shape, whatever the client accepts.
        return JSONRenderer(), JSONRenderer.media_type
