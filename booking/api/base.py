"""What the booking API views share: the error answers they document, the services'
refusals in the API's one error shape, and the shape of an action on one appointment.

Used by booking.api.catalogue, booking.api.appointments, booking.api.consents,
care.api.symptoms and workspace.api.appointments."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any, ClassVar

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Patient, User
from accounts.serializers import ErrorSerializer
from booking import errors
from booking.models import Appointment
from core.rest import ApiError


def error_response(description: str) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


BAD_INPUT = {400: error_response("Invalid input; `fields` names each bad field")}
NOT_JSON = {415: error_response("The body is not JSON: send it with Content-Type: application/json")}
BAD_BODY = {**BAD_INPUT, **NOT_JSON}
BAD_TOKEN = {401: error_response("An invalid token was sent (this endpoint needs none)")}
PATIENT_ONLY = {
    401: error_response("Not signed in"),
    403: error_response("Signed in, but not as a patient"),
}
NOT_FOUND = {404: error_response("No such appointment among the patient's own")}
THROTTLED = {429: error_response("Too many requests; see Retry-After")}
APPOINTMENT_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="The appointment's id.")


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


def validated(serializer_class: type[serializers.Serializer[Any]], data: Any) -> dict[str, Any]:
    """The checked values of a request body or query; a 400 with field errors otherwise."""
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def signed_in_user(request: Request) -> User:
    assert isinstance(request.user, User)  # the permission classes admit only signed-in users
    return request.user


def signed_in_patient(request: Request) -> Patient:
    return request.user.patient  # type: ignore[union-attr]


# A POST that acts on one appointment: find it (a 404 if the caller may not see it), check
# the body, call a service with its refusals turned into API errors, and answer with the
# appointment as it is now. An action sets `body_serializer` (None for a bare POST) and
# writes `act`; each family of actions (the patient's, the staff's) writes `find` and
# `answer` once. The schema goes on the class: extend_schema_view(post=extend_schema(...)).
# A comment, not a docstring: drf-spectacular would publish a docstring as the description
# of every action that sets none.
class AppointmentActionApi(APIView):
    body_serializer: ClassVar[type[serializers.Serializer[Any]] | None] = None
    # The staff actions have always checked the body before looking up the appointment,
    # so there a bad body is a 400 even for an id the caller cannot see, where the
    # patient's actions answer 404 first. Kept per family so that no answer changes.
    body_first: ClassVar[bool] = False

    def find(self, request: Request, pk: int) -> Appointment:
        raise NotImplementedError

    def refusals(self) -> AbstractContextManager[None]:
        return booking_errors()

    def act(self, request: Request, appointment: Appointment, data: dict[str, Any]) -> Appointment:
        raise NotImplementedError

    def answer(self, request: Request, appointment: Appointment) -> Response:
        raise NotImplementedError

    def post(self, request: Request, pk: int) -> Response:
        if self.body_first:
            data = self._body(request)
            appointment = self.find(request, pk)
        else:
            appointment = self.find(request, pk)
            data = self._body(request)
        with self.refusals():
            appointment = self.act(request, appointment, data)
        return self.answer(request, appointment)

    def _body(self, request: Request) -> dict[str, Any]:
        return validated(self.body_serializer, request.data) if self.body_serializer else {}
