"""OperationOutcome: how the FHIR endpoint says no. Every error there answers with one, in FHIR
JSON, never the REST API's {"code", "detail", "fields"} shape and never an HTML page."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.rest import FIELDS_NEED_ATTENTION, ApiError

# FHIR's issue-type codes (http://hl7.org/fhir/issue-type) for the answers Acus gives.
_CODE_BY_STATUS = {
    400: "invalid",
    401: "login",
    403: "forbidden",
    404: "not-found",
    405: "not-supported",
    406: "not-supported",
    409: "conflict",
    410: "deleted",
    412: "conflict",
    413: "too-costly",
    415: "not-supported",
    422: "processing",
    429: "throttled",
}


def outcome(
    diagnostics: str,
    *,
    code: str = "processing",
    severity: str = "error",
    expression: list[str] | None = None,
    details: str | None = None,
) -> dict[str, Any]:
    """One OperationOutcome with one issue. `details` carries Acus's own error code (e.g.
    slot_unavailable) so a client can act on it without parsing the words."""
    issue: dict[str, Any] = {"severity": severity, "code": code, "diagnostics": diagnostics}
    if expression:
        issue["expression"] = expression
    if details:
        issue["details"] = {"coding": [{"system": "https://acus.invalid/fhir/CodeSystem/error", "code": details}]}
    return {"resourceType": "OperationOutcome", "issue": [issue]}


def outcome_with_fields(diagnostics: str, fields: dict[str, list[str]], *, details: str) -> dict[str, Any]:
    """A 400's OperationOutcome: one issue per field at fault, `expression` naming it."""
    if not fields:
        return outcome(diagnostics, code="invalid", details=details)
    return {
        "resourceType": "OperationOutcome",
        "issue": [
            {
                "severity": "error",
                "code": "invalid",
                "diagnostics": message,
                "expression": [name],
                "details": {"coding": [{"system": "https://acus.invalid/fhir/CodeSystem/error", "code": details}]},
            }
            for name, messages in fields.items()
            for message in messages
        ],
    }


def fhir_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, RequestDataTooBig):
        exc = exceptions.APIException(code="too_large")
        exc.status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    code = _CODE_BY_STATUS.get(response.status_code, "processing")
    if isinstance(exc, ApiError):
        if exc.fields:
            response.data = outcome_with_fields(str(exc.detail), exc.fields, details=exc.error_code)
        else:
            response.data = outcome(str(exc.detail), code=code, details=exc.error_code)
    elif isinstance(exc, exceptions.ValidationError):
        response.data = outcome_with_fields(str(FIELDS_NEED_ATTENTION), _flatten(exc.detail), details="invalid")
    else:
        codes = exc.get_codes()
        response.data = outcome(str(exc.detail), code=code, details=codes if isinstance(codes, str) else None)
    return response


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    if isinstance(detail, dict):
        found: dict[str, list[str]] = {}
        for key, value in detail.items():
            found.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return found
    if isinstance(detail, list) and detail and all(not isinstance(d, dict | list) for d in detail):
        return {prefix or "body": [str(d) for d in detail]}
    if isinstance(detail, list):
        found = {}
        for index, value in enumerate(detail):
            found.update(_flatten(value, f"{prefix}[{index}]"))
        return found
    return {prefix or "body": [str(detail)]}
