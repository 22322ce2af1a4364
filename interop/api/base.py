"""The FHIR endpoint's plumbing: FHIR JSON in and out, OperationOutcome for every error, who may
call (client keys with scopes, patients' tokens), throttling per caller, and an audit row for
every call that named a caller."""

from __future__ import annotations

from typing import Any

from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.authentication import TokenAuthentication
from accounts.models import User
from core.parsers import StrictJSONParser
from core.throttling import ScopedThrottle
from interop.api.auth import CallerWithScope, ClientKeyAuthentication, client_key
from interop.api.outcome import fhir_exception_handler
from interop.models import ClientCall

FHIR_JSON = "application/fhir+json"


class FhirJSONRenderer(JSONRenderer):
    media_type = FHIR_JSON
    format = "json"
    charset = "utf-8"


class PlainJSONRenderer(JSONRenderer):
    """`Accept: application/json` gets the same FHIR JSON (many clients send it)."""


class FhirJSONParser(StrictJSONParser):
    media_type = FHIR_JSON


class FhirThrottle(ScopedThrottle):
    """Per client key, else per user, else per address: each system client has its own bucket."""

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        key = client_key(request)
        if key is not None:
            return self.cache_format % {"scope": self.scope, "ident": f"key-{key.pk}"}
        return super().get_cache_key(request, view)


class FhirView(APIView):
    renderer_classes = [FhirJSONRenderer, PlainJSONRenderer]
    parser_classes = [FhirJSONParser, StrictJSONParser]
    authentication_classes = [ClientKeyAuthentication, TokenAuthentication]
    permission_classes = [CallerWithScope]
    throttle_classes = [FhirThrottle]
    # Not in the REST API's OpenAPI schema: the FHIR endpoint describes itself in FHIR's own terms
    # (GET metadata, the CapabilityStatement), and its bodies are FHIR resources, not serializers.
    schema = None
    throttle_scope = "fhir"
    # What a client key needs for this view (interop.models.Scope); patients need none.
    required_scope = ""
    # How the audit names the call: "Slot search", "Appointment/$hold", ...
    interaction = ""

    def get_exception_handler(self) -> Any:
        return fhir_exception_handler

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        # An operation that made or found an appointment names it (audit_resource_id): which key
        # booked which appointment is read back from these rows (interop.selectors).
        resource_id = getattr(self, "audit_resource_id", None) or kwargs.get("pk", "")
        _audit(request, response, self.interaction or type(self).__name__, str(resource_id)[:64])
        return response


def _audit(request: Request, response: Response, interaction: str, resource_id: str) -> None:
    """Who, what, when, for every call that named a caller (an anonymous refusal names nobody)."""
    # Read what authentication already found: touching request.user here would authenticate
    # again, and for a refused key raise a second time.
    key = client_key(request) if hasattr(request, "_auth") else None
    user = getattr(request, "_user", None)
    person = user if isinstance(user, User) else None
    if key is None and person is None:
        return
    ClientCall.objects.create(
        client_key=key,
        user=person,
        method=request.method or "",
        interaction=interaction[:60],
        resource_id=resource_id,
        status=response.status_code,
    )
