"""API: the patient's own waitlist entries (list, join, read, change, leave).

Thin: look the entry up (another patient's id is a 404), check the body, call
waitlist.services.entries, answer with the entry. Refusals: 400 field errors, 409 for a
duplicate wish, too many entries or an entry that has already ended."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.urls import URLPattern, path
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.permissions import IsPatient
from booking.api.base import BAD_BODY, PATIENT_ONLY, error_response, signed_in_patient, signed_in_user, validated
from booking.errors import BookingError
from core.rest import ApiError, field_errors
from waitlist.api import entry_serializers as s
from waitlist.selectors import entries as selectors
from waitlist.services import entries as services

TAGS = ["waitlist"]
ENTRY_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="The waitlist entry's id.")
NOT_OWN = {404: error_response("No such waitlist entry among the patient's own")}
CONFLICT = {
    409: error_response(
        "`duplicate_entry` (the same wish is already waiting), `too_many_entries` (at most 5 waiting), "
        "or `entry_not_waiting` (it has ended)"
    )
}
EXAMPLES = [
    OpenApiExample(
        "Anyone, weekday mornings, two hours' notice",
        {
            "appointment_type": 3,
            "practitioner": None,
            "first_day": "2026-07-01",
            "last_day": "2026-07-31",
            "weekdays": [0, 2, 4],
            "parts_of_day": ["morning"],
            "notice_minutes": 120,
            "reach_by": "email",
        },
        request_only=True,
    ),
]


@contextmanager
def entry_errors() -> Iterator[None]:
    try:
        yield
    except services.InvalidEntry as exc:
        raise field_errors(exc.fields) from None
    except BookingError as exc:
        raise ApiError(exc.code, exc.message, status_code=exc.status) from None


class EntryListApi(APIView):
    permission_classes = [IsPatient]

    @extend_schema(
        operation_id="waitlist_list",
        summary="The patient's waitlist entries",
        description="Waiting entries first, then ended ones; each group in the order they joined.",
        tags=TAGS,
        responses={200: s.EntryOut(many=True), **PATIENT_ONLY},
    )
    def get(self, request: Request) -> Response:
        return Response([s.entry_out(entry) for entry in selectors.patient_entries(signed_in_patient(request))])

    @extend_schema(
        operation_id="waitlist_join",
        summary="Join the waitlist for a treatment",
        description=(
            "A range of at most 90 days from today on (the clinic's dates), the days and parts of the day "
            "that suit, the shortest notice, and email or sms (which needs a phone on the patient's record). "
            "At most 5 waiting entries per patient."
        ),
        tags=TAGS,
        request=s.EntryIn,
        responses={201: s.EntryOut, **BAD_BODY, **PATIENT_ONLY, **CONFLICT},
        examples=EXAMPLES,
    )
    def post(self, request: Request) -> Response:
        data = validated(s.EntryIn, request.data)
        with entry_errors():
            entry = services.join(signed_in_patient(request), data=s.entry_input(data))
        return Response(s.entry_out(entry), status=status.HTTP_201_CREATED)


class EntryApi(APIView):
    permission_classes = [IsPatient]

    @extend_schema(
        operation_id="waitlist_read",
        summary="One of the patient's waitlist entries",
        tags=TAGS,
        parameters=[ENTRY_ID],
        responses={200: s.EntryOut, **PATIENT_ONLY, **NOT_OWN},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(s.entry_out(selectors.own_entry(signed_in_patient(request), pk)))

    @extend_schema(
        operation_id="waitlist_change",
        summary="Change a waiting entry",
        description="Fields left out stay as they are. The entry keeps its place in the queue.",
        tags=TAGS,
        parameters=[ENTRY_ID],
        request=s.EntryPatch,
        responses={200: s.EntryOut, **BAD_BODY, **PATIENT_ONLY, **NOT_OWN, **CONFLICT},
    )
    def patch(self, request: Request, pk: int) -> Response:
        entry = selectors.own_entry(signed_in_patient(request), pk)
        data = validated(s.EntryPatch, request.data)
        with entry_errors():
            entry = services.change(entry, data=s.entry_input(data, entry), actor=signed_in_user(request))
        return Response(s.entry_out(selectors.own_entry(signed_in_patient(request), pk)))

    @extend_schema(
        operation_id="waitlist_leave",
        summary="Leave the waitlist",
        description="The entry ends with status `left`; it stays in the list.",
        tags=TAGS,
        parameters=[ENTRY_ID],
        request=None,
        responses={204: None, **PATIENT_ONLY, **NOT_OWN, **CONFLICT},
    )
    def delete(self, request: Request, pk: int) -> Response:
        entry = selectors.own_entry(signed_in_patient(request), pk)
        with entry_errors():
            services.leave(entry, actor=signed_in_user(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


urlpatterns: list[URLPattern] = [
    path("waitlist", EntryListApi.as_view(), name="api-waitlist"),
    path("waitlist/<int:pk>", EntryApi.as_view(), name="api-waitlist-entry"),
]
