"""The error answers the accounts API documents, shared by its endpoints."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse

from accounts.serializers import (
    ErrorSerializer,
)

BAD_BODY = {
    400: OpenApiResponse(ErrorSerializer, description="Invalid input, with field errors"),
    415: OpenApiResponse(ErrorSerializer, description="The body is not JSON: send Content-Type: application/json"),
}
ERRORS = {**BAD_BODY, 429: OpenApiResponse(ErrorSerializer, description="Too many requests; see Retry-After")}
AUTH_ERRORS = {
    401: OpenApiResponse(ErrorSerializer, description="Not signed in"),
    403: OpenApiResponse(ErrorSerializer, description="Not allowed"),
}
