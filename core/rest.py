"""One error shape for the whole API: {"code", "detail", "fields"}; and JSON-strict input fields.

DRF's fields coerce: a BooleanField takes 0, "yes" and "on", a CharField takes 5, an
IntegerField takes "5". The schema promises JSON types, so request bodies are read
with the strict fields below, which refuse any other type with a 400 field error."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.formats import number
from core.refusals import Refusal


class ApiError(exceptions.APIException):
    """A domain refusal the client can act on, e.g. 409 slot_unavailable."""

    def __init__(
        self,
        code: str,
        detail: StrOrPromise,
        *,
        status_code: int = status.HTTP_409_CONFLICT,
        fields: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(detail=detail, code=code)
        self.status_code = status_code
        self.error_code = code
        self.fields = fields or {}


# Translated when the answer is written: the client's Accept-Language (or a token user's stored language).
FIELDS_NEED_ATTENTION = gettext_lazy("Some fields need attention.")


def field_errors(fields: dict[str, list[str]]) -> ApiError:
    """A 400 naming the fields at fault and what is wrong with each, in the one error shape."""
    return ApiError("invalid", FIELDS_NEED_ATTENTION, status_code=status.HTTP_400_BAD_REQUEST, fields=fields)


def _flatten(errors: Any) -> dict[str, list[str]]:
    """DRF nests errors in lists and dicts; clients want field -> messages."""
    if isinstance(errors, dict):
        flat: dict[str, list[str]] = {}
        for key, value in errors.items():
            if isinstance(value, dict):
                for sub_key, messages in _flatten(value).items():
                    flat[f"{key}.{sub_key}"] = messages
            elif isinstance(value, list) and value and isinstance(value[0], dict):
                for index, item in enumerate(value):
                    for sub_key, messages in _flatten(item).items():
                        flat[f"{key}[{index}].{sub_key}"] = messages
            else:
                flat[str(key)] = [str(v) for v in (value if isinstance(value, list) else [value])]
        return flat
    return {"non_field_errors": [str(e) for e in (errors if isinstance(errors, list) else [errors])]}


def error_body(code: str, detail: StrOrPromise, fields: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {"code": code, "detail": str(detail), "fields": fields or {}}


def too_large() -> ApiError:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit:
        megabytes = number(float(f"{limit / 1024 / 1024:.3g}"))
        detail = _("The request body is too large. This service accepts at most %(size)s MB.") % {"size": megabytes}
    else:
        detail = _("The request body is too large.")
    return ApiError("too_large", detail, status_code=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    # Django's own answer to an oversized body is an HTML 400 page; clients of the API
    # read JSON, and 413 tells them that sending it again will not help.
    if isinstance(exc, RequestDataTooBig):
        exc = too_large()
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, Refusal):  # a service's refusal no view mapped: still the API's shape
        exc = ApiError(exc.code, exc.message or str(exc), status_code=exc.status, fields=getattr(exc, "fields", None))
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    if isinstance(exc, ApiError):
        response.data = error_body(exc.error_code, str(exc.detail), exc.fields)
    elif isinstance(exc, exceptions.ValidationError):
        response.data = error_body("invalid", FIELDS_NEED_ATTENTION, _flatten(exc.detail))
    else:
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else exc.default_code
        response.data = error_body(str(code), str(exc.detail))
    return response


def json_not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    return JsonResponse(error_body("not_found", _("Not found.")), status=404)


def json_server_error(request: HttpRequest) -> JsonResponse:
    return JsonResponse(error_body("server_error", _("Something went wrong on our side.")), status=500)


# --- JSON-strict fields for request bodies (query strings stay with DRF's own: they are text) ---


class StrictBooleanField(serializers.BooleanField):
    """JSON true or false only."""

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


def _require_string(data: Any) -> str:
    if not isinstance(data, str):
        raise serializers.ValidationError(_("Must be a string."), code="not_a_string")
    return data


class StrictCharField(serializers.CharField):
    """A JSON string only."""

    def to_internal_value(self, data: Any) -> str:
        return super().to_internal_value(_require_string(data))


class StrictRegexField(serializers.RegexField):
    """A JSON string only, matching the pattern."""

    def to_internal_value(self, data: Any) -> str:
        return super().to_internal_value(_require_string(data))


class StrictEmailField(serializers.EmailField):
    """A JSON string only, holding an email address."""

    def to_internal_value(self, data: Any) -> str:
        return super().to_internal_value(_require_string(data))


def _is_json_integer(data: Any) -> bool:
    # JSON Schema counts 5.0 as an integer; true is never one, and neither is "5".
    return not isinstance(data, bool) and (isinstance(data, int) or (isinstance(data, float) and data.is_integer()))


class StrictIntegerField(serializers.IntegerField):
    """A JSON number with no fraction only."""

    def to_internal_value(self, data: Any) -> int:
        if not _is_json_integer(data):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """An id as a JSON integer only."""

    def to_internal_value(self, data: Any) -> Any:
        if not _is_json_integer(data):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(int(data))


# The range of a bigint primary key: Django finds nothing for an id outside it, without a query.
_ID_RANGE = range(-(2**63), 2**63)


class PrecompiledPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """PrimaryKeyRelatedField(queryset=...) that finds the object with `lookup(pk)` (an object
    or None), e.g. a core.precompiled query of that queryset: the same answers and the same
    words, without compiling the queryset on every request. `queryset` still describes the
    field (the schema) and must select exactly what `lookup` finds."""

    def __init__(self, *, lookup: Callable[[int], Any], **kwargs: Any) -> None:
        self._lookup = lookup
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Any:
        try:
            if isinstance(data, bool):
                raise TypeError
            pk = int(data)  # as Django's IntegerField reads a lookup value
        except (TypeError, ValueError):
            self.fail("incorrect_type", data_type=type(data).__name__)
        found = self._lookup(pk) if pk in _ID_RANGE else None
        if found is None:
            self.fail("does_not_exist", pk_value=data)
        return found


class StrictPrecompiledPrimaryKeyRelatedField(StrictPrimaryKeyRelatedField, PrecompiledPrimaryKeyRelatedField):
    """An id as a JSON integer only, found with a precompiled lookup."""


WALL_CLOCK_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"


@extend_schema_field({"type": "string", "pattern": WALL_CLOCK_PATTERN, "example": "18:30"})
class WallClockField(serializers.TimeField):
    """A time of day on the clinic's wall clock, "HH:MM" (seconds accepted on the way in).

    Not OpenAPI's `format: time`: that is RFC 3339's full-time, which needs an offset, and a
    wall-clock time has none (its zone is the clinic's, given beside it)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("format", "%H:%M")
        kwargs.setdefault("input_formats", ["%H:%M", "%H:%M:%S"])
        super().__init__(**kwargs)

    def to_internal_value(self, value: Any) -> Any:
        return super().to_internal_value(_require_string(value))
