"""IHE ITI Scheduling's operations: Appointment/$find (ITI-115), $hold (ITI-116), $book (ITI-117),
and cancelling or moving a visit by sending it back changed (PUT Appointment/<id>).

Thin adapters: read the Parameters (interop.parameters), call interop.services.booking, answer
in FHIR (interop.resources). A refusal is an OperationOutcome: a parameter at fault is a 400
naming it (`expression`), an unknown proposal or visit a 404, a time taken since a 409
(slot_unavailable), an Idempotency-Key used for another booking a 422."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from fhir.resources.R4B.appointment import Appointment as FhirAppointment
from pydantic import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from booking import errors
from booking.api.appointments import idempotency_key
from booking.models import Appointment
from consent import services as consent_services
from core.rest import ApiError
from core.throttling import ScopedThrottle
from interop import parameters, resources
from interop.api.appointments import AppointmentRead
from interop.api.auth import client_key
from interop.api.base import FhirView
from interop.api.reads import base_url, pk_of
from interop.api.reads import caller as caller_of
from interop.models import Scope
from interop.services import booking

CONSENT_LINK = "https://acus.invalid/fhir/StructureDefinition/consent-link"


@contextmanager
def refusals() -> Iterator[None]:
    """The services' and parameters' refusals as the endpoint's errors (OperationOutcome)."""
    try:
        yield
    except parameters.ParameterError as exc:
        raise ApiError("invalid", exc.message, status_code=400, fields={exc.name: [exc.message]}) from None
    except errors.BookingError as exc:
        raise ApiError(exc.code, exc.message, status_code=exc.status) from None
    except consent_services.ConsentError as exc:
        message = " ".join(" ".join(problems) for problems in exc.fields.values())
        raise ApiError("consent_required", message or _("A consent is needed first."), status_code=422) from None


def appointment_resource(appointment: Appointment, consent_link: str = "") -> dict[str, Any]:
    found = resources.appointment(appointment, show_patient=True)
    if consent_link:
        found["extension"] = [{"url": CONSENT_LINK, "valueUrl": consent_link}]
    return found


class HoldThrottle(ScopedThrottle):
    """A patient's holds count with their holds on the web and the REST API (one bucket, the
    same limit): a hold blocks a time for everyone else. A key has the endpoint's own limit."""

    scope_attr = "hold_throttle_scope"

    def allow_request(self, request: Request, view: Any) -> bool:
        return client_key(request) is not None or super().allow_request(request, view)


class _OperationView(FhirView):
    audit_resource_id = ""

    def one(self, request: Request, appointment: Appointment, consent_link: str = "") -> Response:
        """IHE answers $hold and $book with a searchset Bundle holding the one Appointment."""
        # The audit names it: which key booked which visit is read back from there (interop.selectors).
        self.audit_resource_id = str(appointment.pk)
        entry = appointment_resource(appointment, consent_link)
        return Response(resources.bundle("searchset", [entry], base=base_url(request)))


class FindApi(_OperationView):
    required_scope = Scope.SLOTS_READ
    interaction = "Appointment/$find"

    def get(self, request: Request) -> Response:
        values = {name: request.query_params.getlist(name) for name in request.query_params}
        return self._find(request, values)

    def post(self, request: Request) -> Response:
        with refusals():
            values = parameters.find_values(parameters.parameters_from_body(request.data))
        return self._find(request, values)

    def _find(self, request: Request, values: dict[str, list[Any]]) -> Response:
        with refusals():
            query = parameters.find_query(values)
            found = booking.find(caller=caller_of(request), query=query, now=timezone.now())
        requested = (query.start, query.end)
        entries = [
            resources.proposed_appointment(p.key, p.end, p.appointment_type, p.clinic, requested=requested)
            for p in found
        ]
        return Response(resources.bundle("searchset", entries, base=base_url(request)))


class HoldApi(_OperationView):
    throttle_classes = [*FhirView.throttle_classes, HoldThrottle]
    hold_throttle_scope = "appointment_hold"
    required_scope = Scope.BOOK
    interaction = "Appointment/$hold"

    def post(self, request: Request) -> Response:
        key = idempotency_key(request)
        with refusals():
            given = parameters.parameters_from_body(request.data)
            appointment = booking.hold(
                caller=caller_of(request),
                proposal_id=parameters.hold_reference(given),
                patient=parameters.book_patient(given),
                idempotency_key=key,
                now=timezone.now(),
            )
        return self.one(request, appointment)


class BookApi(_OperationView):
    throttle_classes = [*FhirView.throttle_classes, HoldThrottle]
    hold_throttle_scope = "appointment_hold"
    required_scope = Scope.BOOK
    interaction = "Appointment/$book"

    def post(self, request: Request) -> Response:
        key = idempotency_key(request)
        with refusals():
            wanted = parameters.book_request(parameters.parameters_from_body(request.data))
            booked = booking.book(caller=caller_of(request), request=wanted, idempotency_key=key, now=timezone.now())
        return self.one(request, booked.appointment, booked.consent_link)


class AppointmentApi(AppointmentRead):
    """Read one visit (interop.api.appointments), or change it by sending it back (FHIR update):
    status cancelled cancels, a new start or practitioner moves it."""

    def get(self, request: Request, pk: str) -> Response:
        response = super().get(request, pk)
        if response.data.get("status") == "pending":
            # A needling visit waiting for its patient says where they screen and sign.
            with refusals():
                link = booking.pending_link(booking.appointment_for(caller_of(request), pk_of(pk)))
            if link:
                response.data["extension"] = [{"url": CONSENT_LINK, "valueUrl": link}]
        return response

    def put(self, request: Request, pk: str) -> Response:
        self.interaction = "Appointment update"
        caller = caller_of(request)
        with refusals():
            appointment = booking.appointment_for(caller, pk_of(pk))
            wanted = parameters.appointment_request(_appointment_body(request.data, str(appointment.pk)))
            changed = booking.update(caller=caller, appointment=appointment, request=wanted, now=timezone.now())
        return Response(appointment_resource(changed, booking.pending_link(changed)))


def _appointment_body(body: Any, pk: str) -> FhirAppointment:
    if not isinstance(body, dict) or body.get("resourceType") != "Appointment":
        raise parameters.ParameterError("Appointment", _("Send the Appointment resource."))
    if str(body.get("id", "")) != str(pk):
        raise parameters.ParameterError("Appointment.id", _("The id must be the one in the address."))
    try:
        return FhirAppointment.model_validate(body)
    except ValidationError as exc:
        where = ".".join(str(part) for part in exc.errors()[0]["loc"])
        raise parameters.ParameterError(f"Appointment.{where}", _("This is not a valid FHIR Appointment.")) from None
