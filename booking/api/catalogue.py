"""The public catalogue (clinics, treatments, practitioners) and the free slots.

Open to anyone. Ids sent in a query that name nothing (or nothing bookable) are 400
field errors."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.utils import timezone, translation
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from booking import catalogue_cache, selectors
from booking.api import serializers as s
from booking.api.base import BAD_INPUT, BAD_TOKEN, THROTTLED
from booking.api.examples import EXAMPLES
from booking.models import AppointmentType, Clinic, Practitioner
from core.throttling import ScopedThrottle


def _cached(name: str, request: Request, build: Any) -> Response:
    """`build()`'s answer, or the same answer from booking.catalogue_cache: it depends only on
    the query, the reader's language and the catalogue's rows."""
    query = tuple(sorted((param, tuple(values)) for param, values in request.query_params.lists()))
    key = (name, translation.get_language(), query)
    return Response(catalogue_cache.answer(key, build))


@lru_cache(maxsize=32_768)
def _local_iso(instant: datetime, zone: ZoneInfo) -> str:
    """An instant in the clinic's zone, as the slot list writes it. Slot lists of a clinic
    return the same few thousand starts and ends (one grid) again and again, and formatting
    each afresh (astimezone, then isoformat: 2 us, twice a slot) was about a twentieth of a
    list's CPU; a remembered string costs 0.13 us (bench/README, "Issue 22, eighth pass").
    32,768 strings cover 92 days of 15-minute starts and their ends for a few treatment
    lengths, in about 8 MB per process."""
    return instant.astimezone(zone).isoformat()


def _query(serializer_class: type[s.serializers.Serializer[Any]], request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.query_params, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class ClinicListApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="clinics_list",
        summary="Clinics",
        responses={200: s.ClinicSerializer(many=True), **BAD_TOKEN},
        examples=EXAMPLES["clinics"],
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
        examples=EXAMPLES["appointment_types"],
        tags=["catalogue"],
    )
    def get(self, request: Request) -> Response:
        return _cached("treatments", request, lambda: self.cards(request))

    def cards(self, request: Request) -> list[dict[str, Any]]:
        query = _query(s.ClinicFilterSerializer, request)
        types = AppointmentType.objects.filter(active=True).order_by("clinic_id", "position", "name", "id")
        if "clinic" in query:
            types = types.filter(clinic=query["clinic"])
        # AppointmentTypeSerializer's shape (the schema says so), from plain rows.
        return selectors.treatment_cards(types)


class PractitionerListApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="practitioners_list",
        summary="Practitioners",
        parameters=[s.PractitionerFilterSerializer],
        responses={200: s.PractitionerSerializer(many=True), **BAD_INPUT, **BAD_TOKEN},
        examples=EXAMPLES["practitioners"],
        tags=["catalogue"],
    )
    def get(self, request: Request) -> Response:
        return _cached("practitioners", request, lambda: self.cards(request))

    def cards(self, request: Request) -> list[dict[str, Any]]:
        query = _query(s.PractitionerFilterSerializer, request)
        people: QuerySet[Practitioner] = Practitioner.objects.filter(active=True)
        if "appointment_type" in query:
            people = selectors.practitioners_offering(query["appointment_type"])
        if "clinic" in query:
            people = people.filter(clinics=query["clinic"])
        # PractitionerSerializer's shape (the schema says so), from plain rows.
        return selectors.practitioner_cards(people.order_by("display_name", "id"))


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
        examples=EXAMPLES["slots"],
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
        # SlotSerializer's shape (the schema says so), without a serializer per slot.
        zone = kind.clinic.zone
        return Response(
            [
                {
                    "start": _local_iso(slot.start, zone),
                    "end": _local_iso(slot.end, zone),
                    "practitioner": slot.practitioner_id,
                }
                for slot in slots
            ]
        )
