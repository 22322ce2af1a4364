"""`GET metadata`: the CapabilityStatement, public, saying what this endpoint does."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from interop.api.base import FhirView
from interop.api.reads import base_url

IHE = "https://profiles.ihe.net/ITI/Scheduling"
READ_SEARCH = [{"code": "read"}, {"code": "search-type"}]
# (name, type) of each search parameter Acus supports, per resource (interop.api.<resource>).
SEARCH: dict[str, list[tuple[str, str]]] = {
    "Location": [("_id", "token"), ("name", "string")],
    "Practitioner": [("_id", "token"), ("name", "string"), ("active", "token")],
    "HealthcareService": [("_id", "token"), ("location", "reference"), ("service-type", "token"), ("active", "token")],
    "Schedule": [("_id", "token"), ("actor", "reference"), ("service-type", "token"), ("active", "token")],
    "Slot": [("schedule", "reference"), ("start", "date"), ("status", "token"), ("service-type", "token")],
    "Appointment": [
        ("_id", "token"),
        ("identifier", "token"),
        ("patient", "reference"),
        ("actor", "reference"),
        ("practitioner", "reference"),
        ("date", "date"),
        ("status", "token"),
        ("service-type", "token"),
    ],
}
COMMON = [("_count", "number"), ("_format", "string")]
# Each operation by its agreed name and canonical URL (the IHE ones are IHE's; $bulk-publish is
# SMART Scheduling Links').
OPERATIONS: dict[str, list[dict[str, str]]] = {
    "Appointment": [
        {"name": "find", "definition": f"{IHE}/OperationDefinition/appointment-find"},
        {"name": "hold", "definition": f"{IHE}/OperationDefinition/appointment-hold"},
        {"name": "book", "definition": f"{IHE}/OperationDefinition/appointment-book"},
    ],
}
SYSTEM_OPERATIONS = [
    {"name": "bulk-publish", "definition": "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/bulk-publish"},
]
PROFILES = {"Appointment": f"{IHE}/StructureDefinition/ihe-sched-appt"}
# Cancelling and moving a visit (interop.api.operations.AppointmentApi.put); no PATCH.
UPDATE = {
    "code": "update",
    "documentation": (
        "PUT the Appointment back with status cancelled to cancel it, or with a new start and end (and "
        "optionally another Practitioner participant) to move it; the clinic's cancellation window applies."
    ),
}


def capability_statement(base: str) -> dict[str, Any]:
    resources = []
    for kind, params in SEARCH.items():
        entry: dict[str, Any] = {
            "type": kind,
            "interaction": [*READ_SEARCH, UPDATE] if kind == "Appointment" else READ_SEARCH,
            "searchParam": [{"name": name, "type": kind_of} for name, kind_of in [*params, *COMMON]],
        }
        if kind in PROFILES:
            entry["profile"] = PROFILES[kind]
        if kind in OPERATIONS:
            entry["operation"] = OPERATIONS[kind]
        resources.append(entry)
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": "2025-01-01",
        "kind": "instance",
        "software": {"name": "Acus"},
        "implementation": {"description": "Acus FHIR scheduling endpoint", "url": base},
        "instantiates": [f"{IHE}/CapabilityStatement/IHE.Scheduling.server"],
        "fhirVersion": "4.0.1",
        "format": ["json", "application/fhir+json"],
        "rest": [
            {
                "mode": "server",
                "security": {
                    "cors": False,
                    "description": "Bearer client keys (scopes slots:read, appointments:book) or a patient's token.",
                },
                "resource": resources,
                "operation": SYSTEM_OPERATIONS,
            }
        ],
    }


class Metadata(FhirView):
    interaction = "metadata"
    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    def get(self, request: Request) -> Response:
        found = capability_statement(base_url(request))
        found["software"]["version"] = getattr(settings, "VERSION", "1")
        return Response(found)
