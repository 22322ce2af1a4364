"""Appointment (ITI-118, find existing appointments): `GET Appointment/<id>`,
`GET Appointment?_id=&patient=&actor=&practitioner=&date=ge..&date=lt..&status=&service-type=`.
A patient sees their own; a key with appointments:book sees those it booked or that are for a
patient it booked for (interop.selectors.appointments). Anything else is "not found"."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rest_framework.request import Request
from rest_framework.response import Response

from booking.models import Appointment
from interop import resources, selectors
from interop.api.base import FhirView
from interop.api.reads import caller, not_found, pk_of, searchset
from interop.api.search import Params, bad
from interop.models import Scope

# FHIR's appointmentstatus codes, and the Acus statuses each stands for.
ACUS_STATUSES: dict[str, list[str]] = {}
for _acus, _fhir in resources.APPOINTMENT_STATUS.items():
    ACUS_STATUSES.setdefault(_fhir, []).append(_acus)
FHIR_STATUSES = {
    "proposed", "pending", "booked", "arrived", "fulfilled", "cancelled", "noshow",
    "entered-in-error", "checked-in", "waitlist",
}  # fmt: skip


def build(appt: Appointment) -> dict[str, Any]:
    # Every appointment a caller sees is theirs, or one its key booked or booked the patient of.
    return resources.appointment(appt, show_patient=True)


class AppointmentRead(FhirView):
    interaction = "Appointment read"
    required_scope = Scope.BOOK

    def get(self, request: Request, pk: str) -> Response:
        found = selectors.appointments(caller(request)).filter(pk=pk_of(pk)).first()
        if found is None:
            raise not_found()
        return Response(build(found))


def _number(value: str) -> int:
    """A reference's id as a row's pk; 0 (no row) for one that cannot be."""
    return int(value) if value.isdigit() and len(value) <= 12 else 0


def _identified(value: str) -> list[int]:
    """The appointments an `identifier=system|value[,system|value]` search names (IHE: the client
    SHALL send both parts). Another system names nothing here."""
    found = []
    for token in value.split(","):
        system, bar, number = token.partition("|")
        if not bar or not system or not number:
            raise bad("identifier", _("Send the identifier as system|value."))
        if system == resources.appointment_identifier_system():
            found.append(_number(number))
    return found


def filtered(params: Params, found: QuerySet[Appointment]) -> QuerySet[Appointment]:
    if params.get("_id") is not None:
        found = found.filter(pk__in=[i for i in params.ids("_id") if i is not None])
    if (identifier := params.get("identifier")) is not None:
        found = found.filter(pk__in=_identified(identifier))
    if (patient := params.reference("patient", ["Patient"])) is not None:
        found = found.filter(patient_id=_number(patient[1]))
    if (practitioner := params.reference("practitioner", ["Practitioner"])) is not None:
        found = found.filter(practitioner_id=_number(practitioner[1]))
    if (actor := params.reference("actor", ["Patient", "Practitioner", "Location"])) is not None:
        field = {"Patient": "patient_id", "Practitioner": "practitioner_id", "Location": "clinic_id"}[actor[0]]
        found = found.filter(**{field: _number(actor[1])})
    if params.get("service-type") is not None:
        found = found.filter(appointment_type_id__in=[i for i in params.service_types() if i is not None])
    statuses = params.ids("status", str)
    if statuses:
        if set(statuses) - FHIR_STATUSES:
            raise bad("status", _("This is not an appointment status."))
        found = found.filter(status__in=[s for code in statuses for s in ACUS_STATUSES.get(code, [])])
    when = params.dates("date")
    if when.lower is not None:
        found = found.filter(start__gte=when.lower)
    if when.upper is not None:
        found = found.filter(start__lt=when.upper)
    return found


class AppointmentSearch(FhirView):
    interaction = "Appointment search"
    required_scope = Scope.BOOK

    def get(self, request: Request) -> Response:
        params = Params(
            request,
            ("_id", "identifier", "patient", "actor", "practitioner", "date", "status", "service-type"),
            repeatable=("date",),
        )
        found = filtered(params, selectors.appointments(caller(request)))
        return searchset(request, params, found, build, total=found.count())
