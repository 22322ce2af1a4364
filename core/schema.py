"""The responses any API operation may give, documented in one place.

A drf-spectacular postprocessing hook (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]) adds,
in the one error shape, what the views' own @extend_schema does not repeat:

- 406 where content negotiation refuses an Accept that names nothing the operation sends;
- 413 where the operation reads a body: it is larger than the service accepts;
- 415 where the operation reads a JSON body;
- 429 with Retry-After where a throttle applies to the operation;
- 503 with Retry-After everywhere: the API answers so while its database cannot be reached.

Responses an operation documents itself are kept; a documented 429 gains the header."""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.settings import spectacular_settings
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

ERROR_COMPONENT = "Error"  # accounts.serializers.ErrorSerializer
RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "schema": {"type": "integer", "minimum": 0},
    }
}
NOT_ACCEPTABLE = "not_acceptable: Accept names nothing this operation sends (it answers in JSON)"
TOO_LARGE = "too_large: the body is larger than the service accepts"
NOT_JSON = "unsupported_media_type: the body is not JSON; send it with Content-Type: application/json"
THROTTLED = "throttled: too many requests; see Retry-After"
UNAVAILABLE = "service_unavailable: the database cannot be reached for now; see Retry-After"


def _error(description: str, *, retry_after: bool = False) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}}},
    }
    if retry_after:
        response["headers"] = dict(RETRY_AFTER)
    return response


def _refuses_unknown_accept(view: APIView) -> bool:
    # File downloads override content negotiation so that any Accept gets the file.
    probe = HttpRequest()
    probe.META["HTTP_ACCEPT"] = "application/x-acus-nothing"
    try:
        view.perform_content_negotiation(view.initialize_request(probe))
    except exceptions.NotAcceptable:
        return True
    return False


def _throttled(view: APIView) -> bool:
    for throttle in view.get_throttles():
        # A scoped throttle lets through every request to a view that names no scope.
        if isinstance(throttle, ScopedRateThrottle) and not getattr(view, throttle.scope_attr, None):
            continue
        return True
    return False


def _views(generator: SchemaGenerator, request: Request | None) -> dict[tuple[str, str], APIView]:
    """(path, method) -> the view as the generator saw it, with a request of that method."""
    views = {}
    # drf-spectacular's endpoints carry the path regex too (DRF's stubs say three items).
    endpoints = cast(list[tuple[str, str, str, Any]], generator.endpoints or [])
    for path, _regex, method, callback in endpoints:
        view = generator.create_view(callback, method)
        path = generator.coerce_path(path, method, view)
        view.request = spectacular_settings.GET_MOCK_REQUEST(method, path, view, request)
        views[path, method.lower()] = view
    return views


def document_shared_responses(
    result: dict[str, Any], generator: SchemaGenerator, request: Request | None, public: bool, **kwargs: Any
) -> dict[str, Any]:
    schemas = result.get("components", {}).get("schemas", {})
    assert ERROR_COMPONENT in schemas, f"the {ERROR_COMPONENT} component is missing from the schema"
    views = _views(generator, request)
    for path, operations in result["paths"].items():
        for method, operation in operations.items():
            view = views[path, method]
            responses = operation["responses"]
            if _refuses_unknown_accept(view):
                responses.setdefault("406", _error(NOT_ACCEPTABLE))
            if "requestBody" in operation:
                responses.setdefault("413", _error(TOO_LARGE))
                responses.setdefault("415", _error(NOT_JSON))
            if _throttled(view):
                responses.setdefault("429", _error(THROTTLED))
            if "429" in responses:
                responses["429"].setdefault("headers", {}).update(RETRY_AFTER)
            responses.setdefault("503", _error(UNAVAILABLE, retry_after=True))
    return result
